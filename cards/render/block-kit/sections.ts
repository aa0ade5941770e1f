import { type Fact, plainText, type RichText, type Section, type Tone } from '../../../core/message.ts';
import { type BlockIds, placeChunks, type Room, shrinkToRoom } from './room.ts';
import { BLOCK_KIT_LIMITS, type Block } from './schema.ts';
import { renderTable } from './table.ts';
import {
  defuseCodeFence,
  escapeMrkdwn,
  fitMrkdwn,
  fitPlain,
  fitRich,
  richMrkdwn,
  takeEscapedPrefix,
  truncationNote,
} from './text.ts';

/** One renderer per section kind; each returns null when the section does not fit in `room`. */

const L = BLOCK_KIT_LIMITS;

const TONE_EMOJI: Record<Tone, string> = {
  default: ':information_source:',
  good: ':white_check_mark:',
  warning: ':warning:',
  attention: ':rotating_light:',
  accent: ':small_blue_diamond:',
};

/** Splits text on line boundaries into raw chunks whose escaped form fits `max`. */
export function chunkText(raw: string, max: number): string[] {
  const chunks: string[] = [];
  let current: string | undefined;
  for (const line of raw.split('\n')) {
    const candidate = current === undefined ? line : `${current}\n${line}`;
    if (escapeMrkdwn(candidate).length <= max) {
      current = candidate;
      continue;
    }
    if (current !== undefined) chunks.push(current);
    let rest = line;
    while (escapeMrkdwn(rest).length > max) {
      const head = takeEscapedPrefix(rest, max);
      chunks.push(head);
      rest = rest.slice(head.length);
    }
    current = rest;
  }
  if (current !== undefined) chunks.push(current);
  return chunks.filter((c) => c.trim() !== '');
}

/**
 * Text per section: Slack's limit, or less when the room is small, so the first part of a long
 * text still fits (JSON escaping makes the serialised block up to ~20% longer than its text).
 */
function chunkSize(room: Room): number {
  return Math.max(200, Math.min(L.sectionText, Math.floor((room.chars - 300) * 0.8)));
}

function section(ids: BlockIds, kind: string, text: string): Block {
  return {
    type: 'section',
    block_id: ids.next(kind),
    text: { type: 'mrkdwn', text, verbatim: true as const },
  };
}

function context(ids: BlockIds, kind: string, text: string): Block {
  return {
    type: 'context',
    block_id: ids.next(kind),
    elements: [{ type: 'mrkdwn', text, verbatim: true as const }],
  };
}

function renderText(text: string, room: Room, ids: BlockIds): Block[] | null {
  // A chunk's weight is the raw text from the end of the previous chunk to its own end, so the
  // newlines and blank lines between chunks are counted when chunks are left out.
  // Only a prefix a few times the room is split: the rest cannot fit anyway (escaping never makes
  // text shorter), and splitting megabytes of log text would be slow. The tail is counted below.
  const considered = text.slice(0, room.chars * 2 + 1000);
  let prevEnd = 0;
  const chunks = chunkText(considered, chunkSize(room)).map((c) => {
    const end = text.indexOf(c, prevEnd) + c.length;
    const weight = end - prevEnd;
    prevEnd = end;
    return { block: section(ids, 'text', escapeMrkdwn(c)), weight };
  });
  const last = chunks.at(-1);
  if (last) last.weight += text.length - prevEnd;
  if (chunks.length === 0) return [];
  return placeChunks(chunks, room, ids, (n) => truncationNote(n));
}

/**
 * A text section: a heading is one bold line; text with times in it stays whole (so its date
 * tokens render) when it fits one section, and is otherwise split as plain text like any text.
 */
function renderRichText(text: RichText, heading: boolean, room: Room, ids: BlockIds): Block[] | null {
  if (heading) {
    const line = plainText(text).replace(/\s+/g, ' ').trim();
    if (!line) return [];
    const b = shrinkToRoom(L.sectionText, room, (max) =>
      section(ids, 'text', `*${fitMrkdwn(line, max - 2, ' ')}*`),
    );
    return b ? [b] : null;
  }
  if (typeof text === 'string') return renderText(text, room, ids);
  const whole = richMrkdwn(text);
  if (whole.length <= chunkSize(room)) {
    const b = section(ids, 'text', whole);
    return room.blocks >= 1 && JSON.stringify(b).length <= room.chars ? [b] : null;
  }
  return renderText(plainText(text), room, ids);
}

/** `*label*` over the value; both escaped and cut to the field limit. */
function factField(fact: Fact, max: number): { type: 'mrkdwn'; text: string; verbatim: true } {
  const labelMax = Math.min(200, Math.floor(max / 2));
  const label = `*${fitMrkdwn(fact[0].replace(/\s+/g, ' ') || '—', labelMax, ' ')}*\n`;
  const value = plainText(fact[1]) ? fact[1] : '—';
  return { type: 'mrkdwn', text: label + fitRich(value, max - label.length), verbatim: true as const };
}

/** Facts as section fields, ten per section (Slack's maximum). */
export function renderFacts(facts: readonly Fact[], title: string | undefined, room: Room, ids: BlockIds) {
  if (facts.length === 0 && !title?.trim()) return [];
  // Facts are meant to be short; a few long values must not take the whole message's budget.
  // The first section's fields must fit the room together (~40 chars of JSON around each).
  const n = Math.max(facts.length, 1);
  const fair = Math.min(room.chars / (2 * n), (room.chars - 200) / Math.min(n, L.sectionFields));
  const perField = Math.min(L.fieldText, Math.max(60, Math.floor(fair) - 40));
  const chunks: { block: Block; weight: number }[] = [];
  for (let i = 0; i < Math.max(facts.length, 1); i += L.sectionFields) {
    const part = facts.slice(i, i + L.sectionFields);
    const heading =
      i === 0 && title?.trim()
        ? {
            text: {
              type: 'mrkdwn' as const,
              text: `*${fitMrkdwn(title, 200, ' ')}*`,
              verbatim: true as const,
            },
          }
        : {};
    const fields = part.length ? { fields: part.map((f) => factField(f, perField)) } : {};
    chunks.push({
      block: { type: 'section', block_id: ids.next('facts'), ...heading, ...fields },
      weight: part.length,
    });
  }
  return placeChunks(chunks, room, ids, (n) => `… ${n} more fact${n === 1 ? '' : 's'} not shown`);
}

function renderCode(title: string, code: string, room: Room, ids: BlockIds): Block[] | null {
  const heading = title.trim() ? `*${fitMrkdwn(title, 200, ' ')}*\n` : '';
  const body = defuseCodeFence(code) || ' ';
  const b = shrinkToRoom(L.sectionText, room, (max) => {
    const fence = `${heading}\`\`\`\n`;
    if (fence.length + body.length + 4 <= max) {
      const whole = `${fence}${escapeMrkdwn(body)}\n\`\`\``;
      if (whole.length <= max) return section(ids, 'code', whole);
    }
    const note = `\n_${truncationNote(body.length)}_`;
    const kept = takeEscapedPrefix(body, max - fence.length - note.length - 4);
    const text = `${fence}${escapeMrkdwn(kept)}\n\`\`\`\n_${truncationNote(body.length - kept.length)}_`;
    return section(ids, 'code', text);
  });
  return b ? [b] : null;
}

function renderNotice(text: RichText, tone: Tone, room: Room, ids: BlockIds): Block[] | null {
  const emoji = `${TONE_EMOJI[tone]} `;
  // Warnings and alerts get a full section; the rest stay in small context text.
  const make = tone === 'warning' || tone === 'attention' ? section : context;
  const b = shrinkToRoom(L.sectionText, room, (max) =>
    make(ids, 'notice', emoji + fitRich(text, max - emoji.length)),
  );
  return b ? [b] : null;
}

function renderImage(s: Extract<Section, { kind: 'image' }>, room: Room, ids: BlockIds): Block[] | null {
  const b: Block =
    s.url.length <= L.imageUrl
      ? {
          type: 'image',
          block_id: ids.next('image'),
          image_url: s.url,
          alt_text: fitPlain(s.alt, L.imageAltText),
          ...(s.title?.trim()
            ? { title: { type: 'plain_text', text: fitPlain(s.title, L.imageTitle), emoji: true } }
            : {}),
        }
      : context(
          ids,
          'image',
          `:frame_with_picture: Image not shown (its URL is too long for Slack): ${fitMrkdwn(s.alt, 1000)}`,
        );
  return room.blocks >= 1 && JSON.stringify(b).length <= room.chars ? [b] : null;
}

/** `<url|title>`: Slack's link syntax; `&`, `<`, `>` and `|` in the URL would end it early. */
export function formatLink(title: string, url: string): string {
  const safeUrl = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  const label = escapeMrkdwn(title.replace(/\s+/g, ' ').trim() || url);
  return `<${safeUrl}|${label}>`;
}

function renderLinks(links: readonly { title: string; url: string }[], room: Room, ids: BlockIds) {
  const lines = links.map((l) => {
    const line = `:link: ${formatLink(l.title, l.url)}`;
    return line.length <= L.sectionText
      ? line
      : `:link: ${fitMrkdwn(l.title, 1000)} (link too long for Slack)`;
  });
  const chunks: { block: Block; weight: number }[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length)
      chunks.push({ block: section(ids, 'links', current.join('\n')), weight: current.length });
    current = [];
  };
  for (const line of lines) {
    if ([...current, line].join('\n').length > chunkSize(room)) flush();
    current.push(line);
  }
  flush();
  if (chunks.length === 0) return [];
  return placeChunks(chunks, room, ids, (n) => `… ${n} more link${n === 1 ? '' : 's'} not shown`);
}

/** Renders one section of the neutral message; `[]` means nothing to show, null means no room. */
export function renderSection(s: Section, room: Room, ids: BlockIds): Block[] | null {
  switch (s.kind) {
    case 'text':
      return renderRichText(s.text, s.style === 'heading', room, ids);
    case 'facts':
      return renderFacts(s.facts, s.title, room, ids);
    case 'table':
      return renderTable(s, room, ids);
    case 'image':
      return renderImage(s, room, ids);
    case 'code':
      return renderCode(s.title, s.code, room, ids);
    case 'notice':
      return plainText(s.text).trim() ? renderNotice(s.text, s.tone, room, ids) : [];
    case 'links':
      return renderLinks(s.links, room, ids);
  }
}
