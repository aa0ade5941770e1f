import { join } from 'node:path';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import type { ChatSurface } from '../../../core/chat-surface.ts';
import type { Clock } from '../../../core/clock.ts';
import type { Message } from '../../../core/message.ts';
import type { ChannelTarget } from '../../../core/outbox/enqueue.ts';
import type { ReadinessCheck } from '../../../core/readiness.ts';
import type { ConversationRepo } from '../../../core/store.ts';
import type { Config } from '../../config.ts';
import type { BotServer } from '../../http/server.ts';
import { registerTeamsRoutes } from '../../http/teams-routes.ts';
import type { Logger } from '../../logger.ts';
import { createTeamsSurface } from '../teams.ts';
import { createTeamsAdapter } from './cloud-adapter.ts';
import { TeamsConnector } from './connector-client.ts';
import {
  type LegacyConversationFile,
  readLegacyConversationFile,
  TeamsConversationStore,
} from './conversation-store.ts';
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
  /**
   * Adds the on-call channel to the targets once it is known, whichever replica recorded it; the
   * periodic tick calls it. A no-op when Teams is off or the target is in place.
   */
  refresh(): Promise<void>;
}

const off = async (): Promise<void> => undefined;

export interface TeamsSetUpDeps {
  app: BotServer;
  /** The store's conversation references, shared by every replica. */
  conversations: ConversationRepo;
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
export async function setUpTeams(config: Config, deps: TeamsSetUpDeps): Promise<TeamsParts> {
  if (!config.teams.clientId && config.mode !== 'local') {
    return { surface: undefined, readiness: [], refresh: off };
  }

  let adapter: CloudAdapter;
  try {
    adapter = createTeamsAdapter(config.teams);
  } catch (err) {
    deps.logger.error({ err, code: 'TEAMS_AUTH_CONFIG' }, 'Teams stays off');
    return {
      surface: undefined,
      readiness: [failing(`Teams auth configuration rejected: ${(err as Error).message}`)],
      refresh: off,
    };
  }

  const conversations = new TeamsConversationStore(deps.conversations);
  // References lived in this file (one replica only) before the store kept them: each start-up
  // imports what the store lacks; the file is never written again.
  const file = join(config.dataDir, 'teams-conversations.json');
  let legacy: LegacyConversationFile | undefined;
  try {
    legacy = readLegacyConversationFile(file);
  } catch (err) {
    // A damaged file must not take the other surfaces down with it, nor be dropped unnoticed.
    deps.logger.error({ err, code: 'TEAMS_STORE_UNREADABLE', file }, 'Teams stays off');
    return {
      surface: undefined,
      readiness: [failing(`cannot read ${file}: fix or delete it`)],
      refresh: off,
    };
  }
  if (legacy) {
    const imported = await conversations.importLegacy(legacy);
    deps.logger.info({ surface: 'teams', file, imported }, 'teams conversation file imported into the store');
  }
  const hasTarget = () => deps.targets.some((t) => t.surface === 'teams');
  const addTarget = (channel: string) => {
    if (!deps.targets.some((t) => t.surface === 'teams' && t.channel === channel)) {
      deps.targets.push({ surface: 'teams', channel });
    }
  };
  const refresh = async () => {
    if (hasTarget()) return;
    const known = config.teams.channel ?? (await conversations.oncall());
    if (known && (await conversations.get(known))) addTarget(known);
  };
  await refresh().catch((err) =>
    deps.logger.warn(
      { err, code: 'TEAMS_REFRESH_FAILED' },
      'teams on-call channel not read; the tick retries',
    ),
  );

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
  const connector = new TeamsConnector(adapter, config.teams.clientId, { clock: deps.clock });
  return {
    surface: createTeamsSurface({ connector, conversations, scrub: deps.scrub }),
    readiness: [],
    refresh,
  };
}
