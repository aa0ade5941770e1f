import { describe, expect, it } from 'vitest';
import { readXids } from '../../../../core/gpu/read-xids.ts';

const T = Date.parse('2026-12-07T10:00:00Z');
const min = (n: number) => T + n * 60_000;

describe('readXids: the XIDs of one GPU read together', () => {
  it('reads 48 followed by 63 as one memory fault: drain and reset, 48 first', () => {
    const r = readXids([
      { xid: 63, at: min(1) },
      { xid: 48, at: min(0) },
    ]);
    expect(r.kind).toBe('memory-fault');
    expect(r.action).toBe('drain-and-reset');
    expect(r.tier).toBe('P1');
    expect(r.first?.xid).toBe(48);
    expect(r.root?.xid).toBe(48);
    expect(r.summary).toMatch(
      /^XID 48 \(Double-bit ECC error\), then XID 63 \(Row remapping recorded\) on one GPU/,
    );
    expect(r.summary).toContain('XID 48 (Double-bit ECC error) came first');
    expect(r.summary).toContain('Drain the node and reset the GPU');
  });

  it('with a failed remap (64) says to replace the GPU if it recurs after the reset', () => {
    const r = readXids([
      { xid: 48, at: min(0) },
      { xid: 64, at: min(2) },
    ]);
    expect(r.kind).toBe('memory-fault');
    expect(r.summary).toContain('replace the GPU if it recurs after the reset');
    expect(r.replaceWhen).toBe('if XID 64 recurs after the reset');
  });

  it('reads 43/45 after an earlier XID as side effects of the first', () => {
    const r = readXids([
      { xid: 79, at: min(0) },
      { xid: 45, at: min(1) },
      { xid: 43, at: min(1) },
    ]);
    expect(r.root?.xid).toBe(79);
    expect(r.action).toBe('reboot-node');
    expect(r.sideEffects.map((s) => s.xid)).toEqual([43, 45]);
    expect(r.summary).toContain(
      'XID 43 (GPU stopped processing), then XID 45 (Preemptive cleanup) came after it',
    );
    expect(r.summary).toContain('side effects of the first');
  });

  it('reads a lone 13 as an application fault, and the same XID repeating on one GPU as a GPU problem', () => {
    const once = readXids([{ xid: 13, at: min(0) }]);
    expect(once.kind).toBe('application-fault');
    expect(once.action).toBe('restart-app');
    expect(once.tier).toBe('P3');
    const repeated = readXids([
      { xid: 13, at: min(0), count: 2 },
      { xid: 31, at: min(5) },
    ]);
    expect(repeated.kind).toBe('repeated-application-fault');
    expect(repeated.tier).toBe('P2');
    expect(repeated.summary).toContain('seen 3× on this one GPU');
    expect(readXids([{ xid: 13, at: min(0), count: 3 }], { repeatThreshold: 4 }).kind).toBe(
      'application-fault',
    );
  });

  it('lets the most urgent XID decide among unrelated ones and still names the first', () => {
    const r = readXids([
      { xid: 13, at: min(0) },
      { xid: 79, at: min(3) },
    ]);
    expect(r.kind).toBe('several');
    expect(r.first?.xid).toBe(13);
    expect(r.root?.xid).toBe(79);
    expect(r.summary).toContain('XID 13 (Graphics engine exception) came first');
    expect(r.summary).toContain('Act on XID 79 (GPU fell off the bus)');
  });

  it('counts only sightings inside the window and says so when none is left', () => {
    const r = readXids(
      [
        { xid: 48, at: min(-120) },
        { xid: 63, at: min(1) },
      ],
      { window: { from: min(0), to: min(10) } },
    );
    expect(r.sequence.map((s) => s.xid)).toEqual([63]);
    expect(r.kind).toBe('single');
    expect(r.action).toBe('reset-at-next-drain');
    expect(readXids([{ xid: 0, at: min(0) }]).kind).toBe('none');
  });

  it('shows an XID outside the catalog as unknown, tier P2, with no invented action', () => {
    const r = readXids([{ xid: 999, at: min(0) }]);
    expect(r.tier).toBe('P2');
    expect(r.action).toBeUndefined();
    expect(r.summary).toContain("not in the bot's catalog");
  });

  it('gives the same reading whatever the order of the sightings', () => {
    const a = [
      { xid: 45, at: min(2) },
      { xid: 48, at: min(0) },
      { xid: 64, at: min(1) },
    ];
    expect(readXids(a)).toEqual(readXids([...a].reverse()));
  });
});
