import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../bot/inbound/dispatcher.ts';
import { createLogger } from '../../../bot/logger.ts';
import { defaultPolicy } from '../../../bot/policy.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import { setupRemediation } from '../../../handlers/approvals/approval-handlers.ts';
import { createKubeClients } from '../../../remediation/executors/kubernetes.ts';
import { parseRemediationPolicy } from '../../../remediation/policy.ts';
import type { BotStore } from '../../../store/bot-store.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';
import { type SimCluster, startSimCluster } from '../kube/harness.ts';
import { alice, bob } from './harness.ts';

describe('setupRemediation: what the composition root wires', () => {
  let sim: SimCluster;
  let store: BotStore;
  let remediation: ReturnType<typeof setupRemediation>;
  let queued = 0;
  beforeEach(async () => {
    sim = await startSimCluster();
    store = openSqliteStore({ path: ':memory:' });
    remediation = setupRemediation({
      repo: store.remediation,
      kube: createKubeClients(sim.kubeConfig),
      policy: parseRemediationPolicy({ groups: { oncall: [alice.id, bob.id] } }),
      store,
      targets: [{ surface: 'console', channel: 'oncall' }],
      clock: sim.clock,
      timeZone: 'Europe/Amsterdam',
      onQueued: () => queued++,
      sleep: async (ms) => sim.clock.advance(ms),
    });
  });
  afterEach(async () => {
    await remediation.close();
    await store.close();
    await sim.close();
  });

  it('turns an incident into a Propose button that the dispatcher turns into an approved change', async () => {
    const now = sim.clock.now();
    const incident: Incident = await store.incidents.create({
      groupKey: 'g',
      source: 'azure-monitor',
      title: 'Azure OpenAI 429 rate above 5%',
      kind: 'aoai-throttling',
      tier: 'P2',
      status: 'open',
      flapping: false,
      flapCount: 0,
      resource: {},
      acknowledgedBy: null,
      acknowledgedAt: null,
      silenceId: null,
      silencedBy: null,
      silencedUntil: null,
      openedAt: now,
      updatedAt: now,
      resolvedAt: null,
      version: 1,
    });
    const [suggested] = remediation.suggestedActions(incident);
    expect(suggested).toMatchObject({ verb: 'remediation-propose', title: 'Shift traffic to secondary' });
    expect(remediation.commands.map((c) => c.id)).toEqual(['remediate', 'audit', 'remediation']);
    const dispatcher = createDispatcher({
      commands: remediation.commands,
      buttons: remediation.buttons,
      handlerDeps: { store, policy: defaultPolicy(), clock: sim.clock, targets: [] },
      logger: createLogger({ level: 'silent' }),
      onQueued: () => undefined,
    });
    const where = { surface: 'console' as const, channel: 'oncall', thread: null };
    const message = { surface: 'console' as const, channel: 'oncall', id: 'card-4', extra: {} };
    const card = await dispatcher.dispatch({
      kind: 'action',
      verb: suggested!.verb,
      data: suggested!.data,
      user: alice,
      place: where,
      message,
    });
    expect(card.header?.title).toBe('Remediation #1: Shift Azure OpenAI traffic');
    expect(card.facts).toContainEqual([
      'Expires',
      expect.objectContaining({ kind: 'time', fallback: '28 Nov 2026, 10:15 CET' }),
    ]);
    const approve = card.actions.find((a) => a.verb === 'remediation-approve');
    await dispatcher.dispatch({
      kind: 'action',
      verb: 'remediation-approve',
      data: approve!.data,
      user: bob,
      place: where,
      message,
    });
    await remediation.service.idle();
    const { records } = await remediation.service.audit(incident.id);
    expect(records.map((r) => r.event).at(-1)).toBe('verified');
    expect(records.every((r) => r.incidentId === incident.id)).toBe(true);
    expect(queued).toBeGreaterThan(0);
  });
});
