import { REMEDIATION_VERBS } from '../../cards/templates/remediation-proposal.ts';
import { cellParts, type Fact, type Message, plainText, type Section } from '../../core/message.ts';

/** A card's facts as plain `[name, value]` pairs (times as their fallback text). */
export function plainFacts(facts: readonly Fact[]): [string, string][] {
  return facts.map(([name, value]) => [name, plainText(value)]);
}

/** One card section as plain data for an agent: text stays text, never markup. */
export function plainSection(s: Section): Record<string, unknown> {
  switch (s.kind) {
    case 'text':
      return { kind: 'text', text: plainText(s.text) };
    case 'notice':
      return { kind: 'notice', tone: s.tone, text: plainText(s.text) };
    case 'facts':
      return { kind: 'facts', title: s.title, facts: plainFacts(s.facts) };
    case 'table':
      return {
        kind: 'table',
        title: s.title,
        columns: s.columns,
        rows: s.rows.map((r) => r.map((c) => plainText(cellParts(c).text))),
        more: s.more,
      };
    case 'code':
      return { kind: 'code', title: s.title, code: s.code };
    case 'image':
      return { kind: 'image', title: s.title, alt: s.alt, url: s.url };
    case 'links':
      return { kind: 'links', links: s.links };
  }
}

/** The remediations a card suggests (its Propose buttons): what an agent may propose. */
export function suggestedRemediations(
  message: Message,
): { action: string; title: string; params: unknown }[] {
  return message.actions
    .filter((a) => a.verb === REMEDIATION_VERBS.propose && typeof a.data.action === 'string')
    .map((a) => ({ action: String(a.data.action), title: a.title, params: parseParams(a.data.params) }));
}

function parseParams(text: unknown): unknown {
  if (typeof text !== 'string') return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
