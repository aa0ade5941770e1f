import { cellParts, plainText, type RichText, type Section } from '../../core/message.ts';

/**
 * Plain text as CommonMark that reads as the same text: every character Markdown could take as
 * syntax is backslash-escaped, raw HTML cannot form, and line breaks fold to spaces (a sender's
 * newline must not start a heading or a list). Autolinks cannot form either: `<` is escaped.
 */
export function markdownText(raw: string): string {
  return raw.replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_{}[\]()<>#+\-.!|~&"'=:]/g, (c) => `\\${c}`);
}

/** Rich text (with times as their plain fallbacks) as escaped Markdown. */
export function markdownRich(text: RichText): string {
  return markdownText(plainText(text));
}

/** An http(s) URL (the message schema's rule) as a link target that cannot end the link early. */
const linkTarget = (url: string) => url.replace(/[()<>\s]/g, (c) => encodeURIComponent(c));

function table(columns: readonly string[], rows: readonly string[][]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)];
}

/** A card's sections as Markdown (evidence in a postmortem); images and links stay links. */
export function sectionsToMarkdown(sections: readonly Section[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    switch (s.kind) {
      case 'text':
        out.push(s.style === 'heading' ? `**${markdownRich(s.text)}**` : markdownRich(s.text), '');
        break;
      case 'notice':
        out.push(`> ${markdownRich(s.text)}`, '');
        break;
      case 'facts':
        if (s.title) out.push(`**${markdownText(s.title)}**`, '');
        for (const [name, value] of s.facts) out.push(`- ${markdownText(name)}: ${markdownRich(value)}`);
        out.push('');
        break;
      case 'table':
        if (s.title) out.push(`**${markdownText(s.title)}**`, '');
        out.push(
          ...table(
            s.columns.map(markdownText),
            s.rows.map((r) => r.map((c) => markdownRich(cellParts(c).text))),
          ),
        );
        if (s.more > 0) out.push('', `(${s.more} more rows)`);
        out.push('');
        break;
      case 'image':
        out.push(`[${markdownText(s.title ?? s.alt)}](${linkTarget(s.url)})`, '');
        break;
      case 'code':
        out.push(
          `**${markdownText(s.title)}**`,
          '',
          '~~~~',
          s.code.replaceAll('~~~~', '~ ~ ~ ~'),
          '~~~~',
          '',
        );
        break;
      case 'links':
        for (const l of s.links) out.push(`- [${markdownText(l.title)}](${linkTarget(l.url)})`);
        out.push('');
        break;
    }
  }
  return out;
}
