import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { DCGM } from '../../../queries/gpu/metric-names.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { collectDcgmFamilies } from '../../../sim/dcgm/families.ts';

const DEPLOY = new URL('../../../deploy/', import.meta.url);

/** The counters file as the exporter reads it: `field, type, help`, `#` lines are comments. */
function counters(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [i, raw] of readFileSync(new URL('dcgm-exporter/counters.csv', DEPLOY), 'utf8')
    .split('\n')
    .entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [field, type, ...help] = line.split(',').map((p) => p.trim());
    if (!field || !/^DCGM_(FI|EXP)_[A-Z0-9_]+$/.test(field))
      throw new Error(`line ${i + 1}: bad field ${field}`);
    if (!['gauge', 'counter', 'label'].includes(type ?? ''))
      throw new Error(`line ${i + 1}: bad type ${type}`);
    if (help.join(',').length === 0) throw new Error(`line ${i + 1}: no help text`);
    if (out.has(field)) throw new Error(`line ${i + 1}: ${field} twice`);
    out.set(field, type!);
  }
  return out;
}

const rulesText = readFileSync(new URL('prometheus/gpu-alerts.rules.yml', DEPLOY), 'utf8');

describe('the recommended DCGM exporter counters file', () => {
  it('enables every DCGM field the vetted queries and the shipped rules read', () => {
    const enabled = counters();
    const read = new Set([
      ...Object.values(DCGM),
      ...[...rulesText.matchAll(/\b(DCGM_(?:FI|EXP)_[A-Z0-9_]+)\b/g)].map((m) => m[1]!),
    ]);
    const missing = [...read].filter((f) => !enabled.has(f));
    expect(missing).toEqual([]);
    // The fields the exporter's own defaults leave off, which the bot depends on.
    for (const f of [
      'DCGM_EXP_XID_ERRORS_COUNT',
      'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
      'DCGM_FI_DEV_ROW_REMAP_PENDING',
      'DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL',
      'DCGM_FI_DEV_POWER_VIOLATION',
    ])
      expect(enabled.has(f), f).toBe(true);
  });

  it('is what the simulated exporter exports: no family or label field outside it', () => {
    const enabled = counters();
    const cluster = createDcgmCluster(new ManualClock());
    const families = collectDcgmFamilies(cluster.options, cluster.sample());
    for (const f of families) {
      expect(enabled.has(f.name), f.name).toBe(true);
      // Counter and gauge as declared (the exporter's own XID count is a gauge of the window).
      expect(f.type, f.name).toBe(enabled.get(f.name));
    }
    const labelFields = families[0]!.series[0]!.labels.map(([k]) => k).filter((k) => k.startsWith('DCGM_'));
    expect(labelFields).toEqual(['DCGM_FI_DRIVER_VERSION', 'DCGM_FI_DEV_SERIAL']);
    for (const l of labelFields) expect(enabled.get(l)).toBe('label');
  });
});
