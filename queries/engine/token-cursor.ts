import { KqlError, type SourcePos } from './errors.ts';
import type { Token } from './lexer.ts';

/** A cursor over tokens with the small helpers both parsers share. */
export class TokenCursor {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  /** True when the current token is the punctuation `p`. */
  isPunct(p: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === p;
  }

  /** True when the current token is the identifier `word` (case-sensitive, as in KQL). */
  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text === word;
  }

  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.next();
    return true;
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.next();
    return true;
  }

  expectPunct(p: string): Token {
    if (!this.isPunct(p)) this.fail(`Expected "${p}"`);
    return this.next();
  }

  expectWord(word: string): Token {
    if (!this.isWord(word)) this.fail(`Expected "${word}"`);
    return this.next();
  }

  expectIdent(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(`Expected ${what}`);
    return this.next();
  }

  pos(): SourcePos {
    const t = this.peek();
    return { line: t.line, column: t.column };
  }

  fail(message: string): never {
    const t = this.peek();
    const found = t.kind === 'eof' ? 'end of query' : `"${t.text}"`;
    throw new KqlError('KQL_SYNTAX', `${message}, found ${found}`, t);
  }

  /**
   * Reads a possibly hyphenated keyword such as `project-away` or `mv-expand`: the parts must be
   * adjacent (no whitespace), which is how KQL tells them apart from subtraction.
   */
  readHyphenatedWord(): Token {
    const first = this.expectIdent('an operator name');
    let text = first.text;
    while (
      this.isPunct('-') &&
      !this.peek().spaced &&
      this.peek(1).kind === 'ident' &&
      !this.peek(1).spaced
    ) {
      this.next();
      text += `-${this.next().text}`;
    }
    return { ...first, text };
  }
}
