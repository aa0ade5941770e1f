import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, describeIssues } from '../core/config-error.ts';
import { logSource } from '../queries/kql/log-sources.ts';
import { parseAgentTokens } from './adapters/mcp/agent-tokens.ts';
import { azureMetricsEnv, azureMetricsSettings } from './azure-metrics-env.ts';
import { optionalSecret } from './env-values.ts';
import { llmEndpoint, llmEnv } from './llm-env.ts';
import { pagerDutyApiEnv, pagerDutyApiSettings } from './pagerduty-api-env.ts';
import { defaultPolicy, loadPolicyFile, type Policy } from './policy.ts';
import { ticketWebhookEnv, ticketWebhookSettings } from './ticket-webhook-env.ts';

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
  'AZURE_METRICS_ENDPOINT',
  'PROMETHEUS_URL',
  'DATABASE_URL',
] as const;

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

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
    .max(256 * 1024 * 1024)
    // 50,000 alerts (LIMITS.alertsPerPayload) of ~1.3 kB each: a real sender's group is never 413.
    .default(64 * 1024 * 1024),
  CONSOLE_CHANNEL: z.string().min(1).default('oncall'),
  /** The local web console (no authentication: local mode only unless switched on, and then only on loopback). */
  CONSOLE: onOff.optional(),
  /** PostgreSQL for replicas; without it the bot uses SQLite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// connection URL')
    .optional(),
  SLACK_BOT_TOKEN: optionalSecret(1),
  SLACK_SIGNING_SECRET: optionalSecret(8),
  SLACK_APP_TOKEN: optionalSecret(8),
  SLACK_CHANNEL: z
    .string()
    .regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCDEF')
    .optional(),
  SLACK_API_URL: z.url().optional(),
  // The Microsoft 365 Agents SDK's standard auth variables (Azure Bot registration).
  clientId: z.string().min(1).optional(),
  clientSecret: optionalSecret(1),
  tenantId: z.string().min(1).optional(),
  TEAMS_CHANNEL: z.string().min(1).optional(),
  PROMETHEUS_URL: z.url().optional(),
  PROMETHEUS_BEARER_TOKEN: optionalSecret(8),
  /** Log Analytics workspace (GUID) for vetted KQL evidence; credentials via DefaultAzureCredential. */
  LOG_ANALYTICS_WORKSPACE_ID: z.guid('a workspace id (GUID) from the workspace overview page').optional(),
  /** Query API base URL (sovereign clouds); default https://api.loganalytics.io/v1. */
  LOG_ANALYTICS_ENDPOINT: z.url().optional(),
  ...azureMetricsEnv,
  ...ticketWebhookEnv,
  CHART_URL_SECRET: optionalSecret(32),
  /** PagerDuty Events API v2 integration (routing) key; P1s page only when it is set. */
  PAGERDUTY_ROUTING_KEY: optionalSecret(32),
  /** Events API endpoint; tests point it at a local server. */
  PAGERDUTY_EVENTS_URL: z.url().optional(),
  ...pagerDutyApiEnv(optionalSecret(16)),
  /** Remediation in production: a kubeconfig file (else ~/.kube/config or the in-cluster account). */
  KUBECONFIG: z.string().min(1).optional(),
  /** Subscription of the AKS cluster named in the policy's remediation.aks (node-pool scaling). */
  AZURE_SUBSCRIPTION_ID: z.guid('a subscription id (GUID) from the subscription overview page').optional(),
  /** Azure Resource Manager base URL (sovereign clouds, tests); default https://management.azure.com. */
  AZURE_ARM_ENDPOINT: z.url().optional(),
  /** How long a delivery worker owns a claimed outbox entry before another replica may take it. */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(2_000).max(600_000).default(15_000),
  /** OTLP/HTTP collector for traces (the OpenTelemetry standard variables); tracing is off without. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('oncall-bot'),
  /**
   * SMTP relay for the P3 digest email: smtp://host:port (STARTTLS when offered) or
   * smtps://host:port (implicit TLS, usually 465). Credentials go in SMTP_USER / SMTP_PASSWORD.
   */
  SMTP_URL: z
    .string()
    .regex(
      /^smtps?:\/\/[^/@\s]+:\d{1,5}\/?$/,
      'an smtp://host:port or smtps://host:port URL (credentials go in SMTP_USER and SMTP_PASSWORD)',
    )
    .optional(),
  /** AUTH (PLAIN/LOGIN) user for the relay; SMTP_PASSWORD is its secret. */
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: optionalSecret(1),
  /** Refuse to mail unless the relay upgrades the connection with STARTTLS. */
  SMTP_REQUIRE_TLS: onOff.default(false),
  ...llmEnv,
  /** Time budget of one LLM routing call; past it the offline router answers. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  /** MCP clients (agents) as `name:token,…`; each is the principal `mcp:<name>`. `/mcp` is off without. */
  MCP_TOKENS: z.string().optional(),
});

const HINTS: Record<string, string> = {
  ALERT_WEBHOOK_TOKEN: 'Generate one with `openssl rand -hex 32`',
  GRAFANA_HMAC_SECRET: 'Use the same secret as the HMAC setting of the Grafana contact point',
  PORT: 'Use a TCP port number such as 3978',
  PUBLIC_URL: 'Write the URL users reach the bot at, e.g. https://oncall-bot.example.com',
  SIM: 'Write SIM=on or SIM=off',
  CHART_URL_SECRET: 'Generate one with `openssl rand -hex 32`; every replica must use the same value',
};

/**
 * The bot's configuration: the environment (and the policy file it names) validated by
 * `envSchema`, checked across variables and shaped for the code. `Config` is its output type, so
 * the shape has one source. A problem across variables is an issue whose message is already one
 * complete line ("VARIABLE: what is wrong. How to fix it").
 */
export const configSchema = z.unknown().transform((env, ctx) => {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const line of describeIssues(parsed.error, 'environment', HINTS)) ctx.addIssue(line);
    return z.NEVER;
  }
  const e = parsed.data;
  const problems: string[] = [];

  const hasCredentials = PLATFORM_CREDENTIAL_VARS.some((name) => !!(env as Record<string, unknown>)[name]);
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
  const host = e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  const consoleOn = e.CONSOLE ?? mode === 'local';
  if (mode === 'production' && consoleOn && !isLoopbackHost(host)) {
    problems.push(
      `CONSOLE: the console has no authentication (anyone who reaches it can act as any user), so in production it only runs when the server listens on loopback, and HOST is ${e.HOST ? `"${host}"` : `unset (listening on ${host})`}. ` +
        'Set HOST=127.0.0.1 and reach the console through an SSH tunnel, or unset CONSOLE',
    );
  }
  let policy: Policy | undefined;
  try {
    policy = e.POLICY_FILE ? loadPolicyFile(e.POLICY_FILE) : defaultPolicy();
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems);
    else throw err;
  }
  const azureMetrics = azureMetricsSettings(e, problems);
  // The simulated workspace has every source the simulator writes, whatever the file says.
  if (policy && mode === 'local') policy = { ...policy, logSources: [...logSource.options] };
  const llm = llmEndpoint(e, problems);
  const smtp = smtpRelay(e, problems);
  const ticketWebhook = ticketWebhookSettings(e, problems);
  const mcpClients = e.MCP_TOKENS ? parseAgentTokens(e.MCP_TOKENS, problems) : [];
  if (problems.length > 0 || !policy) {
    for (const line of problems) ctx.addIssue(line);
    return z.NEVER;
  }

  const token = e.ALERT_WEBHOOK_TOKEN ?? randomBytes(24).toString('base64url');
  const chartUrlSecret = e.CHART_URL_SECRET ?? randomBytes(32).toString('base64url');
  const traces = tracesUrl(e);
  const secrets = [
    token,
    e.GRAFANA_HMAC_SECRET,
    e.SLACK_BOT_TOKEN,
    e.SLACK_SIGNING_SECRET,
    e.SLACK_APP_TOKEN,
    e.clientSecret,
    e.PROMETHEUS_BEARER_TOKEN,
    e.PAGERDUTY_ROUTING_KEY,
    e.PAGERDUTY_API_TOKEN,
    e.TICKET_WEBHOOK_SECRET,
    chartUrlSecret,
    databasePassword(e.DATABASE_URL),
    e.OPENAI_API_KEY,
    e.AZURE_OPENAI_API_KEY,
    e.SMTP_PASSWORD,
    ...mcpClients.map((c) => c.token),
  ].filter((s): s is string => !!s);
  return {
    mode,
    port: e.PORT,
    host,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir: resolve(e.DATA_DIR),
    /** Bearer token for alert intake; generated at start in local mode when not set. */
    alertWebhookToken: token,
    /** True when the token was generated at start-up (local mode only); it is printed once. */
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
    /** Whether the console's page, API and channel are on. */
    console: consoleOn,
    databaseUrl: e.DATABASE_URL,
    /** Slack, when SLACK_BOT_TOKEN is set; without the signing secret (or the channel) it stays off and /readyz says so. */
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          channel: e.SLACK_CHANNEL,
          apiUrl:
            e.SLACK_API_URL && (e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`),
        }
      : undefined,
    /** Teams: without clientId it runs anonymously, which only local mode allows; the channel defaults to the first the bot joins. */
    teams: {
      clientId: e.clientId,
      clientSecret: e.clientSecret,
      tenantId: e.tenantId,
      channel: e.TEAMS_CHANNEL,
    },
    /** Prometheus (self-hosted or Azure Managed) for GPU metrics, when PROMETHEUS_URL is set. */
    prometheus: e.PROMETHEUS_URL
      ? { url: e.PROMETHEUS_URL, bearerToken: e.PROMETHEUS_BEARER_TOKEN }
      : undefined,
    /** Log Analytics for vetted KQL, when LOG_ANALYTICS_WORKSPACE_ID is set. */
    logAnalytics: e.LOG_ANALYTICS_WORKSPACE_ID
      ? { workspaceId: e.LOG_ANALYTICS_WORKSPACE_ID, endpoint: e.LOG_ANALYTICS_ENDPOINT }
      : undefined,
    /** Azure Monitor platform metrics of the Azure OpenAI resources, when both variables are set. */
    azureMetrics,
    /** HMAC key of signed chart URLs; generated at start when unset (then single-replica only). */
    chartUrlSecret,
    chartUrlSecretGenerated: !e.CHART_URL_SECRET,
    /** Every secret value in the config, for the log/error/card scrubber. */
    secrets,
    /** PagerDuty Events API v2, when PAGERDUTY_ROUTING_KEY is set. */
    pagerDuty: e.PAGERDUTY_ROUTING_KEY
      ? { routingKey: e.PAGERDUTY_ROUTING_KEY, eventsUrl: e.PAGERDUTY_EVENTS_URL }
      : undefined,
    pagerDutyApi: pagerDutyApiSettings(e), // /oncall from PagerDuty, when PAGERDUTY_API_TOKEN is set
    outboxLeaseMs: e.OUTBOX_LEASE_MS,
    /** OTLP trace export, when an OTLP endpoint is set. */
    tracing: traces ? { tracesUrl: traces, serviceName: e.OTEL_SERVICE_NAME } : undefined,
    /** SMTP relay for the digest email, when SMTP_URL is set. */
    smtp,
    /** Where remediation acts in production (the policy's `remediation` section switches it on). */
    remediationTargets: {
      kubeconfigPath: e.KUBECONFIG,
      azureSubscriptionId: e.AZURE_SUBSCRIPTION_ID,
      armEndpoint: e.AZURE_ARM_ENDPOINT,
    },
    /** The ticket webhook GPU replacement requests go to, when TICKET_WEBHOOK_URL is set. */
    ticketWebhook,
    /** The LLM question router, when OpenAI or Azure OpenAI is configured. */
    llm: llm && { endpoint: llm, timeoutMs: e.LLM_TIMEOUT_MS },
    /** The governed MCP server at `/mcp`, when MCP_TOKENS names at least one client. */
    mcp: mcpClients.length > 0 ? { clients: mcpClients } : undefined,
  };
});

/** The validated configuration the bot runs with. */
export type Config = z.output<typeof configSchema>;
/** Slack, when SLACK_BOT_TOKEN is set. */
export type SlackConfig = NonNullable<Config['slack']>;
/** The digest relay (SMTP_URL and the variables that go with it), when SMTP_URL is set. */
export type SmtpRelay = NonNullable<Config['smtp']>;
/** The Azure Bot registration and on-call channel of Teams. */
export type TeamsConfig = Config['teams'];

/**
 * Reads and validates the environment (and the policy file it names). All problems are reported
 * together, each with how to fix it.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  return parsed.data;
}

/** True for names and addresses that only this machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(?:::ffff:)?127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!v4 && v4.slice(1).every((n) => Number(n) <= 255);
}

/** The OTLP/HTTP traces URL: the signal-specific variable as is, else `/v1/traces` on the base. */
function tracesUrl(e: z.infer<typeof envSchema>): string | undefined {
  if (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!e.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces`;
}

/** The digest relay: its address, TLS mode and AUTH credentials (user and password together). */
function smtpRelay(e: z.infer<typeof envSchema>, problems: string[]) {
  if (!!e.SMTP_USER !== !!e.SMTP_PASSWORD)
    problems.push(
      `${e.SMTP_USER ? 'SMTP_PASSWORD' : 'SMTP_USER'}: SMTP AUTH needs SMTP_USER and SMTP_PASSWORD together`,
    );
  if (!e.SMTP_URL) {
    if (e.SMTP_USER || e.SMTP_PASSWORD || e.SMTP_REQUIRE_TLS)
      problems.push('SMTP_URL: SMTP_USER, SMTP_PASSWORD and SMTP_REQUIRE_TLS need SMTP_URL (the relay)');
    return undefined;
  }
  const implicitTls = e.SMTP_URL.startsWith('smtps:');
  const u = new URL(e.SMTP_URL.replace(/^smtps?:/, 'http:'));
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port),
    implicitTls,
    requireTls: e.SMTP_REQUIRE_TLS,
    ...(e.SMTP_USER && e.SMTP_PASSWORD ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } } : {}),
  };
}

/** The password inside a connection URL, so the scrubber can hide it wherever it shows up. */
function databasePassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
