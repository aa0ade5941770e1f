import { buildMessage, type Message, type RichText } from '../../core/message.ts';
import { cardTime, rich, type TimeFormat } from './format.ts';

/** What the on-call card shows of one escalation level (handlers' OncallLevel, structurally). */
export interface OncallCardLevel {
  level: number;
  name: string;
  now: { who: string; since: number | null; until: number | null } | undefined;
  next: { who: string; since: number | null } | undefined;
}

const when = (at: number | null, tf: TimeFormat, none: string): RichText =>
  at === null ? none : cardTime(at, tf);

/** `/oncall`: per escalation level who is on call now, since when and until when, and who is next. */
export function oncallCard(input: {
  levels: readonly OncallCardLevel[];
  origin: 'pagerduty' | 'policy';
  time: TimeFormat;
}): Message {
  const { levels, time } = input;
  const from = input.origin === 'pagerduty' ? 'from PagerDuty' : 'from the policy rotations';
  return buildMessage({
    header: {
      title: 'On call',
      status: 'info',
      subtitle: `${levels.length} escalation level${levels.length === 1 ? '' : 's'}, ${from}`,
    },
    sections: levels.length
      ? [
          {
            kind: 'table',
            columns: ['Level', 'Rotation', 'On call now', 'Since', 'Until', 'Next'],
            rows: levels.map((l) => [
              String(l.level),
              l.name,
              l.now?.who ?? 'nobody',
              l.now ? when(l.now.since, time, 'always') : '-',
              l.now ? when(l.now.until, time, 'no end') : '-',
              l.next
                ? l.next.since === null
                  ? l.next.who
                  : rich`${l.next.who} from ${cardTime(l.next.since, time)}`
                : '-',
            ]),
          },
        ]
      : [{ kind: 'text', text: 'No escalation level has anyone on call.' }],
  });
}
