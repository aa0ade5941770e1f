import { AppError } from '../../core/errors.ts';
import { type Message, summarizeMessage } from '../../core/message.ts';
import { renderActions } from './block-kit/actions.ts';
import { renderHeader } from './block-kit/header.ts';
import { createBlockIds, measureBlocks, type Room } from './block-kit/room.ts';
import { BLOCK_KIT_LIMITS, type Block, type BlockKitMessage } from './block-kit/schema.ts';
import { renderFacts, renderSection } from './block-kit/sections.ts';
import { escapeMrkdwn } from './block-kit/text.ts';

export type { SlackActionPayload } from './block-kit/actions.ts';
export { decodeActionId, decodeBlockKitAction, encodeActionId } from './block-kit/actions.ts';
export type { Block, BlockKitMessage } from './block-kit/schema.ts';
export { BLOCK_KIT_LIMITS, blockKitMessage } from './block-kit/schema.ts';

export interface BlockKitOptions {
  /** Block budget; Slack's maximum for messages is 50. */
  maxBlocks?: number;
  /**
   * Budget for the serialised blocks. Slack documents no total, but payloads near 13k characters
   * fail with `msg_blocks_too_long` (bolt-js#2509), so the default stays below that. Header and
   * actions are placed first (never dropped); content gets the rest, but at least
   * {@link MIN_CONTENT_CHARS}, so the total can exceed the budget only when the actions alone do.
   */
  maxChars?: number;
}

export const DEFAULT_MAX_BLOCK_CHARS = 12_000;
/** Content kept even when header and actions alone use up the character budget. */
export const MIN_CONTENT_CHARS = 2000;
/** Room kept for the final "… N more sections not shown" line. */
const OMITTED_NOTE_CHARS = 200;

/**
 * The room one section may use: most of what is left, but not all of it, so one long table or
 * log excerpt cannot push every later section (often the chart or the links) out of the card.
 */
function shareOf(room: Room): Room {
  return { blocks: room.blocks, chars: Math.max(Math.floor(room.chars * 0.6), Math.min(room.chars, 3500)) };
}

function omittedNote(count: number, blockId: string): Block {
  const what = count === 1 ? '1 more section' : `${count} more sections`;
  return {
    type: 'context',
    block_id: blockId,
    elements: [
      { type: 'mrkdwn', text: `… ${what} not shown (Slack message size limits)`, verbatim: true as const },
    ],
  };
}

/**
 * Renders the neutral message as Slack Block Kit: a top-level `text` fallback for notifications
 * plus blocks within Slack's documented limits. Whatever is cut is said in the message
 * ("… 12 more rows", "… truncated 340 chars"); actions are never dropped, and an action whose
 * data cannot fit fails with an {@link AppError} (`BLOCK_KIT_VALUE_TOO_LONG`, …) instead.
 */
export function toBlockKit(msg: Message, options: BlockKitOptions = {}): BlockKitMessage {
  const maxBlocks = Math.min(
    options.maxBlocks ?? BLOCK_KIT_LIMITS.blocksPerMessage,
    BLOCK_KIT_LIMITS.blocksPerMessage,
  );
  const maxChars = options.maxChars ?? DEFAULT_MAX_BLOCK_CHARS;
  const ids = createBlockIds();
  const head = renderHeader(msg.header, ids);
  const actions = renderActions(msg.actions, ids);
  const room: Room = {
    blocks: maxBlocks - head.length - actions.length - 1,
    // Actions are never dropped, so content gives way to them; but some content always stays,
    // or a card with many buttons would lose its evidence entirely.
    chars: Math.max(
      MIN_CONTENT_CHARS,
      maxChars - measureBlocks(head) - measureBlocks(actions) - OMITTED_NOTE_CHARS,
    ),
  };
  if (room.blocks < 0) {
    throw new AppError(
      'BLOCK_KIT_TOO_MANY_ACTIONS',
      `${msg.actions.length} actions do not fit in one Slack message; split them over several cards`,
    );
  }
  const body: Block[] = [];
  const place = (blocks: Block[] | null): boolean => {
    if (blocks === null) return false;
    body.push(...blocks);
    room.blocks -= blocks.length;
    room.chars -= measureBlocks(blocks);
    return true;
  };
  const pending = [
    () => renderFacts(msg.facts, undefined, shareOf(room), ids),
    ...msg.sections.map((s) => () => renderSection(s, shareOf(room), ids)),
  ];
  // Sections stay in order: once one does not fit, it and everything after it is reported as omitted.
  let shown = 0;
  while (shown < pending.length && place(pending[shown]!())) shown++;
  const omitted = pending.length - shown;
  if (omitted > 0) body.push(omittedNote(omitted, ids.next('omitted')));
  return { text: escapeMrkdwn(summarizeMessage(msg)), blocks: [...head, ...body, ...actions] };
}
