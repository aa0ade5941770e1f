import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api } from '@kubernetes/client-node';
import type { ChatUser } from '../../../core/chat-surface.ts';
import { UserFacingError } from '../../../core/errors.ts';
import type { Message } from '../../../core/message.ts';
import type { NewOutboxEntry } from '../../../core/outbox/outbox-entry.ts';
import type { ReplyPlace } from '../../../core/remediation/proposal.ts';
import { createProposalCards } from '../../../handlers/approvals/approval-handlers.ts';
import { ACTIONS } from '../../../remediation/catalog.ts';
import type { BackendPoolApi } from '../../../remediation/executors/apim-backends.ts';
import type { AgentPoolApi } from '../../../remediation/executors/azure.ts';
import { createKubeClients } from '../../../remediation/executors/kubernetes.ts';
import type { RemediationDeps } from '../../../remediation/flow/deps.ts';
import { createRemediationService, type RemediationService } from '../../../remediation/flow/service.ts';
import { parseRemediationPolicy } from '../../../remediation/policy.ts';
import type { SpanningStore } from '../../../store/bot-store.ts';
import type { RemediationRepo } from '../../../store/remediation/remediation-repo.ts';
import { openSqliteRemediationRepo } from '../../../store/remediation/sqlite-remediation-repo.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';
import { type SimCluster, startSimCluster } from '../kube/harness.ts';

export const alice: ChatUser = { id: 'console:alice', displayName: 'alice' };
export const bob: ChatUser = { id: 'console:bob', displayName: 'bob' };
export const carol: ChatUser = { id: 'slack:U0CAROL', displayName: 'carol' };
export const mallory: ChatUser = { id: 'console:mallory', displayName: 'mallory' };

export const place: ReplyPlace = { surface: 'console', channel: 'oncall', thread: null };

/** Policy used by the flow tests; each test overrides what it is about. */
export function testPolicy(overrides: Record<string, unknown> = {}) {
  return parseRemediationPolicy({
    groups: { oncall: ['console:alice', 'console:bob', 'slack:U0CAROL'] },
    ...overrides,
  });
}

/** Records every message the flow queues, while still queuing it in the real store. */
function recordingStore(store: SpanningStore, posted: Message[], cardSyncs: number[]): SpanningStore {
  return {
    ...store,
    transaction: (fn) =>
      store.transaction((tx) =>
        fn({
          ...tx,
          outbox: {
            ...tx.outbox,
            enqueue: (entry: NewOutboxEntry, now: number) => {
              if (entry.payload.kind === 'message') posted.push(entry.payload.message);
              if (entry.payload.kind === 'proposal-card') cardSyncs.push(entry.payload.proposalId);
              return tx.outbox.enqueue(entry, now);
            },
          },
        }),
      ),
  };
}

export interface FlowHarness {
  sim: SimCluster;
  store: SpanningStore;
  repo: RemediationRepo;
  deps: RemediationDeps;
  service: RemediationService;
  posted: Message[];
  /** Proposal ids whose card sync was queued, in order. */
  cardSyncs: number[];
  /** A proposal's card as the outbox would render it now. */
  cardOf(proposalId: number): Promise<Message | undefined>;
  dbPath: string;
  /** Another "replica": its own repo connection on the same file, same cluster. */
  replica(): RemediationService;
  close(): Promise<void>;
}

/** A seeded simulated cluster, the bot's store and the remediation store on one temporary file. */
export async function startFlow(
  policyOverrides: Record<string, unknown> = {},
  extras: { nodePools?: AgentPoolApi; backendPools?: BackendPoolApi } = {},
): Promise<FlowHarness> {
  const sim = await startSimCluster();
  const dir = mkdtempSync(join(tmpdir(), 'remediation-'));
  const dbPath = join(dir, 'bot.db');
  const base = openSqliteStore({ path: dbPath });
  const posted: Message[] = [];
  const cardSyncs: number[] = [];
  const store = recordingStore(base, posted, cardSyncs);
  const repos: RemediationRepo[] = [];
  const policy = testPolicy(policyOverrides);
  const makeDeps = (repo: RemediationRepo): RemediationDeps => ({
    repo,
    actions: ACTIONS,
    policy,
    kube: createKubeClients(sim.kubeConfig),
    nodePools: extras.nodePools,
    backendPools: extras.backendPools,
    store,
    targets: [{ surface: 'console', channel: 'oncall' }],
    clock: sim.clock,
    timeZone: 'UTC',
    // Verification "waits" by moving the shared manual clock: deterministic, no real sleeping.
    sleep: async (ms) => sim.clock.advance(ms),
    onQueued: () => undefined,
  });
  const open = () => {
    const repo = openSqliteRemediationRepo(dbPath);
    repos.push(repo);
    return repo;
  };
  const repo = open();
  const deps = makeDeps(repo);
  const services: RemediationService[] = [];
  const service = createRemediationService(deps);
  services.push(service);
  return {
    sim,
    store,
    repo,
    deps,
    service,
    posted,
    cardSyncs,
    cardOf: (id) => createProposalCards(deps).render(id, sim.clock.now()),
    dbPath,
    replica() {
      const s = createRemediationService(makeDeps(open()));
      services.push(s);
      return s;
    },
    async close() {
      for (const s of services) await s.idle();
      for (const r of repos) await r.close();
      await base.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The text of every notice and text section of the queued messages. */
export function postedText(posted: readonly Message[]): string {
  return posted
    .flatMap((m) => [m.header?.title ?? '', ...m.sections.map((s) => ('text' in s ? s.text : ''))])
    .join('\n');
}

/** The user-facing refusal `call` ends in; fails the test if it succeeds or fails otherwise. */
export async function refusal(call: Promise<unknown>): Promise<UserFacingError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof UserFacingError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** A deployment's desired replicas in the simulated cluster's `ml` namespace. */
export async function replicasOf(h: FlowHarness, name: string): Promise<number | undefined> {
  const apps = h.sim.kubeConfig.makeApiClient(AppsV1Api);
  return (await apps.readNamespacedDeployment({ name, namespace: 'ml' })).spec?.replicas;
}
