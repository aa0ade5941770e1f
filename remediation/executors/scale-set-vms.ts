import { ComputeManagementClient, isRestError } from '@azure/arm-compute';
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { ExecutorError } from '../errors.ts';

/**
 * AKS nodes are virtual machine scale set instances; rebooting a node restarts its instance through
 * `@azure/arm-compute` (`virtualMachineScaleSetVMs`), behind the small {@link ScaleSetVmApi} seam the
 * reboot-node action uses.
 */

/** The instance behind a node, from its `spec.providerID`. */
export const scaleSetVm = z.object({
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  scaleSet: z.string(),
  instanceId: z.string(),
});
export type ScaleSetVm = z.infer<typeof scaleSetVm>;

const PROVIDER_ID =
  /^azure:\/\/\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([-\w.]{1,80})\/virtualMachines\/(\d{1,10})$/i;

/** The scale set instance a node's providerID names, or undefined (not a VMSS node: an availability-set VM, another cloud). */
export function scaleSetVmOf(providerId: string | undefined): ScaleSetVm | undefined {
  const m = PROVIDER_ID.exec(providerId ?? '');
  if (!m) return undefined;
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, scaleSet: m[3]!, instanceId: m[4]! };
}

/** `aks-gpu-12345678-vmss/3` for cards and plans. */
export function describeScaleSetVm(vm: ScaleSetVm): string {
  return `${vm.scaleSet}/${vm.instanceId} (resource group ${vm.resourceGroup})`;
}

/** What the bot reads of an instance: ARM's provisioning and power state, with when they were set. */
export const scaleSetVmState = z.object({
  provisioning: z.string(),
  /** When the provisioning state was last set (ISO), if ARM says. */
  provisionedAt: z.string().nullable(),
  power: z.string(),
});
export type ScaleSetVmState = z.infer<typeof scaleSetVmState>;

export interface ScaleSetVmApi {
  /** The subscription the bot may act in: instances elsewhere are refused. */
  subscriptionId: string;
  state(vm: ScaleSetVm): Promise<ScaleSetVmState>;
  /**
   * Submits the restart (ARM's long-running POST) and returns once ARM accepted it; the caller's
   * verify step waits for the instance to run again.
   */
  restart(vm: ScaleSetVm): Promise<void>;
}

export interface ScaleSetVmOptions {
  subscriptionId: string;
  /** `https://management.azure.com` in Azure; a local HTTPS server in tests. */
  endpoint: string;
  credential: TokenCredential;
  /** Extra CA certificate(s) to trust (tests' self-signed server). */
  ca?: string;
  maxRetries?: number;
}

function toExecutorError(what: string, err: unknown): ExecutorError {
  if (isRestError(err) && err.statusCode !== undefined) {
    const detail = err.code ? `${err.code}: ${err.message}` : err.message;
    return new ExecutorError(`ARM_${err.statusCode}`, `${what}: ${detail}`, err.statusCode, { cause: err });
  }
  return new ExecutorError('ARM_UNREACHABLE', `${what}: ${(err as Error).message}`, undefined, {
    cause: err,
  });
}

/** `ProvisioningState/succeeded` → `succeeded`; the status of one family from an instance view. */
function statusOf(statuses: { code?: string; time?: Date | string }[] | undefined, family: string) {
  const s = statuses?.find((x) => x.code?.startsWith(`${family}/`));
  if (!s?.code) return undefined;
  const time = s.time instanceof Date ? s.time.toISOString() : (s.time ?? null);
  return { value: s.code.slice(family.length + 1), time };
}

/** The scale set instances of one subscription through the Compute SDK. */
export function createScaleSetVmApi(options: ScaleSetVmOptions): ScaleSetVmApi {
  const client = new ComputeManagementClient(options.credential, options.subscriptionId, {
    endpoint: options.endpoint,
    ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}),
    retryOptions: { maxRetries: options.maxRetries ?? 3 },
  });
  const vms = client.virtualMachineScaleSetVMs;
  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toExecutorError(what, err);
    }
  }
  return {
    subscriptionId: options.subscriptionId,
    state: (vm) =>
      call(`read instance view of ${vm.scaleSet}/${vm.instanceId}`, async () => {
        const view = await vms.getInstanceView(vm.resourceGroup, vm.scaleSet, vm.instanceId);
        const provisioning = statusOf(view.statuses, 'ProvisioningState');
        return scaleSetVmState.parse({
          provisioning: provisioning?.value ?? 'unknown',
          provisionedAt: provisioning?.time ?? null,
          power: statusOf(view.statuses, 'PowerState')?.value ?? 'unknown',
        });
      }),
    restart: (vm) =>
      call(`restart ${vm.scaleSet}/${vm.instanceId}`, async () => {
        // Submitting sends the POST; the poller is not awaited, so the bot never blocks on ARM's
        // minutes-long operation: verification re-reads the instance on the bot's own clock.
        const poller = await vms.beginRestart(vm.resourceGroup, vm.scaleSet, vm.instanceId);
        await poller.submitted();
      }),
  };
}
