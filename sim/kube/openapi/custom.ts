import { objectMeta } from './meta.ts';
import { kind, type OpenApiSchema, open } from './schema.ts';

/** Custom resources: their spec and status are kept as sent, as a CRD with preserved fields would. */
export const inferenceServiceKind: OpenApiSchema = kind(
  { group: 'serving.kserve.io', version: 'v1beta1', kind: 'InferenceService' },
  'InferenceService (KServe) serves a model behind an autoscaled predictor.',
  objectMeta,
  {
    spec: open('Desired state of the service: predictor, transformer, explainer.'),
    status: open('Observed state of the service, written by the KServe controller.'),
  },
);

export const pytorchJobKind: OpenApiSchema = kind(
  { group: 'kubeflow.org', version: 'v1', kind: 'PyTorchJob' },
  'PyTorchJob (Kubeflow training operator) runs distributed PyTorch training: a master and workers.',
  objectMeta,
  {
    spec: open('Desired state of the job: pytorchReplicaSpecs, runPolicy.'),
    status: open('Observed state of the job: replicaStatuses, conditions.'),
  },
);
