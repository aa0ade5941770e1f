import type { RemediationModule } from '../../handlers/approvals/remediation-module.ts';
import { createMcpModule } from '../adapters/mcp/mcp-module.ts';
import type { Config } from '../config.ts';
import type { CommandsSoFar, ModuleParts, ModulePlugin } from '../module-list.ts';

type Needs = Pick<ModuleParts, 'store' | 'targets' | 'clock' | 'logger' | 'backends'> &
  Pick<CommandsSoFar, 'modulesSoFar'> & {
    /** Proposing through the approval flow, when remediation is on. */
    remediation: RemediationModule | undefined;
  };

/**
 * The governed MCP server at `/mcp`: on when `MCP_TOKENS` names a client. Placed after the modules
 * whose cards, queries and proposals agents read, so `get_incident` shows the card as chat does.
 */
export const mcpPlugin: ModulePlugin<Needs, Config & { mcp: NonNullable<Config['mcp']> }> = {
  id: 'mcp',
  fromConfig: (config) => (config.mcp ? { ...config, mcp: config.mcp } : undefined),
  setUp(config, needs) {
    const module = createMcpModule({
      config,
      clients: config.mcp.clients,
      modules: needs.modulesSoFar,
      store: needs.store,
      targets: needs.targets,
      clock: needs.clock,
      logger: needs.logger,
      logs: needs.backends.logs,
      metrics: needs.backends.metrics,
      knownNodes: needs.backends.knownNodes,
      limiter: needs.backends.limiter,
      remediation: needs.remediation,
    });
    return { module, provides: {} };
  },
};
