import { z } from 'zod';

/**
 * The shapes the simulated apiserver validates (422) and its controllers read. Loose objects:
 * fields the simulation does not care about are kept as sent, as the real server would.
 */
const dnsSubdomain = z
  .string()
  .max(253, 'must be no more than 253 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  );
const stringMap = z.record(z.string(), z.string());
const intOrString = z.union([z.number().int(), z.string()]);
const quantityMap = z.record(z.string(), intOrString);

export const objectMetaSchema = z.looseObject({
  name: dnsSubdomain,
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  resourceVersion: z.string().optional(),
  uid: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  ownerReferences: z
    .array(
      z.looseObject({
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        uid: z.string(),
        controller: z.boolean().optional(),
      }),
    )
    .optional(),
});

export const labelSelectorSchema = z.looseObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z
    .array(
      z.looseObject({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

const containerSchema = z.looseObject({
  name: dnsSubdomain,
  image: z.string().min(1),
  env: z.array(z.looseObject({ name: z.string().min(1), value: z.string().optional() })).optional(),
  resources: z.looseObject({ limits: quantityMap.optional(), requests: quantityMap.optional() }).optional(),
});

export const podSpecSchema = z.looseObject({
  containers: z.array(containerSchema).min(1, 'must have at least one container'),
  nodeName: z.string().optional(),
  nodeSelector: stringMap.optional(),
});
export type PodSpec = z.infer<typeof podSpecSchema>;

export const podTemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: stringMap.optional(), annotations: stringMap.optional() }).optional(),
  spec: podSpecSchema,
});
export type PodTemplate = z.infer<typeof podTemplateSchema>;

const replicas = z.number().int('must be an integer').min(0, 'must be greater than or equal to 0');

const conditionSchema = z.looseObject({ type: z.string(), status: z.string() });

export const deploymentSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    replicas: replicas.optional(),
    selector: labelSelectorSchema,
    template: podTemplateSchema,
    paused: z.boolean().optional(),
    revisionHistoryLimit: z.number().int().min(0, 'must be greater than or equal to 0').optional(),
  }),
  status: z.looseObject({ conditions: z.array(conditionSchema).optional() }).optional(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

export const replicaSetSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    replicas: replicas.optional(),
    selector: labelSelectorSchema,
    template: podTemplateSchema,
  }),
});
export type ReplicaSet = z.infer<typeof replicaSetSchema>;

export const podSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: podSpecSchema,
  status: z
    .looseObject({ phase: z.string().optional(), conditions: z.array(conditionSchema).optional() })
    .optional(),
});
export type Pod = z.infer<typeof podSchema>;

export const nodeSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      unschedulable: z.boolean().optional(),
      taints: z
        .array(z.looseObject({ key: z.string().min(1), effect: z.string(), value: z.string().optional() }))
        .optional(),
    })
    .optional(),
  status: z
    .looseObject({
      allocatable: quantityMap.optional(),
      conditions: z.array(conditionSchema).optional(),
      addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).optional(),
    })
    .optional(),
});
export type Node = z.infer<typeof nodeSchema>;

export const hpaSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      scaleTargetRef: z.looseObject({
        apiVersion: z.string().optional(),
        kind: z.string().min(1),
        name: z.string().min(1),
      }),
      minReplicas: z.number().int().min(1, 'must be greater than or equal to 1').optional(),
      maxReplicas: z.number().int().min(1, 'must be greater than or equal to 1'),
      metrics: z
        .array(
          z.looseObject({ type: z.enum(['Resource', 'Pods', 'Object', 'External', 'ContainerResource']) }),
        )
        .optional(),
    })
    .superRefine((spec, ctx) => {
      if (spec.maxReplicas < (spec.minReplicas ?? 1)) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxReplicas'],
          message: 'must be greater than or equal to `minReplicas`',
        });
      }
    }),
});
export type Hpa = z.infer<typeof hpaSchema>;

export const pdbSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      minAvailable: intOrString.optional(),
      maxUnavailable: intOrString.optional(),
      selector: labelSelectorSchema.optional(),
    })
    .superRefine((spec, ctx) => {
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'minAvailable and maxUnavailable cannot be both set',
        });
      }
    }),
});
export type Pdb = z.infer<typeof pdbSchema>;

export const configMapSchema = z.looseObject({
  metadata: objectMetaSchema,
  data: z
    .record(
      z
        .string()
        .regex(
          /^[-._a-zA-Z0-9]+$/,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        ),
      z.string(),
    )
    .optional(),
  binaryData: stringMap.optional(),
});

export const scaleSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({ replicas: replicas.optional() }).optional(),
});

export const evictionSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
  deleteOptions: z.looseObject({ dryRun: z.array(z.string()).optional() }).optional(),
});

export const genericObjectSchema = z.looseObject({ metadata: objectMetaSchema });
