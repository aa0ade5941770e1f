import {
  cellParts,
  type Message,
  type MessageAction,
  type RichText,
  type Section,
  summarizeMessage,
  type TableCell,
  type Tone,
} from '../../core/message.ts';
import { acText } from './adaptive-card-text.ts';

/** An Adaptive Card element or action as plain JSON (validated against the official schema in tests). */
export type AcObject = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  fallbackText: string;
  body: AcObject[];
  actions?: AcObject[];
}

const TONE_COLOR: Record<Tone, string> = {
  default: 'Default',
  good: 'Good',
  warning: 'Warning',
  attention: 'Attention',
  accent: 'Accent',
};

const TONE_STYLE: Record<Tone, string> = {
  default: 'emphasis',
  good: 'good',
  warning: 'warning',
  attention: 'attention',
  accent: 'accent',
};

/** Header colour: the state people must react to decides it. */
function headerStyle(msg: Message): string {
  const h = msg.header;
  if (!h) return 'default';
  switch (h.status) {
    case 'resolved':
    case 'success':
      return 'good';
    case 'silenced':
    case 'acknowledged':
    case 'info':
    case 'pending':
      return 'emphasis';
    case 'error':
      return 'attention';
    case 'warning':
      return 'warning';
    default:
      return h.tier === 'P1' ? 'attention' : h.tier === 'P2' ? 'warning' : 'accent';
  }
}

/** A TextBlock: Teams reads its text as markdown, so the text is escaped to show literally. */
const text = (value: RichText, extra: AcObject = {}): AcObject => ({
  type: 'TextBlock',
  text: acText(value),
  wrap: true,
  ...extra,
});

/** Facts are markdown in Teams too (title and value), so both are escaped. */
const factSet = (facts: readonly [string, RichText][]): AcObject => ({
  type: 'FactSet',
  facts: facts.map(([title, value]) => ({ title: acText(title), value: acText(value) })),
});

function renderHeader(msg: Message): AcObject[] {
  const h = msg.header;
  if (!h) return [];
  const badge = [h.tier, h.status?.toUpperCase()].filter(Boolean).join(' · ');
  const items: AcObject[] = [];
  if (badge) items.push(text(badge, { size: 'Small', weight: 'Bolder' }));
  items.push(text(h.title, { size: 'Large', weight: 'Bolder', spacing: 'None' }));
  if (h.subtitle) items.push(text(h.subtitle, { isSubtle: true, size: 'Small', spacing: 'None' }));
  return [{ type: 'Container', style: headerStyle(msg), bleed: true, items }];
}

function renderTable(s: Extract<Section, { kind: 'table' }>): AcObject[] {
  const cell = (c: TableCell, header = false): AcObject => {
    const { text: value, tone } = cellParts(c);
    const color = tone === 'default' ? undefined : TONE_COLOR[tone];
    return {
      type: 'TableCell',
      items: [
        text(value || ' ', {
          ...(header ? { weight: 'Bolder' } : {}),
          ...(color ? { color } : {}),
          size: 'Small',
        }),
      ],
    };
  };
  const out: AcObject[] = [];
  if (s.title) out.push(text(s.title, { weight: 'Bolder', spacing: 'Medium' }));
  out.push({
    type: 'Table',
    columns: s.columns.map(() => ({ width: 1 })),
    firstRowAsHeader: true,
    showGridLines: false,
    rows: [
      { type: 'TableRow', cells: s.columns.map((c) => cell(c, true)) },
      ...s.rows.map((r) => ({ type: 'TableRow', cells: s.columns.map((_, i) => cell(r[i] ?? '')) })),
    ],
  });
  if (s.more > 0) out.push(text(`… ${s.more} more`, { isSubtle: true, size: 'Small', spacing: 'Small' }));
  return out;
}

function renderSection(s: Section, index: number): AcObject[] {
  switch (s.kind) {
    case 'text':
      return [text(s.text, s.style === 'heading' ? { weight: 'Bolder', spacing: 'Medium' } : {})];
    case 'facts':
      return [...(s.title ? [text(s.title, { weight: 'Bolder', spacing: 'Medium' })] : []), factSet(s.facts)];
    case 'table':
      return renderTable(s);
    case 'image':
      return [
        ...(s.title ? [text(s.title, { weight: 'Bolder', spacing: 'Medium' })] : []),
        { type: 'Image', url: s.url, altText: s.alt, size: 'Stretch' },
      ];
    case 'code': {
      const id = `code-${index}`;
      return [
        {
          type: 'ActionSet',
          actions: [
            {
              type: 'Action.ToggleVisibility',
              title: s.collapsed ? `Show ${s.title}` : s.title,
              targetElements: [id],
            },
          ],
        },
        {
          type: 'Container',
          id,
          isVisible: !s.collapsed,
          style: 'emphasis',
          items: [text(s.code, { fontType: 'Monospace', size: 'Small' })],
        },
      ];
    }
    case 'notice':
      return [{ type: 'Container', style: TONE_STYLE[s.tone], items: [text(s.text)] }];
    case 'links':
      // Buttons, not markdown links: the URL is never parsed out of text, and the model only
      // admits http(s) URLs in a links section.
      return [
        {
          type: 'ActionSet',
          actions: s.links.map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url })),
        },
      ];
  }
}

function renderAction(a: MessageAction): AcObject {
  const style = a.style === 'default' ? {} : { style: a.style };
  const execute: AcObject = {
    type: 'Action.Execute',
    title: a.title,
    verb: a.verb,
    data: a.data,
    ...style,
    // Clients older than 1.4 (Teams mobile has been seen at 1.2) send a Submit instead.
    fallback: { type: 'Action.Submit', title: a.title, data: { ...a.data, verb: a.verb } },
  };
  if (!a.input) return execute;
  return {
    type: 'Action.ShowCard',
    title: `${a.title}…`,
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: a.input.id,
          label: a.input.label,
          value: a.input.value,
          isRequired: true,
          choices: a.input.choices.map((c) => ({ title: c.title, value: c.value })),
        },
      ],
      actions: [execute],
    },
  };
}

/** Renders the neutral message as an Adaptive Card 1.5 (what Teams and the console show). */
export function toAdaptiveCard(msg: Message): AdaptiveCard {
  const body: AcObject[] = [...renderHeader(msg)];
  if (msg.facts.length > 0) {
    body.push(factSet(msg.facts));
  }
  msg.sections.forEach((s, i) => {
    body.push(...renderSection(s, i));
  });
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: summarizeMessage(msg),
    body,
  };
  if (msg.actions.length > 0) card.actions = msg.actions.map(renderAction);
  return card;
}
