/** One structured log call: fields first, then the sentence (pino's calling convention). */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/**
 * What the layers below the composition root need of a logger. The root passes its pino logger,
 * which has this shape; nothing below it depends on pino.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
