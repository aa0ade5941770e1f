import { CloudAdapter } from '@microsoft/agents-hosting';
import type { TeamsConfig } from '../../config.ts';

/**
 * The Agents SDK adapter: with an app id (the SDK's standard `clientId`/`clientSecret`/`tenantId`)
 * it validates the Bot Framework JWT on every inbound activity and sends with a token from the
 * app registration; without one it is anonymous, which the SDK allows only outside production
 * (it throws here when NODE_ENV is `production` and there is no client id).
 */
export function createTeamsAdapter(
  teams: Pick<TeamsConfig, 'clientId' | 'clientSecret' | 'tenantId'>,
): CloudAdapter {
  const { clientId, clientSecret, tenantId } = teams;
  const adapter = new CloudAdapter(
    clientId
      ? { clientId, ...(clientSecret ? { clientSecret } : {}), ...(tenantId ? { tenantId } : {}) }
      : {},
  );
  // The SDK's default answers a failed turn with chat messages; here a failure goes back to the
  // caller (the HTTP route, or the outbox, which retries).
  adapter.onTurnError = async (_context, err) => {
    throw err;
  };
  return adapter;
}
