import type { XidReading } from '../../core/gpu/read-xids.ts';
import { lookupXid, XID_CATALOG_URL } from '../../core/gpu/xid-catalog.ts';
import type { Section, Tone } from '../../core/message.ts';
import { cardTime, type TimeFormat } from './format.ts';

const TONE: Record<NonNullable<XidReading['tier']>, Tone> = { P1: 'attention', P2: 'warning', P3: 'default' };

const IMPLIES: Record<string, string> = {
  application: 'application fault',
  'side-effect': 'side effect',
  'memory-recorded': 'memory error recorded',
  hardware: 'GPU hardware',
  interconnect: 'NVLink',
  firmware: 'GSP firmware',
  'driver-recovery': 'driver recovery',
};

/**
 * What one GPU's XIDs mean together: the reading's verdict as a notice, the sequence in the
 * order the XIDs first appeared (side effects marked), when to replace the GPU, and the source.
 */
export function xidReadingSections(who: string, reading: XidReading, time: TimeFormat): Section[] {
  if (reading.kind === 'none') return [];
  const sections: Section[] = [
    { kind: 'notice', tone: TONE[reading.tier ?? 'P2'], text: `${who}: ${reading.summary}` },
    {
      kind: 'table',
      title: `XIDs on ${who}, first seen first`,
      columns: ['XID', 'Meaning', 'Points at', 'First seen', 'Seen'],
      rows: reading.sequence.map((s) => [
        String(s.xid),
        s.entry?.name ?? 'not in the catalog',
        reading.sideEffects.includes(s)
          ? `side effect of XID ${reading.first?.xid ?? ''}`.trim()
          : s.entry
            ? IMPLIES[s.entry.implies]!
            : 'unknown',
        cardTime(s.at, time),
        `${s.count}×`,
      ]),
      more: 0,
    },
  ];
  if (reading.replaceWhen)
    sections.push({ kind: 'facts', facts: [['Replace the GPU', reading.replaceWhen]] });
  const sources = [...new Set(reading.sequence.map((s) => s.entry?.source ?? XID_CATALOG_URL))];
  sections.push({
    kind: 'links',
    links: sources.map((url) => ({
      title: url === XID_CATALOG_URL ? 'NVIDIA XID catalog' : 'NVIDIA row remapping guide',
      url,
    })),
  });
  return sections;
}

/**
 * An uncorrectable ECC error without an XID on the card: the catalog's double-bit ECC action
 * (XID 48 is what the driver logs for one), never a blanket "replace the GPU".
 */
export function eccGuidanceSections(who: string): Section[] {
  const dbe = lookupXid(48)!;
  return [
    {
      kind: 'notice',
      tone: 'attention',
      text: `${who}: uncorrectable ECC error. ${dbe.actionText} Replace the GPU only ${dbe.replaceWhen}.`,
    },
    { kind: 'links', links: [{ title: 'NVIDIA XID catalog', url: dbe.source }] },
  ];
}
