import { cellParts, plainText, type Section, type TableCell, type Tone } from '../../../core/message.ts';
import type { BlockIds, Room } from './room.ts';
import { BLOCK_KIT_LIMITS, type Block } from './schema.ts';
import { clipToWidth, defuseCodeFence, displayWidth, escapeMrkdwn, fitMrkdwn } from './text.ts';

/**
 * Tables become aligned monospace text in code blocks, split over several sections when long.
 * Slack has no cell colours, so a toned cell gets a text marker and the footer explains it.
 */
type TableSection = Extract<Section, { kind: 'table' }>;

const MARKER: Record<Tone, string> = { default: '', good: '+', warning: '!', attention: '!!', accent: '*' };
const LEGEND_ORDER: Tone[] = ['attention', 'warning', 'good', 'accent'];
/** Cells wider than this are clipped so one long value cannot push the other columns away. */
const COLUMN_MAX = 40;
/** Columns that would make a line wider than this are left out (and the footer says so). */
const LINE_MAX = 160;
const GAP = '  ';
/** JSON around a section's text: type, block_id, keys and quotes. */
const SECTION_OVERHEAD = 90;
const FOOTER_RESERVE = 400;

/** Newlines and tabs would break the alignment. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cellText(cell: TableCell | undefined): { text: string; tone: Tone } {
  // Tables are code blocks, where Slack renders no date tokens: times show as their fallback.
  const parts = cellParts(cell);
  const tone = parts.tone;
  const text = oneLine(plainText(parts.text));
  return { text: MARKER[tone] ? `${text} ${MARKER[tone]}`.trim() : text, tone };
}

function pad(text: string, width: number): string {
  const clipped = clipToWidth(text, width);
  return clipped + ' '.repeat(Math.max(0, width - displayWidth(clipped)));
}

interface Layout {
  header: string;
  rule: string;
  rows: string[];
  rowTones: Set<Tone>[];
  hiddenColumns: number;
}

function layOut(section: TableSection): Layout {
  const names = section.columns.map(oneLine);
  const cells = section.rows.map((row) => section.columns.map((_, c) => cellText(row[c])));
  const widths = names.map((name, c) =>
    Math.min(COLUMN_MAX, Math.max(displayWidth(name), 1, ...cells.map((r) => displayWidth(r[c]!.text)))),
  );
  let shown = 0;
  let lineWidth = 0;
  for (const w of widths) {
    const next = lineWidth + (shown ? GAP.length : 0) + w;
    if (shown > 0 && next > LINE_MAX) break;
    lineWidth = next;
    shown++;
  }
  const line = (texts: string[]) =>
    texts
      .slice(0, shown)
      .map((t, c) => pad(t, widths[c]!))
      .join(GAP)
      .trimEnd();
  return {
    header: line(names),
    rule: line(widths.map((w) => '-'.repeat(w))),
    rows: cells.map((r) => line(r.map((c) => c.text))),
    rowTones: cells.map((r) => new Set(r.slice(0, shown).map((c) => c.tone))),
    hiddenColumns: section.columns.length - shown,
  };
}

function codeBlock(prefix: string, lines: string[]): string {
  return `${prefix}\`\`\`\n${escapeMrkdwn(defuseCodeFence(lines.join('\n')))}\n\`\`\``;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function footerTexts(
  section: TableSection,
  omittedRows: number,
  hiddenColumns: number,
  tones: Set<Tone>,
): string[] {
  const notes: string[] = [];
  const moreRows = section.more + omittedRows;
  if (moreRows > 0) notes.push(`… ${plural(moreRows, 'more row')}`);
  if (hiddenColumns > 0) notes.push(`… ${plural(hiddenColumns, 'more column')} not shown`);
  const legend = LEGEND_ORDER.filter((t) => tones.has(t)).map((t) => `\`${MARKER[t]}\` ${t}`);
  if (legend.length) notes.push(legend.join(' · '));
  return notes;
}

/**
 * Renders a table within `room`, returning null when not even its first section fits.
 * Rows that do not fit are counted into the "… N more rows" footer together with `more`.
 */
export function renderTable(section: TableSection, room: Room, ids: BlockIds): Block[] | null {
  const layout = layOut(section);
  const title = section.title?.trim() ? `*${fitMrkdwn(section.title, 200, ' ')}*\n` : '';
  const blocks: Block[] = [];
  const tones = new Set<Tone>();
  let used = 0;
  let next = 0;
  do {
    if (blocks.length >= room.blocks - 1) break;
    const budget = Math.min(
      BLOCK_KIT_LIMITS.sectionText,
      room.chars - FOOTER_RESERVE - used - SECTION_OVERHEAD,
    );
    const prefix = blocks.length === 0 ? title : '';
    const lines = [layout.header, layout.rule];
    if (section.rows.length === 0 && section.more === 0) lines.push('(no rows)');
    let text = codeBlock(prefix, lines);
    if (JSON.stringify(text).length > budget || text.length > BLOCK_KIT_LIMITS.sectionText) break;
    const first = next;
    while (next < layout.rows.length) {
      const candidate = codeBlock(prefix, [...lines, layout.rows[next]!]);
      if (candidate.length > BLOCK_KIT_LIMITS.sectionText || JSON.stringify(candidate).length > budget) break;
      lines.push(layout.rows[next]!);
      text = candidate;
      for (const t of layout.rowTones[next]!) tones.add(t);
      next++;
    }
    if (next === first && section.rows.length > 0) break;
    const block: Block = {
      type: 'section',
      block_id: ids.next('table'),
      text: { type: 'mrkdwn', text, verbatim: true as const },
    };
    used += JSON.stringify(block).length;
    blocks.push(block);
  } while (next < layout.rows.length);
  if (blocks.length === 0) return null;
  const notes = footerTexts(section, layout.rows.length - next, layout.hiddenColumns, tones);
  if (notes.length) {
    blocks.push({
      type: 'context',
      block_id: ids.next('table-notes'),
      elements: notes.map((text) => ({ type: 'mrkdwn' as const, text, verbatim: true as const })),
    });
  }
  return blocks;
}
