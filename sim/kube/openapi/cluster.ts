import { conditions, objectMeta } from './meta.ts';
import {
  bool,
  int,
  kind,
  list,
  type OpenApiSchema,
  obj,
  quantityMap,
  str,
  stringMap,
  time,
} from './schema.ts';

export const nodeKind: OpenApiSchema = kind(
  { group: '', version: 'v1', kind: 'Node' },
  'Node is a worker machine (here an AKS VM scale set instance, often with GPUs) that runs pods.',
  objectMeta,
  {
    spec: obj('Desired behaviour of the node.', {
      unschedulable: bool('True when the node is cordoned: no new pods are scheduled on it.'),
      providerID: str('The cloud provider ID of the machine, e.g. an azure:// VM scale set instance.'),
      taints: list(
        'Taints that repel pods which do not tolerate them.',
        obj(
          'A taint on the node.',
          {
            key: str('The taint key.'),
            value: str('The taint value.'),
            effect: str('What happens to pods that do not tolerate the taint.', [
              'NoSchedule',
              'PreferNoSchedule',
              'NoExecute',
            ]),
            timeAdded: time('When the taint was added (NoExecute taints).'),
          },
          ['key', 'effect'],
        ),
      ),
    }),
    status: obj('Most recently observed status of the node, reported by its kubelet.', {
      capacity: quantityMap('Total resources of the node: cpu, memory, pods, nvidia.com/gpu.'),
      allocatable: quantityMap('Resources of the node available to pods.'),
      conditions: conditions(
        'Current conditions of the node: Ready, pressure conditions and Node Problem Detector conditions such as XIDErrors or GPUMissing.',
      ),
      addresses: list(
        'Addresses of the node.',
        obj(
          'One address.',
          { type: str('Type of the address, e.g. InternalIP or Hostname.'), address: str('The address.') },
          ['type', 'address'],
        ),
        'type',
      ),
      nodeInfo: obj('General information about the node.', {
        kubeletVersion: str('Kubelet version, e.g. v1.32.4.'),
        osImage: str('OS image of the node.'),
        kernelVersion: str('Kernel version.'),
        containerRuntimeVersion: str('Container runtime and version, e.g. containerd://1.7.'),
        operatingSystem: str('Operating system, e.g. linux.'),
        architecture: str('CPU architecture, e.g. amd64.'),
      }),
    }),
  },
);

export const namespaceKind: OpenApiSchema = kind(
  { group: '', version: 'v1', kind: 'Namespace' },
  'Namespace gives names a scope; most objects live in one.',
  objectMeta,
  {
    spec: obj('Desired behaviour of the namespace.', {
      finalizers: list('Values that must be removed before the namespace is deleted.', {
        type: 'string',
        description: '',
      }),
    }),
    status: obj('Current status of the namespace.', {
      phase: str('Lifecycle phase.', ['Active', 'Terminating']),
    }),
  },
);

export const configMapKind: OpenApiSchema = kind(
  { group: '', version: 'v1', kind: 'ConfigMap' },
  'ConfigMap holds configuration data for pods to consume.',
  objectMeta,
  {
    data: stringMap("Configuration data; keys consist of alphanumeric characters, '-', '_' or '.'."),
    binaryData: stringMap('Binary configuration data, base64-encoded.'),
    immutable: bool('True when the data cannot be changed after creation.'),
  },
);

export const eventKind: OpenApiSchema = kind(
  { group: '', version: 'v1', kind: 'Event' },
  'Event is a report of something that happened to an object.',
  objectMeta,
  {
    involvedObject: obj('The object the event is about.', {
      apiVersion: str('API version of the object.'),
      kind: str('Kind of the object.'),
      name: str('Name of the object.'),
      namespace: str('Namespace of the object.'),
      uid: str('UID of the object.'),
    }),
    reason: str('A short CamelCase reason for the event.'),
    message: str('A human-readable description of the event.'),
    type: str('Type of the event.', ['Normal', 'Warning']),
    count: int('How many times the event occurred.'),
    firstTimestamp: time('When the event was first recorded.'),
    lastTimestamp: time('When the event was most recently recorded.'),
    source: obj('The component that reported the event.', {
      component: str('Component name.'),
      host: str('Node name.'),
    }),
  },
  ['involvedObject'],
);
