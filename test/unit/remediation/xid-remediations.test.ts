import { describe, expect, it } from 'vitest';
import { readXids } from '../../../core/gpu/read-xids.ts';
import { XID_CATALOG } from '../../../core/gpu/xid-catalog.ts';
import { ACTIONS } from '../../../remediation/catalog.ts';
import { remediationsForReading } from '../../../remediation/xid-remediations.ts';

const T = Date.parse('2026-12-07T10:00:00Z');
const min = (n: number) => T + n * 60_000;
const target = { node: 'node-3', gpu: 5 };

describe('remediations the XID knowledge suggests', () => {
  it('XID 79: reboot the node', () => {
    expect(remediationsForReading(readXids([{ xid: 79, at: min(0) }]), target)).toEqual([
      { action: 'reboot-node', title: 'Propose: Reboot node node-3', params: { node: 'node-3' } },
    ]);
  });

  it('48 followed by 63 on one GPU: drain the node and reset that GPU', () => {
    const reading = readXids([
      { xid: 48, at: min(0) },
      { xid: 63, at: min(1) },
    ]);
    expect(reading.replace).toBeUndefined();
    expect(remediationsForReading(reading, target)).toEqual([
      {
        action: 'drain-and-reset-gpu',
        title: 'Propose: Drain node-3 and reset GPU 5',
        params: { node: 'node-3', gpu: 5 },
      },
    ]);
  });

  it('64 repeating (the catalog’s replaceAfter) adds filing the GPU for replacement', () => {
    const once = readXids([{ xid: 64, at: min(0) }]);
    expect(once.replace).toBeUndefined();
    expect(remediationsForReading(once, target).map((s) => s.action)).toEqual(['drain-and-reset-gpu']);
    const again = readXids([
      { xid: 64, at: min(0) },
      { xid: 64, at: min(40) },
    ]);
    expect(again.replace).toEqual({ xid: 64, count: 2 });
    expect(remediationsForReading(again, target).map((s) => s.action)).toEqual([
      'drain-and-reset-gpu',
      'file-gpu-replacement',
    ]);
  });

  it('79 again after a reboot: reboot and file for replacement', () => {
    const r = readXids([{ xid: 79, at: min(0), count: 2 }]);
    expect(remediationsForReading(r, target).map((s) => s.action)).toEqual([
      'reboot-node',
      'file-gpu-replacement',
    ]);
  });

  it('offers nothing for what a person does in the application (13, 31), or watches (92, 63 alone)', () => {
    for (const xid of [13, 31, 63, 74, 92, 94, 154])
      expect(remediationsForReading(readXids([{ xid, at: min(0) }]), target), `XID ${xid}`).toEqual([]);
  });

  it('no GPU index: no reset (the node is still rebooted for 79)', () => {
    expect(
      remediationsForReading(readXids([{ xid: 48, at: min(0) }]), { node: 'node-3', gpu: undefined }),
    ).toEqual([]);
    expect(
      remediationsForReading(readXids([{ xid: 79, at: min(0) }]), { node: 'node-3', gpu: undefined }).map(
        (s) => s.action,
      ),
    ).toEqual(['reboot-node']);
  });

  it('every suggested action exists and accepts the parameters it is given', () => {
    for (const entry of XID_CATALOG.values())
      for (const count of [1, 3])
        for (const s of remediationsForReading(readXids([{ xid: entry.xid, at: min(0), count }]), target)) {
          const action = ACTIONS.find((a) => a.id === s.action);
          expect(action, `${s.action} for XID ${entry.xid}`).toBeDefined();
          expect(action!.params.safeParse(s.params).success, `${s.action} params for XID ${entry.xid}`).toBe(
            true,
          );
        }
  });
});
