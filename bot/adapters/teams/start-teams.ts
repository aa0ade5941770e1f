import { join } from 'node:path';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { type ChatPlatform, definePlatform, failingCheck, offPlatform } from '../../chat-platform.ts';
import type { TeamsConfig } from '../../config.ts';
import { registerTeamsRoutes } from '../../http/teams-routes.ts';
import { createTeamsSurface } from '../teams.ts';
import { createTeamsAdapter } from './cloud-adapter.ts';
import { TeamsConnector } from './connector-client.ts';
import {
  type LegacyConversationFile,
  readLegacyConversationFile,
  TeamsConversationStore,
} from './conversation-store.ts';
import { createTeamsInbound } from './inbound.ts';

/** Teams' settings: the Azure Bot registration and on-call channel, and where the legacy file lives. */
interface TeamsSettings {
  teams: TeamsConfig;
  dataDir: string;
}

/**
 * Teams, built from the config. With an app id it runs in any mode, behind the SDK's JWT
 * validation; anonymous (no app id) only in local mode — tests and the Agents Playground.
 * `/readyz` says why Teams is off when it cannot start. The surface and the on-call channel (once
 * known) come first; `POST /api/messages` is served once the dispatcher exists.
 */
export const teamsPlatform = definePlatform<TeamsSettings>({
  id: 'teams',
  fromConfig: (config) =>
    config.teams.clientId || config.mode === 'local'
      ? { teams: config.teams, dataDir: config.dataDir }
      : undefined,
  async setUp({ teams, dataDir }, parts): Promise<ChatPlatform> {
    let adapter: CloudAdapter;
    try {
      adapter = createTeamsAdapter(teams);
    } catch (err) {
      parts.logger.error({ err, code: 'TEAMS_AUTH_CONFIG' }, 'Teams stays off');
      return offPlatform([
        failingCheck('teams', `Teams auth configuration rejected: ${(err as Error).message}`),
      ]);
    }

    const conversations = new TeamsConversationStore(parts.store.conversations);
    // References lived in this file (one replica only) before the store kept them: each start-up
    // imports what the store lacks; the file is never written again.
    const file = join(dataDir, 'teams-conversations.json');
    let legacy: LegacyConversationFile | undefined;
    try {
      legacy = readLegacyConversationFile(file);
    } catch (err) {
      // A damaged file must not take the other surfaces down with it, nor be dropped unnoticed.
      parts.logger.error({ err, code: 'TEAMS_STORE_UNREADABLE', file }, 'Teams stays off');
      return offPlatform([failingCheck('teams', `cannot read ${file}: fix or delete it`)]);
    }
    if (legacy) {
      const imported = await conversations.importLegacy(legacy);
      parts.logger.info(
        { surface: 'teams', file, imported },
        'teams conversation file imported into the store',
      );
    }
    const hasTarget = () => parts.targets.some((t) => t.surface === 'teams');
    const addTarget = (channel: string) => {
      if (!parts.targets.some((t) => t.surface === 'teams' && t.channel === channel)) {
        parts.addTarget({ surface: 'teams', channel });
      }
    };
    /** Adds the on-call channel once it is known, whichever replica recorded it; a no-op once in place. */
    const refresh = async () => {
      if (hasTarget()) return;
      const known = teams.channel ?? (await conversations.oncall());
      if (known && (await conversations.get(known))) addTarget(known);
    };
    await refresh().catch((err) =>
      parts.logger.warn(
        { err, code: 'TEAMS_REFRESH_FAILED' },
        'teams on-call channel not read; the tick retries',
      ),
    );
    const connector = new TeamsConnector(adapter, teams.clientId, { clock: parts.clock });
    return {
      surface: createTeamsSurface({ connector, conversations, scrub: parts.scrub }),
      connect({ app, dispatcher, renderIncident }) {
        const inbound = createTeamsInbound({
          conversations,
          dispatcher,
          findIncident: (activityId) => parts.store.chatMessages.findIncidentByMessage('teams', activityId),
          renderIncident,
          oncallChannel: teams.channel,
          onOncall: addTarget,
          scrub: parts.scrub,
          now: () => parts.clock.now(),
          logger: parts.logger,
        });
        registerTeamsRoutes(app, adapter, inbound);
        return { readiness: [], tick: refresh };
      },
    };
  },
});
