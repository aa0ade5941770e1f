import { join } from 'node:path';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import type { Message } from '../../../cards/model.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { ReadinessCheck } from '../../http/health-routes.ts';
import type { BotServer } from '../../http/server.ts';
import { registerTeamsRoutes } from '../../http/teams-routes.ts';
import type { Logger } from '../../logger.ts';
import type { ChannelTarget } from '../../outbox/enqueue.ts';
import type { ChatSurface } from '../chat-surface.ts';
import { createTeamsSurface } from '../teams.ts';
import { createTeamsAdapter } from './cloud-adapter.ts';
import { TeamsConnector } from './connector-client.ts';
import { TeamsConversationStore } from './conversation-store.ts';
import { createTeamsInbound, type TeamsInboundDeps } from './inbound.ts';

const failing = (reason: string): ReadinessCheck => ({
  name: 'teams',
  check: async () => {
    throw new Error(reason);
  },
});

export interface TeamsParts {
  surface: ChatSurface | undefined;
  readiness: ReadinessCheck[];
}

export interface TeamsSetUpDeps {
  app: BotServer;
  clock: Clock;
  scrub: (s: string) => string;
  logger: Logger;
  dispatcher: TeamsInboundDeps['dispatcher'];
  findIncident: TeamsInboundDeps['findIncident'];
  renderIncident: (incidentId: number) => Promise<Message | undefined>;
  /** Incident cards go to every target; Teams adds its on-call channel once it is known. */
  targets: ChannelTarget[];
}

/**
 * Teams, built from the config. With an app id it runs in any mode, behind the SDK's JWT
 * validation; anonymous (no app id) only in local mode — tests and the Agents Playground.
 * `/readyz` says why Teams is off when it cannot start.
 */
export function setUpTeams(config: Config, deps: TeamsSetUpDeps): TeamsParts {
  if (!config.teams.clientId && config.mode !== 'local') return { surface: undefined, readiness: [] };

  let adapter: CloudAdapter;
  try {
    adapter = createTeamsAdapter(config.teams);
  } catch (err) {
    deps.logger.error({ err, code: 'TEAMS_AUTH_CONFIG' }, 'Teams stays off');
    return {
      surface: undefined,
      readiness: [failing(`Teams auth configuration rejected: ${(err as Error).message}`)],
    };
  }

  const file = join(config.dataDir, 'teams-conversations.json');
  let conversations: TeamsConversationStore;
  try {
    conversations = new TeamsConversationStore(file);
  } catch (err) {
    // A damaged file must not take the other surfaces down with it.
    deps.logger.error({ err, code: 'TEAMS_STORE_UNREADABLE', file }, 'Teams stays off');
    return { surface: undefined, readiness: [failing(`cannot read ${file}: fix or delete it`)] };
  }
  const addTarget = (channel: string) => {
    if (!deps.targets.some((t) => t.surface === 'teams' && t.channel === channel)) {
      deps.targets.push({ surface: 'teams', channel });
    }
  };
  const known = config.teams.channel ?? conversations.oncall;
  if (known && conversations.get(known)) addTarget(known);

  const inbound = createTeamsInbound({
    conversations,
    dispatcher: deps.dispatcher,
    findIncident: deps.findIncident,
    renderIncident: deps.renderIncident,
    oncallChannel: config.teams.channel,
    onOncall: addTarget,
    scrub: deps.scrub,
    now: () => deps.clock.now(),
    logger: deps.logger,
  });
  registerTeamsRoutes(deps.app, adapter, inbound);
  const connector = new TeamsConnector(adapter, config.teams.clientId);
  return {
    surface: createTeamsSurface({ connector, conversations, scrub: deps.scrub }),
    readiness: [],
  };
}
