import { formatTime } from '../../cards/templates/format.ts';
import type { AlertKind } from '../../core/alerts/alert.ts';
import { type Incident, incidentEnd, incidentStart } from '../../core/alerts/incident.ts';
import type { Section } from '../../core/message.ts';
import type { StoredAlert } from '../../core/store.ts';
import { gpuIndex, nodeName } from '../../queries/gpu/params.ts';
import type { CardEnrichment } from '../module.ts';
import type { ChartLinks } from './chart-links.ts';

/** Alert kinds whose cards carry the affected node's GPU chart. */
export const GPU_CHART_KINDS: ReadonlySet<AlertKind> = new Set([
  'gpu-temperature',
  'gpu-memory',
  'gpu-ecc',
  'gpu-xid',
  'gpu-utilisation',
  'network',
]);

/** Alert kinds whose chart is the error chart (XID, ECC, row remapping) rather than the node's load. */
const ERROR_CHART_KINDS: ReadonlySet<AlertKind> = new Set(['gpu-ecc', 'gpu-xid']);

const MINUTE = 60_000;
/** Charted look-back before the alert fired: enough to see the build-up. */
const BEFORE_MS = 45 * MINUTE;
/** Charted time after the alert when it resolved quickly, to show the recovery. */
const AFTER_MS = 15 * MINUTE;

/** The node and GPU an incident is about: its first alert naming a valid node, else the incident. */
function target(incident: Incident, alerts: readonly StoredAlert[]) {
  const sources = [...alerts.map((a) => a.alert.resource), incident.resource];
  for (const r of sources) {
    const node = nodeName.safeParse(r.node ?? '');
    if (!node.success) continue;
    const gpu = r.gpu === undefined ? undefined : gpuIndex.safeParse(r.gpu);
    return { node: node.data, gpu: gpu?.success ? gpu.data : undefined };
  }
  return undefined;
}

/**
 * The incident card's GPU chart (for ECC and XID incidents the error chart: XID, ECC and remap
 * series of the GPU): an image section with a signed link around the time the first
 * alert fired, up to now while firing and until a little after resolution once resolved. Only
 * builds a URL (the PNG is rendered when a client fetches it), so it is cheap enough to run on
 * every render. The window end is rounded to the minute, so re-renders within a minute produce
 * the same card.
 */
export function gpuAlertChart(
  links: ChartLinks,
  timeZone: string,
  incident: Incident,
  alerts: readonly StoredAlert[],
  now: number,
): CardEnrichment | undefined {
  if (!GPU_CHART_KINDS.has(incident.kind)) return undefined;
  const t = target(incident, alerts);
  if (!t) return undefined;
  const started = Math.min(
    ...alerts.map((a) => Date.parse(a.alert.startsAt)).filter(Number.isFinite),
    incidentStart(incident),
  );
  const closed = incidentEnd(incident) ?? Number.POSITIVE_INFINITY;
  const end = Math.ceil(Math.min(now, Math.max(started + AFTER_MS, closed + 5 * MINUTE)) / MINUTE) * MINUTE;
  const rangeMs = Math.max(end - started + BEFORE_MS, 60 * MINUTE);
  const errors = ERROR_CHART_KINDS.has(incident.kind);
  const url = links.forAlert(
    {
      ...(errors ? { kind: 'gpu-errors' as const } : {}),
      node: t.node,
      gpu: t.gpu,
      rangeMs: Math.min(rangeMs, 24 * 60 * MINUTE),
      end,
      marker: { at: started, label: 'alert fired' },
    },
    now,
  );
  const who = t.gpu === undefined ? t.node : `${t.node} GPU ${t.gpu}`;
  const section: Section = {
    kind: 'image',
    url,
    alt: `${errors ? 'XID, ECC and row-remap errors' : 'GPU utilisation, temperature and memory'} of ${who} around ${formatTime(started, { timeZone, now })}`,
    title: `${who}${errors ? ' errors' : ''} around the alert`,
  };
  return { sections: [section] };
}
