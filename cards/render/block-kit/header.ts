import type { Message, MessageStatus } from '../../../core/message.ts';
import { plainText } from '../../../core/message.ts';
import type { BlockIds } from './room.ts';
import { BLOCK_KIT_LIMITS, type Block } from './schema.ts';
import { fitPlain, fitRich } from './text.ts';

type Header = NonNullable<Message['header']>;
type Tier = NonNullable<Header['tier']>;

/** A subtitle is meant to be one short line; a long one would crowd out the card's evidence. */
const SUBTITLE_MAX = 500;

/** Firing incidents show their tier's colour, so P1 and P3 look different at a glance. */
const FIRING_EMOJI: Record<Tier, string> = {
  P1: ':red_circle:',
  P2: ':large_orange_circle:',
  P3: ':large_yellow_circle:',
};

const STATUS_EMOJI: Record<MessageStatus, string> = {
  firing: ':red_circle:',
  acknowledged: ':eyes:',
  silenced: ':mute:',
  flapping: ':repeat:',
  resolved: ':large_green_circle:',
  info: ':information_source:',
  success: ':white_check_mark:',
  warning: ':warning:',
  error: ':x:',
  pending: ':hourglass_flowing_sand:',
};

/** The emoji badge for a header: tier colour while firing, the status's own emoji otherwise. */
export function selectBadgeEmoji(header: Header): string | undefined {
  if (header.status === 'firing' && header.tier) return FIRING_EMOJI[header.tier];
  if (header.status) return STATUS_EMOJI[header.status];
  return header.tier ? FIRING_EMOJI[header.tier] : undefined;
}

/** `:red_circle: P1 FIRING · title`, cut to the header limit (the title is cut, never the badge). */
export function formatHeaderText(header: Header): string {
  const badge = [selectBadgeEmoji(header), header.tier, header.status?.toUpperCase()]
    .filter(Boolean)
    .join(' ');
  const prefix = badge ? `${badge} · ` : '';
  return prefix + fitPlain(header.title, BLOCK_KIT_LIMITS.headerText - prefix.length);
}

/** The header block plus, when there is a subtitle, a context line under it. */
export function renderHeader(header: Message['header'], ids: BlockIds): Block[] {
  if (!header) return [];
  const blocks: Block[] = [
    {
      type: 'header',
      block_id: ids.next('header'),
      text: { type: 'plain_text', text: formatHeaderText(header), emoji: true },
    },
  ];
  if (header.subtitle !== undefined && plainText(header.subtitle).trim()) {
    blocks.push({
      type: 'context',
      block_id: ids.next('subtitle'),
      elements: [
        { type: 'mrkdwn', text: fitRich(header.subtitle, SUBTITLE_MAX, ' '), verbatim: true as const },
      ],
    });
  }
  return blocks;
}
