import { defaultPolicy } from '../../bot/policy.ts';
import { incidentCard } from '../../cards/templates/incident-card.ts';
import { incidentList } from '../../cards/templates/incident-list.ts';
import { resolvedReply, textReply } from '../../cards/templates/incident-replies.ts';
import { queryResultCard } from '../../cards/templates/query-result.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { buildMessage, type Message, type Section } from '../../core/message.ts';
import type { StoredAlert } from '../../core/store.ts';
import { classifyAlert } from '../../handlers/alerts/classify.ts';
import { evidenceSections } from '../../handlers/queries/evidence-sections.ts';
import { parsed } from './alerts.ts';
import { sampleEvidence, throttleSpikeRun } from './sample-results.ts';

const T0 = Date.parse('2026-11-28T09:00:00Z');
const NOW = T0 + 14 * 60_000;

function stored(overrides: Parameters<typeof parsed>[0], extra: Partial<StoredAlert> = {}): StoredAlert {
  return {
    alert: classifyAlert(parsed(overrides), defaultPolicy()),
    incidentId: 42,
    firstSeenAt: T0,
    lastSeenAt: NOW,
    resolvedAt: null,
    refireCount: 0,
    receiveCount: 1,
    ...extra,
  };
}

const base: Incident = {
  id: 42,
  groupKey: 'alertmanager|{}:{alertname="GpuTemperatureHigh"}',
  source: 'alertmanager',
  title: 'GPU 3 on node-7 above 83 °C',
  kind: 'gpu-temperature',
  tier: 'P2',
  status: 'open',
  flapping: false,
  flapCount: 0,
  resource: { node: 'node-7', gpu: '3' },
  acknowledgedBy: null,
  acknowledgedAt: null,
  silenceId: null,
  silencedBy: null,
  silencedUntil: null,
  openedAt: T0,
  updatedAt: NOW,
  resolvedAt: null,
  version: 3,
};

const gpuAlerts = [
  stored({
    description: 'DCGM_FI_DEV_GPU_TEMP has been above 83 °C for 5 minutes.',
    values: { temperature: 87 },
    annotations: { threshold: '83' },
    links: [
      { kind: 'runbook', url: 'https://runbooks.example.com/gpu-temperature' },
      { kind: 'generator', url: 'http://prometheus.example.com/graph?g0.expr=DCGM_FI_DEV_GPU_TEMP' },
    ],
  }),
  stored(
    { fingerprint: 'fp-2', summary: 'GPU 4 on node-7 above 83 °C', resource: { node: 'node-7', gpu: '4' } },
    { refireCount: 1 },
  ),
];

/** A card with more sections at the end, as a module's enrichment adds them. */
function withSections(card: Message, sections: Section[]): Message {
  return buildMessage({ ...card, sections: [...card.sections, ...sections] });
}

/**
 * Every card template in its representative states, for golden files and schema checks. `now` is
 * the render time, so a test can re-render the same states later.
 */
export function sampleCards(now = NOW): Record<string, Message> {
  const time = { timeZone: 'UTC', now };
  const eccAlert = stored({
    rule: 'GpuEccUncorrectable',
    summary: 'Uncorrectable ECC error on node-3 GPU 5: replace the GPU',
    labels: { alertname: 'GpuEccUncorrectable', severity: 'critical' },
    resource: { node: 'node-3', gpu: '5', cluster: 'aks-gpu-01' },
  });
  const throttled = stored({
    source: 'azure-monitor',
    rule: 'aoai-prod-eastus2-429-rate',
    summary: 'gpt-4o requests throttled (HTTP 429)',
    description: 'More than 5% of gpt-4o requests throttled (429) for 10 minutes.',
    labels: { alertname: 'aoai-prod-eastus2-429-rate', severity: 'Sev2' },
    resource: { deployment: 'gpt-4o' },
  });
  const resolved = gpuAlerts.map((s) => ({ ...s, alert: { ...s.alert, status: 'resolved' as const } }));
  return {
    'incident-p1-firing': incidentCard({
      incident: { ...base, id: 7, title: eccAlert.alert.summary, kind: 'gpu-ecc', tier: 'P1' },
      alerts: [eccAlert],
      time,
    }),
    'incident-p2-firing': incidentCard({ incident: base, alerts: gpuAlerts, time }),
    'incident-acknowledged': incidentCard({
      incident: { ...base, acknowledgedBy: 'bob', acknowledgedAt: T0 + 10 * 60_000 },
      alerts: gpuAlerts,
      time,
    }),
    'incident-silenced': incidentCard({
      incident: { ...base, silenceId: 3, silencedBy: 'alice', silencedUntil: NOW + 3_600_000 },
      alerts: gpuAlerts,
      time,
    }),
    'incident-flapping': incidentCard({
      incident: { ...base, flapping: true, flapCount: 2 },
      alerts: gpuAlerts,
      time,
    }),
    'incident-resolved': incidentCard({
      incident: { ...base, status: 'resolved', resolvedAt: NOW },
      alerts: resolved,
      time,
    }),
    'incident-list': incidentList([base, { ...base, id: 7, tier: 'P1', title: 'ECC error on node-3' }], NOW),
    'incident-list-empty': incidentList([], NOW),
    'reply-resolved': resolvedReply({ ...base, resolvedAt: NOW }, 2),
    'reply-text': textReply('INC-42 acknowledged.', 'good'),
    'kql-result': queryResultCard(throttleSpikeRun(), { backend: 'local' }),
    'incident-evidence': withSections(
      incidentCard({
        incident: {
          ...base,
          groupKey: 'azure-monitor|aoai-prod-eastus2-429-rate',
          source: 'azure-monitor',
          title: throttled.alert.summary,
          kind: 'aoai-throttling',
          resource: { deployment: 'gpt-4o' },
        },
        alerts: [throttled],
        time,
      }),
      evidenceSections(sampleEvidence(42, NOW)),
    ),
  };
}
