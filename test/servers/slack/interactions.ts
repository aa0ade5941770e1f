import { signSlackRequest } from './clients.ts';
import { BOT_IDENTITY } from './state.ts';

/** Requests Slack sends to the app (interactivity), built and signed for tests against Bolt. */

export interface BlockActionsInput {
  channel: { id: string; name: string };
  /** The message that holds the pressed element, as the app posted it. */
  message: { ts: string; text: string; blocks: readonly unknown[] };
  /** The pressed element (as rendered) with what Slack adds: `block_id`, `selected_option`, … */
  action: { action_id: string } & Record<string, unknown>;
  userId?: string;
  responseUrl?: string;
}

/** The url-encoded `payload=` body of a `block_actions` interaction (formats.md §6). */
export function buildBlockActionsBody(input: BlockActionsInput): string {
  const payload = {
    type: 'block_actions',
    user: { id: input.userId ?? 'U2CERLKJA', username: 'roadrunner', team_id: BOT_IDENTITY.team_id },
    team: { id: BOT_IDENTITY.team_id, domain: 'oncall-test' },
    api_app_id: 'A0ONCALL',
    container: {
      type: 'message',
      message_ts: input.message.ts,
      channel_id: input.channel.id,
      is_ephemeral: false,
    },
    trigger_id: '1.2.local',
    channel: input.channel,
    message: { type: 'message', user: BOT_IDENTITY.user_id, bot_id: BOT_IDENTITY.bot_id, ...input.message },
    state: { values: {} },
    response_url: input.responseUrl ?? 'http://127.0.0.1:9/response-url',
    actions: [{ action_ts: '1.000001', ...input.action }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** POSTs a form body to the app signed like Slack; the timestamp defaults to now (Bolt checks it). */
export function postSignedForm(
  url: string,
  signingSecret: string,
  body: string,
  timestampSec = Math.floor(Date.now() / 1000),
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(signingSecret, body, timestampSec),
    },
    body,
  });
}
