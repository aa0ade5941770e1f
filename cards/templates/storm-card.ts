import type { AlertResource } from '../../core/alerts/alert.ts';
import { formatIncidentId } from '../../core/alerts/incident.ts';
import type { Storm, StormIncident } from '../../core/alerts/storm.ts';
import { buildMessage, type Fact, type Message, type MessageAction } from '../../core/message.ts';
import { cardTime, rich, type TimeFormat } from './format.ts';

const RECENT_ROWS = 10;
const TOP_N = 5;
const TIERS = ['P1', 'P2', 'P3'] as const;

/** The one resource a person would name the incident by. */
function resourceName(r: AlertResource): string | undefined {
  if (r.node) return r.gpu ? `${r.node} GPU ${r.gpu}` : r.node;
  return (
    r.deployment ??
    r.pod ??
    r.model ??
    r.appRole ??
    r.namespace ??
    r.cluster ??
    r.azureResourceId?.split('/').pop()
  );
}

/** The `n` most frequent values, most frequent first, as facts "value → count". */
function topCounts(values: readonly (string | undefined)[], n: number): Fact[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([value, count]) => [value, String(count)]);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The alert storm's summary card: one card, updated in place, instead of a card per incident. It
 * counts the storm's incidents by tier and status, names the kinds and resources hit most, lists
 * the latest few, and points at /alerts for the rest.
 */
export function stormCard(input: {
  storm: Storm;
  /** The storm's incidents, newest first. */
  incidents: readonly StormIncident[];
  time: TimeFormat;
  /** Durations offered by "Silence all" (the policy's silence choices). */
  silenceChoices?: readonly string[];
}): Message {
  const { storm, incidents, time } = input;
  // Clock times are time elements the client renders in the reader's zone; the server's own
  // rendering would be in one zone for everyone and the title (plain text on Slack) cannot hold one.
  const since = cardTime(storm.startedAt, time, 'time');
  const open = incidents.filter((i) => i.status === 'open');
  const firing = open.length;
  const acked = open.filter((i) => i.acknowledgedBy !== null).length;
  const silenced = open.filter((i) => i.silenceId !== null).length;
  // Nobody has taken these yet: what "Acknowledge all" and "Silence all" would act on.
  const untaken = open.filter((i) => i.acknowledgedBy === null && i.silenceId === null).length;
  const resolved = incidents.length - firing;
  const ended = storm.endedAt !== null;
  const byTier = TIERS.map((t) => [t, incidents.filter((i) => i.tier === t).length] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`)
    .join(' · ');
  const mostUrgent = TIERS.find((t) => incidents.some((i) => i.tier === t));
  const subtitle = ended
    ? rich`since ${since} · ended ${cardTime(storm.endedAt!, time, 'time')} · ${firing} still firing`
    : rich`since ${since} · ${firing} firing · ${resolved} resolved · last incident ${cardTime(storm.lastIncidentAt, time, 'time')}`;
  const kinds = topCounts(
    incidents.map((i) => i.kind),
    TOP_N,
  );
  const resources = topCounts(
    incidents.map((i) => resourceName(i.resource)),
    TOP_N,
  );
  return buildMessage({
    header: {
      title: `Alert storm: ${plural(incidents.length, 'incident')}`,
      ...(mostUrgent ? { tier: mostUrgent } : {}),
      // Ended is not resolved: incidents of the storm may still fire.
      status: ended ? (firing === 0 ? 'resolved' : 'info') : 'warning',
      subtitle,
    },
    facts: [
      ['By tier', byTier || 'none'],
      ['Status', `${firing} firing · ${resolved} resolved`],
      ...(firing > 0
        ? [['Taken', `${acked} acknowledged · ${silenced} silenced · ${untaken} nobody yet`] as Fact]
        : []),
    ],
    sections: [
      ...(kinds.length > 0 ? [{ kind: 'facts' as const, title: 'Top kinds', facts: kinds }] : []),
      ...(resources.length > 0 ? [{ kind: 'facts' as const, title: 'Top resources', facts: resources }] : []),
      {
        kind: 'table',
        title: 'Most recent',
        columns: ['Incident', 'Tier', 'Status', 'Title'],
        rows: incidents
          .slice(0, RECENT_ROWS)
          .map((i) => [formatIncidentId(i.id), i.tier, stormRowStatus(i), i.title]),
        more: Math.max(0, incidents.length - RECENT_ROWS),
      },
      {
        kind: 'notice',
        tone: ended ? 'default' : 'warning',
        text: ended
          ? 'The storm is over: new incidents get their own cards again. Type /alerts to list the ones still open.'
          : 'New incidents fold into this card instead of posting their own. Type /alerts to list them; /ack and /silence work on any INC id.',
      },
    ],
    // Buttons while someone still has to take an incident; none once all are acknowledged or silenced.
    actions: untaken > 0 ? stormActions(storm.id, input.silenceChoices ?? ['1h', '4h', '24h']) : [],
  });
}

/** A row's status: resolved, silenced, acknowledged (by whom) or firing. */
function stormRowStatus(i: StormIncident): { text: string; tone: 'attention' | 'good' | 'default' } {
  if (i.status !== 'open') return { text: 'resolved', tone: 'good' };
  if (i.silenceId !== null) return { text: 'silenced', tone: 'default' };
  if (i.acknowledgedBy !== null) return { text: `ack ${i.acknowledgedBy}`, tone: 'default' };
  return { text: 'firing', tone: 'attention' };
}

/** Acting on the whole storm at once: each firing incident is acknowledged or silenced. */
function stormActions(stormId: number, silenceChoices: readonly string[]): MessageAction[] {
  const data = { stormId };
  return [
    { verb: 'storm-ack', title: 'Acknowledge all', style: 'positive', data },
    {
      verb: 'storm-silence',
      title: 'Silence all',
      style: 'default',
      data,
      input: {
        id: 'duration',
        label: 'Silence for',
        choices: silenceChoices.map((d) => ({ title: d, value: d })),
        value: silenceChoices[0] ?? '1h',
      },
    },
  ];
}
