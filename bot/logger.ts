import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Secrets shorter than this are not scrubbed by value (too likely to match ordinary text). */
const MIN_SECRET_LENGTH = 8;
export const REDACTED = '[REDACTED]';

/**
 * Replaces every occurrence of a known secret value with a marker. Applied to every log line,
 * error text and card before it leaves the process, so a secret that ends up in a message by
 * accident (an upstream error echoing a URL with a key, say) is still never written.
 */
export function createSecretScrubber(secrets: Iterable<string | undefined>): (text: string) => string {
  const values = [...new Set([...secrets].filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))];
  if (values.length === 0) return (text) => text;
  // Longest first, so a secret that contains another is replaced whole.
  values.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

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
