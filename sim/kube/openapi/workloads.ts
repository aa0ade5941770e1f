import { conditions, labelSelector, objectMeta, templateMeta } from './meta.ts';
import { podSpec } from './pods.ts';
import { bool, int, int64, intOrString, kind, type OpenApiSchema, obj, str, time } from './schema.ts';

const podTemplate = (description: string): OpenApiSchema =>
  obj(description, { metadata: templateMeta, spec: podSpec }, ['spec']);

const replicas = (what: string): OpenApiSchema =>
  int(`Number of desired pods for this ${what}. Defaults to 1. Zero scales it down to no pods.`);

const deploymentSpec: OpenApiSchema = obj(
  'Specification of the desired behaviour of the Deployment.',
  {
    replicas: replicas('Deployment'),
    selector: labelSelector(
      "Label selector for the pods the Deployment manages; must match the pod template's labels. Immutable.",
    ),
    template: podTemplate('The pod template every replica is created from.'),
    strategy: obj('How existing pods are replaced with new ones.', {
      type: str('Type of the strategy.', ['RollingUpdate', 'Recreate']),
      rollingUpdate: obj('Rolling update parameters; only with type RollingUpdate.', {
        maxSurge: intOrString('How many pods may be created above the desired count (number or percentage).'),
        maxUnavailable: intOrString(
          'How many pods may be unavailable during the update (number or percentage).',
        ),
      }),
    }),
    minReadySeconds: int('Seconds a new pod must be ready before it counts as available.'),
    revisionHistoryLimit: int('Number of old ReplicaSets kept for rollback. Defaults to 10.'),
    paused: bool('True when the rollout is paused: changes to the template start no new rollout.'),
    progressDeadlineSeconds: int('Seconds a rollout may make no progress before it is reported failed.'),
  },
  ['selector', 'template'],
);

const deploymentStatus: OpenApiSchema = obj(
  'Most recently observed status of the Deployment. Written by the deployment controller.',
  {
    observedGeneration: int64('The generation the controller has acted on.'),
    replicas: int('Total number of pods targeted by the Deployment.'),
    updatedReplicas: int('Number of pods from the current pod template.'),
    readyReplicas: int('Number of pods that are ready.'),
    availableReplicas: int('Number of pods ready for at least minReadySeconds.'),
    unavailableReplicas: int('Number of pods still needed for the Deployment to be fully available.'),
    conditions: conditions('Latest observations of the Deployment (Available, Progressing).'),
  },
);

export const deploymentKind: OpenApiSchema = kind(
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  'Deployment keeps a number of identical pods running and rolls out changes to them declaratively.',
  objectMeta,
  { spec: deploymentSpec, status: deploymentStatus },
);

export const replicaSetKind: OpenApiSchema = kind(
  { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  'ReplicaSet keeps a number of pod replicas running; Deployments create and scale them.',
  objectMeta,
  {
    spec: obj(
      'Specification of the desired behaviour of the ReplicaSet.',
      {
        replicas: replicas('ReplicaSet'),
        selector: labelSelector("Label selector for the pods; must match the template's labels."),
        template: podTemplate('The pod template replicas are created from.'),
        minReadySeconds: int('Seconds a new pod must be ready before it counts as available.'),
      },
      ['selector'],
    ),
    status: obj('Most recently observed status of the ReplicaSet.', {
      observedGeneration: int64('The generation the controller has acted on.'),
      replicas: int('Number of pods the ReplicaSet has.'),
      fullyLabeledReplicas: int("Number of pods whose labels match the template's labels."),
      readyReplicas: int('Number of pods that are ready.'),
      availableReplicas: int('Number of pods ready for at least minReadySeconds.'),
      conditions: conditions('Latest observations of the ReplicaSet.'),
    }),
  },
);

export const jobKind: OpenApiSchema = kind(
  { group: 'batch', version: 'v1', kind: 'Job' },
  'Job runs pods until a number of them complete successfully (run-to-completion work).',
  objectMeta,
  {
    spec: obj(
      'Specification of the desired behaviour of the Job.',
      {
        template: podTemplate('The pod template the Job runs; restartPolicy must be Never or OnFailure.'),
        parallelism: int('Maximum number of pods running at once.'),
        completions: int('Number of successful pods the Job needs to complete.'),
        backoffLimit: int('Number of retries before the Job is marked failed. Defaults to 6.'),
        activeDeadlineSeconds: int64('Seconds the Job may run before the system stops it.'),
        ttlSecondsAfterFinished: int('Seconds after which a finished Job is deleted.'),
        selector: labelSelector('Label selector for the pods of the Job; normally generated.'),
      },
      ['template'],
    ),
    status: obj('Current status of the Job. Written by the job controller.', {
      active: int('Number of pods running.'),
      succeeded: int('Number of pods that completed successfully.'),
      failed: int('Number of pods that failed.'),
      startTime: time('When the job controller started the Job.'),
      completionTime: time('When the Job completed.'),
      conditions: conditions('Latest observations of the Job (Complete, Failed).'),
    }),
  },
  ['spec'],
);
