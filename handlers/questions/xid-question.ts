/**
 * A question about what an XID means or what to do about one ("what does xid 79 mean", "xid 48?",
 * "how do I handle XID 119"): answered from the XID catalog, not by a query. Returns the XID, or
 * undefined when the question is not about one XID's meaning.
 */
export function xidAskedAbout(question: string): number | undefined {
  const text = question.trim().toLowerCase();
  if (text.length > 200) return undefined;
  const named = [...text.matchAll(/\bxid\s*(?:#|error\s*|code\s*)?(\d{1,3})\b/g)];
  if (named.length !== 1) return undefined;
  const rest = text
    .replace(named[0]![0], ' ')
    .replace(/[?!.,:;]/g, ' ')
    .trim();
  // A node or GPU named with it asks about that machine's state: that is `/gpu`'s question.
  if (/\bnode[-\s]?\d|\bgpu\s*\d/.test(rest)) return undefined;
  const aboutMeaning =
    rest === '' ||
    /\b(mean|means|meaning|what|explain|is|do|does|handle|fix|action|about|cause|causes|serious|severity|replace|reset)\b/.test(
      rest,
    );
  return aboutMeaning ? Number(named[0]![1]) : undefined;
}
