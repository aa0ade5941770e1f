import { z } from 'zod';

/** The environment variables of PagerDuty's REST API, read by /oncall (part of `envSchema`). */
export function pagerDutyApiEnv<S extends z.ZodType<string | undefined>>(secret: S) {
  return {
    /** PagerDuty REST API key (read-only will do): /oncall reads who is on call from PagerDuty. */
    PAGERDUTY_API_TOKEN: secret,
    /** REST API base URL; default https://api.pagerduty.com (tests point it at a local server). */
    PAGERDUTY_API_URL: z.url().optional(),
    /** Comma-separated escalation policy ids /oncall shows (default: every policy the token sees). */
    PAGERDUTY_ESCALATION_POLICY_IDS: z
      .string()
      .regex(/^[A-Z0-9]+(,[A-Z0-9]+)*$/, 'comma-separated PagerDuty ids such as PABC123,PDEF456')
      .optional(),
  };
}

/** The REST API settings when a token is set; undefined keeps /oncall on the policy's rotations. */
export function pagerDutyApiSettings(e: {
  PAGERDUTY_API_TOKEN?: string | undefined;
  PAGERDUTY_API_URL?: string | undefined;
  PAGERDUTY_ESCALATION_POLICY_IDS?: string | undefined;
}) {
  if (!e.PAGERDUTY_API_TOKEN) return undefined;
  return {
    token: e.PAGERDUTY_API_TOKEN,
    apiUrl: e.PAGERDUTY_API_URL,
    escalationPolicyIds: e.PAGERDUTY_ESCALATION_POLICY_IDS?.split(','),
  };
}
