import {
  type ConfigurationOptions,
  CoreV1Api,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import { z } from 'zod';

/** Whether a node takes new pods, as the Kubernetes API says (`spec.unschedulable`). */
export interface NodeSchedulingState {
  cordoned: boolean;
}

/** Reads a node's scheduling state; undefined when the API does not know the node or cannot answer. */
export type NodeScheduling = (node: string) => Promise<NodeSchedulingState | undefined>;

/**
 * How long `/gpu` waits for the node's scheduling state: one GET of a node object, which a
 * healthy API server answers in milliseconds. An API server that accepts the connection and never
 * answers must not hold the command (and its rate-limit slot) for the client's default of never.
 */
export const NODE_SCHEDULING_TIMEOUT_MS = 2_000;

const nodeShape = z.object({
  spec: z.object({ unschedulable: z.boolean().optional() }).optional(),
});

/** Request options that abort the HTTP request (and close its socket) after `ms`. */
function abortAfter(ms: number): ConfigurationOptions {
  const timeout: ObservableMiddleware = {
    pre: (request) => {
      request.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(request));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [timeout], middlewareMergeStrategy: 'append' };
}

/**
 * The scheduling state from the cluster the bot acts on, so `/gpu` shows what a cordon did
 * instead of what the metrics alone suggest. A failing or silent API (no answer within
 * `timeoutMs`) leaves the card without the fact rather than failing or holding the command: the
 * GPU readings are still worth showing.
 */
export function nodeSchedulingFromKube(
  kubeConfig: KubeConfig,
  options: { timeoutMs?: number } = {},
): NodeScheduling {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const timeoutMs = options.timeoutMs ?? NODE_SCHEDULING_TIMEOUT_MS;
  return async (node) => {
    try {
      const parsed = nodeShape.safeParse(await core.readNode({ name: node }, abortAfter(timeoutMs)));
      return parsed.success ? { cordoned: parsed.data.spec?.unschedulable === true } : undefined;
    } catch {
      return undefined;
    }
  };
}
