import type { Block } from './schema.ts';

/**
 * What is left of the message's budget. Slack caps a message at 50 blocks; very long block
 * payloads also fail with `msg_blocks_too_long` (observed near 13k characters, bolt-js#2509),
 * so the renderer also keeps the serialised blocks under a character budget.
 */
export interface Room {
  blocks: number;
  chars: number;
}

/** Size of a block as the renderer budgets it: its serialised JSON length. */
export function measureBlock(b: Block): number {
  return JSON.stringify(b).length;
}

export function measureBlocks(blocks: readonly Block[]): number {
  let n = 0;
  for (const b of blocks) n += measureBlock(b);
  return n;
}

/** True when `blocks` fit in `room`. */
export function fits(blocks: readonly Block[], room: Room): boolean {
  return blocks.length <= room.blocks && measureBlocks(blocks) <= room.chars;
}

/** Hands out block ids that are unique within one rendered message and short. */
export interface BlockIds {
  next(kind: string): string;
}

export function createBlockIds(): BlockIds {
  let n = 0;
  return { next: (kind) => `${kind}-${++n}` };
}

/** Room kept free for the context line that says what was left out. */
const NOTE_RESERVE = 200;

/**
 * Places `chunks` (consecutive parts of one section) while they fit, always keeping room for
 * the note that says how much was left out. Null when not even the first chunk fits.
 */
export function placeChunks(
  chunks: readonly { block: Block; weight: number }[],
  room: Room,
  ids: BlockIds,
  describeOmitted: (omittedWeight: number) => string,
): Block[] | null {
  const out: Block[] = [];
  let used = 0;
  let placed = 0;
  for (const [i, chunk] of chunks.entries()) {
    const last = i === chunks.length - 1;
    const size = measureBlock(chunk.block);
    if (out.length + 1 + (last ? 0 : 1) > room.blocks || used + size + (last ? 0 : NOTE_RESERVE) > room.chars)
      break;
    out.push(chunk.block);
    used += size;
    placed++;
  }
  if (out.length === 0) return null;
  if (placed < chunks.length) {
    const omitted = chunks.slice(placed).reduce((n, c) => n + c.weight, 0);
    out.push({
      type: 'context',
      block_id: ids.next('omitted'),
      elements: [{ type: 'mrkdwn', text: describeOmitted(omitted), verbatim: true as const }],
    });
  }
  return out;
}

/**
 * Builds a block whose text may be shortened to fit `room`: `build(max)` must return a block whose
 * text is at most `max` characters. Serialised JSON is longer than the text (escaped newlines and
 * quotes), so the budget shrinks until the block fits. Null when it cannot fit usefully.
 */
export function shrinkToRoom(
  limit: number,
  room: Room,
  build: (max: number) => Block,
  minText = 80,
): Block | null {
  if (room.blocks < 1) return null;
  let max = Math.min(limit, room.chars - 100);
  for (let attempt = 0; attempt < 6 && max >= minText; attempt++) {
    const b = build(max);
    const size = measureBlock(b);
    if (size <= room.chars) return b;
    max -= size - room.chars + 16;
  }
  return null;
}
