import { join } from 'node:path';
import type { Clock } from '../../../core/clock.ts';
import type { Logger } from '../../../core/logger.ts';
import { createSecretScrubber } from '../../../core/secret-scrubber.ts';
import { createAgentGovernance } from '../../../handlers/agents/agent-governance.ts';
import { type AgentToolsOptions, createAgentTools } from '../../../handlers/agents/agent-tools.ts';
import { createIncidentCardRenderer } from '../../../handlers/alerts/incident-view.ts';
import { createSecurityLog } from '../../../handlers/ask/security-log.ts';
import type { BotModule } from '../../../handlers/module.ts';
import type { WorkLimiter } from '../../../handlers/rate-limit/work-limiter.ts';
import type { Config } from '../../config.ts';
import { type AgentClient, createAgentAuthenticator } from './agent-tokens.ts';
import { registerMcpRoutes } from './mcp-routes.ts';
import { listTools } from './mcp-server.ts';

export interface McpModuleOptions extends Omit<AgentToolsOptions, 'now' | 'renderIncident' | 'gpuPolicy'> {
  config: Pick<Config, 'policy' | 'dataDir' | 'secrets'>;
  clients: readonly AgentClient[];
  /**
   * The bot's modules, read at every render: `get_incident` shows the card as chat does, with
   * every module's evidence and suggested remediations.
   */
  modules: readonly BotModule[];
  /** The limiter chat's costly commands use: agents share its global buckets. */
  limiter: WorkLimiter;
  logger: Logger;
  clock: Clock;
}

/**
 * The governed MCP server as a bot module: `/mcp` on the bot's HTTP server, one principal per
 * configured client, the vetted tools and the catalog resources.
 */
export function createMcpModule(options: McpModuleOptions): BotModule {
  const now = () => options.clock.now();
  const { policy, dataDir } = options.config;
  const render = createIncidentCardRenderer(policy, options.modules);
  const { tools, resources, privateQueries } = createAgentTools({
    ...options,
    renderIncident: (id) => render(options.store, id, now()),
    gpuPolicy: policy.gpu,
    now,
  });
  const governance = createAgentGovernance({
    tools,
    privateQueries,
    limiter: options.limiter,
    security: createSecurityLog(join(dataDir, 'security-events.jsonl')),
    logger: options.logger,
    now,
    scrub: createSecretScrubber(options.config.secrets),
  });
  const listed = listTools(governance);
  return {
    id: 'mcp',
    registerRoutes(app) {
      registerMcpRoutes(app, {
        authenticate: createAgentAuthenticator(options.clients),
        governance,
        tools: listed,
        resources,
        logger: options.logger,
        now,
      });
    },
  };
}
