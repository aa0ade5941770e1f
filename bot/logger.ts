import { type DestinationStream, type Logger, pino } from 'pino';
import { createSecretScrubber, REDACTED } from '../core/secret-scrubber.ts';

export type { Logger } from 'pino';

/** Paths never logged whatever their value (headers of inbound requests, mostly). */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-grafana-alert-signature"]',
  'headers.authorization',
  'headers["api-key"]',
  '*.apiKey',
  '*.token',
  '*.secret',
  '*.password',
];

export interface LoggerOptions {
  level?: string;
  secrets?: Iterable<string | undefined>;
  /** Where lines go; standard output by default. Tests pass a collecting stream. */
  destination?: { write(line: string): unknown };
}

/** Structured JSON logs (pino) with path redaction and value scrubbing of known secrets. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const scrub = createSecretScrubber(options.secrets ?? []);
  const target = options.destination ?? process.stdout;
  const stream: DestinationStream = { write: (line: string) => void target.write(scrub(line)) };
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'oncall-bot' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}
