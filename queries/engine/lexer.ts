import { KqlError, type SourcePos } from './errors.ts';

/** Token kinds produced by {@link tokenize}. */
export type TokenKind = 'ident' | 'number' | 'string' | 'timespan' | 'raw' | 'punct' | 'eof';

/** One lexical token; `raw` tokens carry the unparsed text of `datetime(...)`-style literals. */
export interface Token extends SourcePos {
  kind: TokenKind;
  /** Identifier name, punctuation, decoded string value, number text or raw literal body. */
  text: string;
  /** For `raw` tokens: the literal's keyword (`datetime`, `timespan`, `dynamic`). */
  keyword?: string;
  /** Offset of the first character in the source. */
  offset: number;
  /** True when whitespace or a comment precedes this token (for `project-away` style names). */
  spaced: boolean;
}

const PUNCT = ['==', '!=', '<>', '<=', '>=', '=~', '!~', '..', '|', '(', ')', '[', ']', '{', '}', ','];
const PUNCT1 = ';.=<>+-*/%:!~@$';
const RAW_LITERALS = new Set(['datetime', 'timespan', 'time', 'dynamic', 'guid']);
const UNIT =
  /^(days?|d|hours?|hrs?|h|minutes?|min|m|seconds?|sec|s|milliseconds?|ms|microseconds?|tick|ticks)$/;

/** Splits KQL text into tokens, tracking line and column for error messages. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let spaced = true;
  const posAt = (o: number): SourcePos => ({ line, column: o - lineStart + 1 });
  const push = (kind: TokenKind, text: string, start: number, extra?: Partial<Token>): void => {
    out.push({ kind, text, offset: start, ...posAt(start), spaced, ...extra });
    spaced = false;
  };
  const newline = (o: number): void => {
    line++;
    lineStart = o + 1;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      newline(i);
      i++;
      spaced = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      spaced = true;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      spaced = true;
      continue;
    }
    const start = i;
    if (src.startsWith('```', i)) {
      const end = src.indexOf('```', i + 3);
      if (end < 0) throw new KqlError('KQL_SYNTAX', 'Unterminated ``` string', posAt(start));
      const body = src.slice(i + 3, end);
      push('string', body, start);
      for (let k = i; k < end; k++) if (src[k] === '\n') newline(k);
      i = end + 3;
      continue;
    }
    const verbatim = (c === '@' || c === 'h' || c === 'H') && (src[i + 1] === '"' || src[i + 1] === "'");
    const verbatimAfterH = (c === 'h' || c === 'H') && src[i + 1] === '@' && /["']/.test(src[i + 2] ?? '');
    if (c === '"' || c === "'" || verbatim || verbatimAfterH) {
      let j = i;
      let isVerbatim = c === '@';
      if (verbatimAfterH) {
        isVerbatim = true;
        j += 2;
      } else if (verbatim) j += 1;
      const r = readString(src, j, isVerbatim);
      if (r === null) throw new KqlError('KQL_SYNTAX', 'Unterminated string literal', posAt(start));
      push('string', r.value, start);
      i = r.end;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 64))!;
      let j = i + m[0].length;
      const u = /^[a-zA-Z]+/.exec(src.slice(j, j + 16));
      if (u && UNIT.test(u[0])) {
        j += u[0].length;
        push('timespan', src.slice(i, j), start);
      } else if (u) {
        throw new KqlError('KQL_SYNTAX', `Unexpected characters "${u[0]}" after number`, posAt(j));
      } else push('number', m[0], start);
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      const word = src.slice(i, j);
      let k = j;
      while (src[k] === ' ' || src[k] === '\t') k++;
      if (RAW_LITERALS.has(word) && src[k] === '(') {
        const close = findClose(src, k);
        if (close < 0) throw new KqlError('KQL_SYNTAX', `Unterminated ${word}( literal`, posAt(start));
        push('raw', src.slice(k + 1, close).trim(), start, { keyword: word === 'time' ? 'timespan' : word });
        for (let q = k; q < close; q++) if (src[q] === '\n') newline(q);
        i = close + 1;
        continue;
      }
      push('ident', word, start);
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (PUNCT.includes(two)) {
      push('punct', two, start);
      i += 2;
      continue;
    }
    if (PUNCT.includes(c) || PUNCT1.includes(c)) {
      push('punct', c, start);
      i++;
      continue;
    }
    throw new KqlError('KQL_SYNTAX', `Unexpected character ${JSON.stringify(c)}`, posAt(start));
  }
  push('eof', '', src.length);
  return out;
}

function findClose(src: string, open: number): number {
  let depth = 0;
  for (let k = open; k < src.length; k++) {
    const ch = src[k]!;
    if (ch === '"' || ch === "'") {
      const r = readString(src, k, false);
      if (r === null) return -1;
      k = r.end - 1;
    } else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

/** Reads a quoted string starting at the quote; returns the decoded value and the end offset. */
function readString(src: string, at: number, verbatim: boolean): { value: string; end: number } | null {
  const q = src[at]!;
  let value = '';
  let k = at + 1;
  while (k < src.length) {
    const ch = src[k]!;
    if (ch === '\n') return null;
    if (ch === q) {
      if (verbatim && src[k + 1] === q) {
        value += q;
        k += 2;
        continue;
      }
      return { value, end: k + 1 };
    }
    if (ch === '\\' && !verbatim) {
      const e = src[k + 1] ?? '';
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(k + 2, k + 6))) {
        value += String.fromCharCode(Number.parseInt(src.slice(k + 2, k + 6), 16));
        k += 6;
        continue;
      }
      const mapped = ESCAPES[e];
      if (mapped === undefined) return null;
      value += mapped;
      k += 2;
      continue;
    }
    value += ch;
    k++;
  }
  return null;
}
