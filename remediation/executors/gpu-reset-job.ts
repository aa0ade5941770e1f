import type { V1Job } from '@kubernetes/client-node';
import { z } from 'zod';
import type { GpuResetSettings } from '../policy.ts';

/** Labels every reset Job carries, so `kubectl get jobs -l app.kubernetes.io/managed-by=oncall-bot` finds them. */
export const RESET_JOB_LABELS = {
  'app.kubernetes.io/managed-by': 'oncall-bot',
  'oncall-bot/action': 'gpu-reset',
};

/** The reset Job as a plan records it: exactly what will be created. */
export const resetJobSpec = z.object({
  namespace: z.string(),
  name: z.string(),
  node: z.string(),
  gpu: z.number().int().min(0),
  image: z.string(),
  command: z.array(z.string()),
  runtimeClassName: z.string().nullable(),
  timeoutSeconds: z.number().int(),
});
export type ResetJobSpec = z.infer<typeof resetJobSpec>;

/**
 * The reset Job's name: node, GPU and the node's resource version at planning, so a re-plan of an
 * unchanged node names the same Job (the plan hash holds) and a later reset gets a new one.
 */
export function resetJobName(node: string, gpu: number, nodeVersion: string): string {
  const suffix = `-gpu${gpu}-${nodeVersion.replace(/[^a-z0-9]/g, '').slice(-10) || '0'}`;
  return `gpu-reset-${node.slice(0, 63 - 'gpu-reset-'.length - suffix.length)}${suffix}`.replace(/-+$/, '');
}

/** What the plan shows and the Job will run: `nvidia-smi -r -i <gpu>` on that node. */
export function planResetJob(
  node: string,
  gpu: number,
  nodeVersion: string,
  settings: GpuResetSettings,
): ResetJobSpec {
  return {
    namespace: settings.namespace,
    name: resetJobName(node, gpu, nodeVersion),
    node,
    gpu,
    image: settings.image,
    command: ['nvidia-smi', '-r', '-i', String(gpu)],
    runtimeClassName: settings.runtimeClassName ?? null,
    timeoutSeconds: settings.timeoutSeconds,
  };
}

/**
 * The Job object: one privileged pod bound to the node by `spec.nodeName` (the scheduler, and so
 * the cordon, is bypassed), tolerating every taint, no retries (a failed reset is for a person to
 * look at), removed a day after it finished.
 */
export function resetJobObject(spec: ResetJobSpec): V1Job {
  const labels = { ...RESET_JOB_LABELS, 'oncall-bot/node': spec.node, 'oncall-bot/gpu': String(spec.gpu) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: spec.timeoutSeconds,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels },
        spec: {
          nodeName: spec.node,
          restartPolicy: 'Never',
          tolerations: [{ operator: 'Exists' }],
          ...(spec.runtimeClassName ? { runtimeClassName: spec.runtimeClassName } : {}),
          containers: [
            {
              name: 'gpu-reset',
              image: spec.image,
              command: spec.command,
              securityContext: { privileged: true },
              env: [
                { name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' },
                { name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'utility' },
              ],
            },
          ],
        },
      },
    },
  };
}

/** One line for the plan: what runs where. */
export function describeResetJob(spec: ResetJobSpec): string {
  return `run Job ${spec.namespace}/${spec.name} on ${spec.node} (privileged, ${spec.image}): ${spec.command.join(' ')}`;
}
