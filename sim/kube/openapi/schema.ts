/**
 * The subset of OpenAPI v3 schema objects the simulated API publishes (`/openapi/v3`) and
 * checks request bodies against (sim/kube/field-validation.ts). Written as data, once per kind.
 */
export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema;
  items?: OpenApiSchema;
  required?: string[];
  enum?: string[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

export const str = (description: string, values?: string[]): OpenApiSchema =>
  values ? { type: 'string', description, enum: values } : { type: 'string', description };
export const int = (description: string): OpenApiSchema => ({
  type: 'integer',
  format: 'int32',
  description,
});
export const int64 = (description: string): OpenApiSchema => ({
  type: 'integer',
  format: 'int64',
  description,
});
export const bool = (description: string): OpenApiSchema => ({ type: 'boolean', description });
export const time = (description: string): OpenApiSchema => ({
  type: 'string',
  format: 'date-time',
  description,
});
export const intOrString = (description: string): OpenApiSchema => ({
  description,
  'x-kubernetes-int-or-string': true,
});

export function obj(
  description: string,
  properties: Record<string, OpenApiSchema>,
  required?: string[],
): OpenApiSchema {
  return { type: 'object', description, properties, ...(required ? { required } : {}) };
}

export function list(description: string, items: OpenApiSchema, mergeKey?: string): OpenApiSchema {
  const merge = mergeKey
    ? { 'x-kubernetes-patch-merge-key': mergeKey, 'x-kubernetes-patch-strategy': 'merge' }
    : {};
  return { type: 'array', description, items, ...merge };
}

export const stringMap = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string', description: '' },
});

/** Resource quantities such as `cpu: 500m` or `nvidia.com/gpu: 8`. */
export const quantityMap = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  additionalProperties: {
    description: 'A quantity, e.g. "500m", "8Gi" or 8.',
    'x-kubernetes-int-or-string': true,
  },
});

/** An object whose contents the simulator keeps as sent (custom resources' spec and status). */
export const open = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});

/** A top-level kind: apiVersion, kind, metadata plus the kind's own fields, tagged with its GVK. */
export function kind(
  gvk: { group: string; version: string; kind: string },
  description: string,
  metadata: OpenApiSchema,
  fields: Record<string, OpenApiSchema>,
  required?: string[],
): OpenApiSchema {
  return {
    ...obj(
      description,
      {
        apiVersion: str(
          'APIVersion defines the versioned schema of this representation of an object, e.g. "apps/v1".',
        ),
        kind: str('Kind is a string value representing the REST resource this object represents.'),
        metadata,
        ...fields,
      },
      required,
    ),
    'x-kubernetes-group-version-kind': [gvk],
  };
}
