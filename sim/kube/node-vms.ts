import type { KubeCluster } from './cluster.ts';
import { type Condition, statusOf, withCondition } from './controllers/util.ts';
import { cloneJson } from './json.ts';
import { formatTime } from './store.ts';

/** The annotation a rebooting simulated node carries: when it is back (ms since the epoch). */
export const REBOOTING_UNTIL = 'sim.oncall-bot/rebooting-until';
/** Annotation of when a node's VM last finished provisioning (ms since the epoch). */
const PROVISIONED_AT = 'sim.oncall-bot/provisioned-at';

/** A scale set instance as the bot's reboot-node action names it (same shape as its port's). */
interface Vm {
  subscriptionId: string;
  resourceGroup: string;
  scaleSet: string;
  instanceId: string;
}

function nodeOf(c: KubeCluster, vm: Vm) {
  const id = `/virtualMachineScaleSets/${vm.scaleSet}/virtualMachines/${vm.instanceId}`.toLowerCase();
  const node = c.list('Node').find((n) =>
    String((n.spec as { providerID?: string } | undefined)?.providerID ?? '')
      .toLowerCase()
      .endsWith(id),
  );
  if (!node)
    throw new Error(`no VM instance ${vm.scaleSet}/${vm.instanceId} in the simulated node resource group`);
  return node;
}

function setReady(conditions: Condition[] | undefined, ready: boolean, now: string): Condition[] {
  return withCondition(
    conditions,
    ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'node is rebooting' },
    now,
  );
}

/**
 * The node lifecycle of a reboot: a node whose VM restarts goes NotReady, and Ready again once its
 * reboot time passed (a controller pass, so the state at a clock reading is deterministic).
 */
export function syncNodeReboots(c: KubeCluster): void {
  const now = c.clock.now();
  for (const node of c.list('Node')) {
    const until = Number(node.metadata.annotations?.[REBOOTING_UNTIL] ?? Number.NaN);
    if (!Number.isFinite(until)) continue;
    if (now < until) {
      c.wakeAt(until);
      continue;
    }
    const next = cloneJson(node);
    const annotations: Record<string, string> = {
      ...(next.metadata.annotations ?? {}),
      [PROVISIONED_AT]: String(until),
    };
    delete annotations[REBOOTING_UNTIL];
    next.metadata.annotations = annotations;
    const status = statusOf(next);
    status.conditions = setReady(status.conditions as Condition[] | undefined, true, formatTime(until));
    c.save(next);
  }
}

/**
 * The Azure VM scale set instances behind the simulated nodes, so local mode's reboot-node acts on
 * the same world `/gpu` and the cluster show: a restart takes the node NotReady for `rebootMs` (5 s, so the local story finishes within a minute),
 * calls `onRestart` (the DCGM simulator ends the node's episodes: the GPU that fell off the bus is
 * back after a reboot), and reports the instance `updating` until the node is back.
 */
export function simulatedNodeVms(
  c: KubeCluster,
  subscriptionId: string,
  options: { rebootMs?: number; onRestart?: (node: string) => void } = {},
) {
  const rebootMs = options.rebootMs ?? 5_000;
  const startedAt = c.clock.now();
  return {
    subscriptionId,
    async state(vm: Vm) {
      c.tick();
      const node = nodeOf(c, vm);
      const busy = node.metadata.annotations?.[REBOOTING_UNTIL] !== undefined;
      const at = Number(node.metadata.annotations?.[PROVISIONED_AT] ?? startedAt - 86_400_000);
      return {
        provisioning: busy ? 'updating' : 'succeeded',
        provisionedAt: busy ? null : new Date(at).toISOString(),
        power: busy ? 'starting' : 'running',
      };
    },
    async restart(vm: Vm) {
      c.tick();
      const node = nodeOf(c, vm);
      if (node.metadata.annotations?.[REBOOTING_UNTIL] !== undefined)
        throw new Error(`${vm.scaleSet}/${vm.instanceId} is already restarting`);
      const now = c.clock.now();
      const next = cloneJson(node);
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        [REBOOTING_UNTIL]: String(now + rebootMs),
      };
      const status = statusOf(next);
      status.conditions = setReady(status.conditions as Condition[] | undefined, false, formatTime(now));
      c.save(next);
      options.onRestart?.(node.metadata.name);
    },
  };
}
