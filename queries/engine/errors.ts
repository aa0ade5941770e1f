/** Error codes raised by the local KQL engine. */
export type KqlErrorCode =
  | 'KQL_SYNTAX'
  | 'KQL_UNSUPPORTED_OPERATOR'
  | 'KQL_UNSUPPORTED_FUNCTION'
  | 'KQL_UNSUPPORTED_SYNTAX'
  | 'KQL_UNKNOWN_NAME'
  | 'KQL_TYPE'
  | 'KQL_ARGUMENT';

/** A source position (1-based line and column). */
export interface SourcePos {
  line: number;
  column: number;
}

/**
 * An error that names what failed and where in the query text it is, so a reviewer can find the
 * construct without guessing. The engine never returns a partial or approximate answer instead.
 */
export class KqlError extends Error {
  readonly code: KqlErrorCode;
  readonly line: number;
  readonly column: number;

  constructor(code: KqlErrorCode, message: string, pos: SourcePos) {
    super(`${message} (line ${pos.line}, column ${pos.column})`);
    this.name = 'KqlError';
    this.code = code;
    this.line = pos.line;
    this.column = pos.column;
  }
}
