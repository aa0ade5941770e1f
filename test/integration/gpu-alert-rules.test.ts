import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { XID_CATALOG } from '../../core/gpu/xid-catalog.ts';
import { requireBinary } from '../helpers/require-binary.ts';

const PROMTOOL = '/usr/bin/promtool';
const available = requireBinary(PROMTOOL, 'apt-get install -y prometheus');
const DEPLOY = new URL('../../deploy/prometheus/', import.meta.url);

interface Rule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
}
const rules: Rule[] = (
  parse(readFileSync(new URL('gpu-alerts.rules.yml', DEPLOY), 'utf8')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((g) => g.rules);
const rule = (name: string) => rules.find((r) => r.alert === name)!;
const xidsIn = (expr: string) =>
  [...expr.matchAll(/DCGM_FI_DEV_XID_ERRORS == (\d+)/g)].map((m) => Number(m[1]));
const catalogTier = (tier: string) =>
  [...XID_CATALOG.values()].filter((e) => e.tier === tier).map((e) => e.xid);

describe('shipped GPU alert rules', () => {
  it('give each XID the tier of the bot’s XID catalog', () => {
    expect(xidsIn(rule('GpuXidFatal').expr).sort()).toEqual(catalogTier('P1').sort());
    expect(rule('GpuXidFatal').labels.tier).toBe('P1');
    expect(xidsIn(rule('GpuXidApplicationFault').expr).sort()).toEqual(catalogTier('P3').sort());
    expect(rule('GpuXidApplicationFault').labels.tier).toBe('P3');
    // P2: every other XID, the catalog's P2 ones and any it does not list.
    expect(xidsIn(rule('GpuXidAttention').expr).sort()).toEqual(
      [...catalogTier('P1'), ...catalogTier('P3')].sort(),
    );
    expect(rule('GpuXidAttention').labels.tier).toBe('P2');
    for (const name of ['GpuXidFatal', 'GpuXidAttention', 'GpuXidApplicationFault'])
      expect(rule(name).labels.xid, name).toBe('{{ $value }}');
  });

  it('no longer tell anyone to replace the GPU for every ECC error', () => {
    const ecc = JSON.stringify(rules.filter((r) => r.labels.kind === 'gpu-ecc'));
    expect(ecc).not.toMatch(/: replace the GPU/i);
    expect(ecc).toContain('Reset the GPU');
  });

  it.skipIf(!available)('pass promtool check rules and the shipped promtool unit tests', () => {
    const check = execFileSync(PROMTOOL, [
      'check',
      'rules',
      new URL('gpu-alerts.rules.yml', DEPLOY).pathname,
    ]);
    expect(check.toString()).toMatch(/SUCCESS: \d+ rules found/);
    const test = execFileSync(PROMTOOL, ['test', 'rules', 'gpu-alerts.test.yml'], { cwd: DEPLOY.pathname });
    expect(test.toString()).toContain('SUCCESS');
  });
});
