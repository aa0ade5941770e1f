/**
 * What a person typed, as a command or a question. Works the same with or without a leading
 * slash or an @mention (Teams puts `<at>Bot</at>` in front of channel messages).
 */
export function parseChatText(
  text: string,
  knownCommands: ReadonlySet<string>,
): { kind: 'command'; name: string; args: string } | { kind: 'question'; text: string } {
  const cleaned = text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/^\s*@[\w.-]+[:,]?\s+/, '')
    .trim();
  const m = /^\/?([a-z][\w-]*)(?:\s+([\s\S]*))?$/i.exec(cleaned);
  if (m && knownCommands.has(m[1]!.toLowerCase())) {
    return { kind: 'command', name: m[1]!.toLowerCase(), args: (m[2] ?? '').trim() };
  }
  return { kind: 'question', text: cleaned };
}
