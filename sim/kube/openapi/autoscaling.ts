import { conditions, labelSelector, objectMeta } from './meta.ts';
import { int, int64, intOrString, kind, list, type OpenApiSchema, obj, str, time } from './schema.ts';

const scaleTargetRef: OpenApiSchema = obj(
  'The workload whose replica count the autoscaler sets.',
  {
    apiVersion: str('API version of the target, e.g. apps/v1.'),
    kind: str('Kind of the target, e.g. Deployment.'),
    name: str('Name of the target.'),
  },
  ['kind', 'name'],
);
const minReplicas = int('Lower limit of the replica count; at least 1. Defaults to 1.');
const maxReplicas = int('Upper limit of the replica count; cannot be lower than minReplicas.');
const common = {
  observedGeneration: int64('The generation the autoscaler has acted on.'),
  lastScaleTime: time('When the autoscaler last changed the replica count.'),
  currentReplicas: int('Current number of replicas of the target.'),
  desiredReplicas: int('Number of replicas the autoscaler last computed.'),
};

const metricTarget: OpenApiSchema = obj(
  'The target value of a metric.',
  {
    type: str('Whether the target is a value, an average value or an average utilisation.', [
      'Utilization',
      'Value',
      'AverageValue',
    ]),
    averageUtilization: int('Target average utilisation, as a percentage of the requested resource.'),
    averageValue: intOrString('Target average value across pods (a quantity).'),
    value: intOrString('Target value of the metric (a quantity).'),
  },
  ['type'],
);

const metricSpec: OpenApiSchema = obj(
  'One metric the autoscaler scales on.',
  {
    type: str('Type of the metric source.', ['Resource', 'Pods', 'Object', 'External', 'ContainerResource']),
    resource: obj(
      'A resource metric (cpu or memory) of the pods, as in requests and limits.',
      { name: str('Name of the resource, e.g. cpu.'), target: metricTarget },
      ['name', 'target'],
    ),
    pods: obj(
      'A metric of each pod (e.g. requests per second), averaged across the pods.',
      {
        metric: obj(
          'The metric.',
          { name: str('Name of the metric.'), selector: labelSelector('Selects the metric series.') },
          ['name'],
        ),
        target: metricTarget,
      },
      ['metric', 'target'],
    ),
  },
  ['type'],
);

export const hpaV2Kind: OpenApiSchema = kind(
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
  'HorizontalPodAutoscaler sets the replica count of a workload from observed metrics.',
  objectMeta,
  {
    spec: obj(
      'Desired behaviour of the autoscaler.',
      {
        scaleTargetRef,
        minReplicas,
        maxReplicas,
        metrics: list('Metrics used to compute the desired replica count; the highest wins.', metricSpec),
      },
      ['scaleTargetRef', 'maxReplicas'],
    ),
    status: obj('Current status of the autoscaler.', {
      ...common,
      currentMetrics: list('Last read values of the metrics.', {
        type: 'object',
        description: 'One metric value as last read.',
        'x-kubernetes-preserve-unknown-fields': true,
      }),
      conditions: conditions(
        'Latest observations of the autoscaler (AbleToScale, ScalingActive, ScalingLimited).',
      ),
    }),
  },
);

export const hpaV1Kind: OpenApiSchema = kind(
  { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' },
  'HorizontalPodAutoscaler (v1) sets the replica count of a workload from its average CPU utilisation.',
  objectMeta,
  {
    spec: obj(
      'Desired behaviour of the autoscaler.',
      {
        scaleTargetRef,
        minReplicas,
        maxReplicas,
        targetCPUUtilizationPercentage: int(
          'Target average CPU utilisation, as a percentage of the requested CPU.',
        ),
      },
      ['scaleTargetRef', 'maxReplicas'],
    ),
    status: obj('Current status of the autoscaler.', {
      ...common,
      currentCPUUtilizationPercentage: int(
        'Current average CPU utilisation, as a percentage of the requested CPU.',
      ),
    }),
  },
);

export const pdbKind: OpenApiSchema = kind(
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
  'PodDisruptionBudget limits how many pods of a set voluntary disruptions (evictions, drains) may take down.',
  objectMeta,
  {
    spec: obj('Desired behaviour of the budget; set minAvailable or maxUnavailable, not both.', {
      minAvailable: intOrString('Pods that must stay available after an eviction (number or percentage).'),
      maxUnavailable: intOrString('Pods that may be unavailable after an eviction (number or percentage).'),
      selector: labelSelector('Label selector for the pods the budget covers.'),
    }),
    status: obj('Most recently observed status of the budget.', {
      observedGeneration: int64('The generation the disruption controller has acted on.'),
      currentHealthy: int('Number of healthy pods.'),
      desiredHealthy: int('Minimum number of healthy pods the budget requires.'),
      disruptionsAllowed: int('Number of pod disruptions currently allowed.'),
      expectedPods: int('Total number of pods the budget counts.'),
      conditions: conditions('Latest observations of the budget (DisruptionAllowed).'),
    }),
  },
);
