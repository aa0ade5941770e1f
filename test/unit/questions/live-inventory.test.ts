import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { type Discovery, discoverInventory } from '../../../handlers/questions/discover-inventory.ts';
import { LiveInventory } from '../../../handlers/questions/live-inventory.ts';
import { routeDecision } from '../../../handlers/questions/route-decision.ts';
import { createQuestionRouter } from '../../../handlers/questions/route-question.ts';
import { createLocalLogsBackend } from '../../../queries/backends/local-logs.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { KqlEngine } from '../../../queries/engine/engine.ts';
import { APP_REQUESTS } from '../../../queries/engine/table-schemas.ts';
import { DEPLOYMENTS } from '../../../sim/telemetry/profile.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';
import { openSqliteInventoryRepo } from '../../../store/inventory/sqlite-inventory-repo.ts';
import { questionCatalog } from '../../fixtures/questions/catalog.ts';

const MINUTE = 60_000;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A workspace whose names the simulator has never heard of. */
function foreignWorkspace(clock: ManualClock) {
  const engine = new KqlEngine({ now: () => clock.now() });
  const row = (deployment: string, role: string, team: string, minutesAgo: number) => ({
    TimeGenerated: clock.now() - minutesAgo * MINUTE,
    Id: `${deployment}-${minutesAgo}`,
    Name: 'POST /chat',
    OperationName: 'POST /chat',
    AppRoleName: role,
    Success: true,
    ResultCode: '200',
    DurationMs: 420,
    ItemCount: 10,
    Properties: { deployment, 'model.version': '2024-11-20', team },
  });
  engine.loadRows(APP_REQUESTS, [
    row('gpt-4o-prod-eastus', 'chat-gateway-eu', 'search-relevance', 5),
    row('o3-mini-swc', 'batch-scorer', 'risk-models', 60),
    // Older than the look-back: not a name in use any more.
    row('gpt-35-turbo-legacy', 'old-portal', 'retired', 9 * 24 * 60),
  ]);
  return createLocalLogsBackend({ engine, catalog: KQL_CATALOG });
}

describe('discovering the inventory', () => {
  it('reads the names the workspace itself uses, and the nodes reporting GPU metrics', async () => {
    const clock = new ManualClock();
    const found = await discoverInventory({
      logs: foreignWorkspace(clock),
      knownNodes: async () => ['aks-gpupool-12', 'aks-gpupool-13'],
      lookbackMs: 7 * 24 * 60 * MINUTE,
    });
    expect(found.names.deployments.sort()).toEqual(['gpt-4o-prod-eastus', 'o3-mini-swc']);
    expect(found.names.appRoles.sort()).toEqual(['batch-scorer', 'chat-gateway-eu']);
    expect(found.names.teams.sort()).toEqual(['risk-models', 'search-relevance']);
    expect(found.names.modelVersions).toEqual(['2024-11-20']);
    expect(found.names.operations).toEqual(['POST /chat']);
    expect(found.names.nodes).toEqual(['aks-gpupool-12', 'aks-gpupool-13']);
    expect(found.problems).toEqual([]);
  });

  it('finds the simulator’s own deployments the same way in local mode', async () => {
    const logs = createSimulatedLogsBackend(new ManualClock(), { historyMs: 3 * 3_600_000 });
    const found = await discoverInventory({ logs, lookbackMs: 3_600_000 });
    expect(found.names.deployments.sort()).toEqual(DEPLOYMENTS.map((d) => d.name).sort());
  });

  it('reports a source it cannot read and still counts the others', async () => {
    const found = await discoverInventory({
      logs: foreignWorkspace(new ManualClock()),
      knownNodes: async () => {
        throw new Error('Prometheus answered 503');
      },
      lookbackMs: 7 * 24 * 60 * MINUTE,
    });
    expect(found.names.deployments).toContain('gpt-4o-prod-eastus');
    expect(found.problems).toEqual(['GPU metrics: Prometheus answered 503']);
  });
});

describe('the live inventory', () => {
  const discovery = (deployments: string[]): Discovery => ({
    names: {
      deployments,
      appRoles: [],
      teams: [],
      nodes: [],
      operations: [],
      modelVersions: [],
      aliases: {},
    },
    sources: ['Log Analytics'],
    problems: [],
  });

  it('is shared through the store: a second replica adopts a recent discovery instead of asking again', async () => {
    const clock = new ManualClock();
    const repo = openSqliteInventoryRepo(':memory:');
    let asked = 0;
    const replica = () =>
      new LiveInventory({
        base: [{ aliases: { '4o': 'gpt-4o-prod-eastus' } }],
        discover: async () => {
          asked++;
          return discovery(['gpt-4o-prod-eastus']);
        },
        repo,
        clock,
        refreshEveryMs: 15 * MINUTE,
        logger: silent,
      });
    const first = replica();
    await first.refresh();
    const second = replica();
    await second.refresh();
    expect(asked).toBe(1);
    expect(second.current().deployments).toEqual(['gpt-4o-prod-eastus']);
    expect(second.status().discoveredAt).toBe(clock.now());
    clock.advance(16 * MINUTE);
    await second.refresh();
    expect(asked).toBe(2);
    await repo.close();
  });

  it('keeps the names it knew when every source fails, and says why', async () => {
    const clock = new ManualClock();
    let fail = false;
    const live = new LiveInventory({
      base: [],
      discover: async () =>
        fail
          ? { ...discovery([]), sources: [], problems: ['Log Analytics: 403'] }
          : discovery(['gpt-4o-prod-eastus']),
      repo: undefined,
      clock,
      refreshEveryMs: MINUTE,
      logger: silent,
    });
    await live.refresh();
    fail = true;
    await live.refresh(true);
    expect(live.current().deployments).toEqual(['gpt-4o-prod-eastus']);
    expect(live.status().discovery?.problems).toEqual(['Log Analytics: 403']);
  });

  it('is what the router resolves names against, aliases included, as soon as it changes', async () => {
    const clock = new ManualClock();
    let names = ['gpt-4o']; // the simulator's name, before discovery
    const live = new LiveInventory({
      base: [{ aliases: { '4o': 'gpt-4o-prod-eastus' } }],
      discover: async () => discovery(names),
      repo: undefined,
      clock,
      refreshEveryMs: MINUTE,
      logger: silent,
    });
    const router = createQuestionRouter({ queries: questionCatalog, inventory: live });
    const ask = (q: string) =>
      routeDecision.parse(router.route(q, { now: new Date('2026-11-28T14:00:00Z'), timeZone: 'UTC' }));
    expect(ask('429 rate on gpt-4o-prod-eastus in the last hour')).not.toMatchObject({
      params: { deployment: 'gpt-4o-prod-eastus' },
    });
    names = ['gpt-4o-prod-eastus'];
    await live.refresh(true);
    expect(ask('429 rate on gpt-4o-prod-eastus in the last hour')).toMatchObject({
      kind: 'query',
      id: 'throttle-rate',
      params: { deployment: 'gpt-4o-prod-eastus' },
    });
    expect(ask('429 rate on 4o in the last hour')).toMatchObject({
      params: { deployment: 'gpt-4o-prod-eastus' },
    });
    // A transposed letter is still the discovered name.
    expect(ask('429 rate on gpt-4o-prod-esatus in the last hour')).toMatchObject({
      params: { deployment: 'gpt-4o-prod-eastus' },
    });
  });
});
