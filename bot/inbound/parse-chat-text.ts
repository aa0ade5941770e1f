/**
 * What a person typed, as a command or a question. Text that starts with a slash is always a
 * command (an unknown one is answered "no such command", never routed as a question); without
 * the slash, a known command name still counts. An @mention in front is ignored (Teams puts
 * `<at>Bot</at>` before channel messages).
 */
export function parseChatText(
  text: string,
  knownCommands: ReadonlySet<string>,
): { kind: 'command'; name: string; args: string } | { kind: 'question'; text: string } {
  const cleaned = text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/^\s*@[\w.-]+[:,]?\s+/, '')
    .trim();
  const m = /^(\/?)([a-z][\w-]*)(?:\s+([\s\S]*))?$/i.exec(cleaned);
  if (m && (m[1] === '/' || knownCommands.has(m[2]!.toLowerCase()))) {
    return { kind: 'command', name: m[2]!.toLowerCase(), args: (m[3] ?? '').trim() };
  }
  return { kind: 'question', text: cleaned };
}
