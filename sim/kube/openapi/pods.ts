import { conditions, objectMeta } from './meta.ts';
import {
  bool,
  int,
  int64,
  kind,
  list,
  type OpenApiSchema,
  obj,
  quantityMap,
  str,
  stringMap,
  time,
} from './schema.ts';

const container: OpenApiSchema = obj(
  'A single application container to run in the pod.',
  {
    name: str('Name of the container, unique within the pod (DNS label). Cannot be updated.'),
    image: str('Container image name, e.g. "ghcr.io/acme/llm-api:1.4".'),
    imagePullPolicy: str('When to pull the image.', ['Always', 'IfNotPresent', 'Never']),
    command: list("Entrypoint array, replacing the image's ENTRYPOINT.", { type: 'string', description: '' }),
    args: list("Arguments to the entrypoint, replacing the image's CMD.", {
      type: 'string',
      description: '',
    }),
    env: list(
      'Environment variables to set in the container.',
      obj('One environment variable.', { name: str('Name of the variable.'), value: str('Its value.') }, [
        'name',
      ]),
      'name',
    ),
    ports: list(
      'Ports the container exposes.',
      obj(
        'A network port in a container.',
        {
          name: str('A name for the port, unique within the pod.'),
          containerPort: int('The port number on the pod IP (1-65535).'),
          protocol: str('Protocol of the port.', ['TCP', 'UDP', 'SCTP']),
        },
        ['containerPort'],
      ),
      'containerPort',
    ),
    securityContext: obj('Security options the container runs with.', {
      privileged: bool(
        'Run the container privileged: as root on the host, with access to its devices (a GPU reset needs this).',
      ),
      runAsUser: int64('The UID the container process runs as.'),
      runAsNonRoot: bool('True when the container must not run as root.'),
    }),
    resources: obj('Compute resources the container needs (cpu, memory, nvidia.com/gpu).', {
      requests: quantityMap('The minimum amount of each resource the scheduler reserves for the container.'),
      limits: quantityMap('The maximum amount of each resource the container may use.'),
    }),
  },
  ['name'],
);

/** core/v1 PodSpec, as far as the simulated scheduler and kubelet read it. */
export const podSpec: OpenApiSchema = obj(
  'Specification of the desired behaviour of the pod.',
  {
    containers: list('The containers of the pod; at least one.', container, 'name'),
    nodeName: str('The node the pod is bound to; set by the scheduler, or by the client to bypass it.'),
    nodeSelector: stringMap('Labels a node must carry for the pod to be scheduled there.'),
    restartPolicy: str('Restart policy for all containers of the pod.', ['Always', 'OnFailure', 'Never']),
    runtimeClassName: str(
      'The RuntimeClass the pod runs with, e.g. nvidia for the NVIDIA container runtime.',
    ),
    serviceAccountName: str('Name of the service account the pod runs as.'),
    terminationGracePeriodSeconds: int64('Seconds the pod is given to stop gracefully.'),
    tolerations: list(
      'Taints the pod tolerates.',
      obj('A toleration of a taint.', {
        key: str('The taint key; empty matches all keys.'),
        operator: str('How key and value relate.', ['Exists', 'Equal']),
        value: str('The taint value to match.'),
        effect: str('The taint effect to match; empty matches all.', [
          'NoSchedule',
          'PreferNoSchedule',
          'NoExecute',
        ]),
      }),
    ),
  },
  ['containers'],
);

const containerState: OpenApiSchema = obj('The state of a container: exactly one of its fields is set.', {
  waiting: obj('The container has not started yet.', {
    reason: str('Why it is waiting, e.g. ContainerCreating.'),
    message: str('Details.'),
  }),
  running: obj('The container is running.', { startedAt: time('When it started.') }),
  terminated: obj('The container has stopped.', {
    exitCode: int('Exit code of the last run.'),
    reason: str('Why it stopped.'),
    message: str('Details.'),
    startedAt: time('When it started.'),
    finishedAt: time('When it stopped.'),
  }),
});

const podStatus: OpenApiSchema = obj(
  'The most recently observed status of the pod. Written by the system; read-only for clients.',
  {
    phase: str('Where the pod is in its lifecycle.', [
      'Pending',
      'Running',
      'Succeeded',
      'Failed',
      'Unknown',
    ]),
    conditions: conditions(
      'Current service state of the pod (PodScheduled, Initialized, ContainersReady, Ready).',
    ),
    hostIP: str('IP address of the node the pod runs on.'),
    podIP: str('IP address allocated to the pod.'),
    startTime: time('When the kubelet acknowledged the pod.'),
    qosClass: str('Quality of service class from the resource requests and limits.', [
      'Guaranteed',
      'Burstable',
      'BestEffort',
    ]),
    reason: str('A brief CamelCase reason for the pod being in this state, e.g. Evicted.'),
    message: str('A human-readable message about the pod being in this state.'),
    containerStatuses: list(
      'The status of each container.',
      obj('The status of one container.', {
        name: str('Name of the container.'),
        ready: bool('True when the container passes its readiness probe.'),
        started: bool('True when the container has started.'),
        restartCount: int('How many times the container has been restarted.'),
        image: str('The image the container runs.'),
        imageID: str('The image ID of the container image.'),
        state: containerState,
        lastState: containerState,
      }),
    ),
  },
);

export const podKind: OpenApiSchema = kind(
  { group: '', version: 'v1', kind: 'Pod' },
  'Pod is a collection of containers that run together on one node, scheduled as a unit.',
  objectMeta,
  { spec: podSpec, status: podStatus },
);
