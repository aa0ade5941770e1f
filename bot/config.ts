import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, describeIssues } from './config-error.ts';
import { defaultPolicy, loadPolicyFile, type Policy } from './policy.ts';

/**
 * Variables whose presence means "this bot talks to real platforms": with any of them set the bot
 * runs in production mode unless BOT_MODE says otherwise.
 */
export const PLATFORM_CREDENTIAL_VARS = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'clientId',
  'MicrosoftAppId',
  'LOG_ANALYTICS_WORKSPACE_ID',
  'PROMETHEUS_URL',
  'DATABASE_URL',
] as const;

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const optionalSecret = (min: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().min(min, `must be at least ${min} characters`).optional());

/** The environment variables the bot reads. Every one is documented in the README. */
export const envSchema = z.object({
  BOT_MODE: z.enum(['local', 'production']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  ALERT_WEBHOOK_TOKEN: optionalSecret(16),
  GRAFANA_HMAC_SECRET: optionalSecret(16),
  GRAFANA_SIGNATURE_HEADER: z.string().min(1).default('X-Grafana-Alert-Signature'),
  GRAFANA_TIMESTAMP_HEADER: z.string().min(1).optional(),
  SIM: onOff.optional(),
  POLICY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(16 * 1024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  CONSOLE_CHANNEL: z.string().min(1).default('oncall'),
});

const HINTS: Record<string, string> = {
  ALERT_WEBHOOK_TOKEN: 'Generate one with `openssl rand -hex 32`',
  GRAFANA_HMAC_SECRET: 'Use the same secret as the HMAC setting of the Grafana contact point',
  PORT: 'Use a TCP port number such as 3978',
  PUBLIC_URL: 'Write the URL users reach the bot at, e.g. https://oncall-bot.example.com',
  SIM: 'Write SIM=on or SIM=off',
};

export interface Config {
  mode: 'local' | 'production';
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  /** Bearer token for alert intake; generated at start in local mode when not set. */
  alertWebhookToken: string;
  /** True when the token was generated at start-up (local mode only); it is printed once. */
  alertWebhookTokenGenerated: boolean;
  grafana: { hmacSecret?: string; signatureHeader: string; timestampHeader?: string };
  sim: boolean;
  policy: Policy;
  logLevel: string;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  maxBodyBytes: number;
  consoleChannel: string;
  /** Every secret value in the config, for the log/error/card scrubber. */
  secrets: string[];
}

/**
 * Reads and validates the environment (and the policy file it names). All problems are reported
 * together, each with how to fix it.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = parsed.success ? [] : describeIssues(parsed.error, 'environment', HINTS);
  if (!parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const hasCredentials = PLATFORM_CREDENTIAL_VARS.some((name) => !!env[name]);
  const mode = e.BOT_MODE ?? (hasCredentials ? 'production' : 'local');
  if (mode === 'production' && !e.ALERT_WEBHOOK_TOKEN) {
    problems.push(
      'ALERT_WEBHOOK_TOKEN: required in production mode; the bot never accepts unauthenticated alerts. ' +
        'Generate one with `openssl rand -hex 32` and configure the same value as the bearer token in Alertmanager, Azure Monitor and Grafana',
    );
  }
  if (mode === 'production' && e.SIM) {
    problems.push('SIM: the simulated platform only runs in local mode. Unset SIM or set BOT_MODE=local');
  }
  let policy: Policy | undefined;
  try {
    policy = e.POLICY_FILE ? loadPolicyFile(e.POLICY_FILE) : defaultPolicy();
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems);
    else throw err;
  }
  if (problems.length > 0 || !policy) throw new ConfigError(problems);

  const token = e.ALERT_WEBHOOK_TOKEN ?? randomBytes(24).toString('base64url');
  const secrets = [token, e.GRAFANA_HMAC_SECRET].filter((s): s is string => !!s);
  return {
    mode,
    port: e.PORT,
    host: e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir: resolve(e.DATA_DIR),
    alertWebhookToken: token,
    alertWebhookTokenGenerated: !e.ALERT_WEBHOOK_TOKEN,
    grafana: {
      hmacSecret: e.GRAFANA_HMAC_SECRET,
      signatureHeader: e.GRAFANA_SIGNATURE_HEADER.toLowerCase(),
      timestampHeader: e.GRAFANA_TIMESTAMP_HEADER?.toLowerCase(),
    },
    sim: e.SIM ?? mode === 'local',
    policy,
    logLevel: e.LOG_LEVEL,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    consoleChannel: e.CONSOLE_CHANNEL,
    secrets,
  };
}
