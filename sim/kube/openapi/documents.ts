import { createHash } from 'node:crypto';
import { acceptedPatchTypes } from '../patch.ts';
import { type ResourceType, resourceTypes } from '../resources.ts';
import { componentName, schemaFor } from './kinds.ts';
import type { OpenApiSchema } from './schema.ts';

/** `api/v1` or `apis/{group}/{version}`: the key of a group-version in `/openapi/v3`. */
export function gvKey(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `apis/${rt.group}/${rt.version}` : 'api/v1';
}

function queryParam(name: string, description: string) {
  return { name, in: 'query', description, schema: { type: 'string', uniqueItems: true } };
}

const dryRun = queryParam('dryRun', 'When present with the value All, the change is checked but not stored.');
const fieldManager = queryParam('fieldManager', 'The name of the actor making the change.');
const fieldValidation = queryParam(
  'fieldValidation',
  'How to treat fields of the body the schema does not know: Ignore, Warn (a Warning header per field) or Strict (the request fails, naming the field).',
);

function operation(rt: ResourceType, action: string, description: string, ref: string, write: boolean) {
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const content = { 'application/json': { schema: { $ref: ref } } };
  return {
    description,
    operationId: `${action}${rt.group.replace(/\./g, '_')}${rt.version}${rt.kind}`,
    parameters: write ? [dryRun, fieldManager, fieldValidation] : [],
    ...(write && action !== 'delete' ? { requestBody: { content, required: true } } : {}),
    responses: { '200': { description: 'OK', content } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  };
}

function pathsOf(rt: ResourceType, ref: string) {
  const prefix = rt.group ? `/apis/${rt.group}/${rt.version}` : '/api/v1';
  const scope = rt.namespaced ? `${prefix}/namespaces/{namespace}/${rt.plural}` : `${prefix}/${rt.plural}`;
  const listRef = `${ref}List`;
  return {
    [scope]: {
      get: { ...operation(rt, 'list', `list or watch ${rt.kind} objects`, listRef, false) },
      post: operation(rt, 'post', `create a ${rt.kind}`, ref, true),
    },
    [`${scope}/{name}`]: {
      get: operation(rt, 'get', `read the named ${rt.kind}`, ref, false),
      put: operation(rt, 'put', `replace the named ${rt.kind}`, ref, true),
      patch: {
        ...operation(rt, 'patch', `partially update the named ${rt.kind}`, ref, true),
        requestBody: {
          required: true,
          content: Object.fromEntries(
            acceptedPatchTypes(rt).map((type) => [
              type,
              { schema: { type: 'object', description: 'A patch document.' } },
            ]),
          ),
        },
      },
      delete: operation(rt, 'delete', `delete the named ${rt.kind}`, ref, true),
    },
  };
}

function listSchema(rt: ResourceType, ref: string): OpenApiSchema & { properties: Record<string, unknown> } {
  return {
    type: 'object',
    description: `A list of ${rt.kind} objects.`,
    properties: {
      apiVersion: { type: 'string', description: 'API version of the list.' },
      kind: { type: 'string', description: `${rt.kind}List.` },
      metadata: { type: 'object', description: 'List metadata: resourceVersion.' },
      items: { type: 'array', description: `The ${rt.kind} objects.`, items: { $ref: ref } as OpenApiSchema },
    },
    required: ['items'],
  };
}

/** The OpenAPI v3 document of one group-version (`/openapi/v3/apis/apps/v1`), or undefined. */
export function groupVersionDocument(key: string) {
  const types = resourceTypes.filter((rt) => gvKey(rt) === key);
  if (types.length === 0) return undefined;
  const schemas: Record<string, unknown> = {};
  let paths: Record<string, unknown> = {};
  for (const rt of types) {
    const schema = schemaFor(rt.group, rt.version, rt.kind);
    if (!schema) continue;
    const name = componentName(rt.group, rt.version, rt.kind);
    const ref = `#/components/schemas/${name}`;
    schemas[name] = schema;
    schemas[`${name}List`] = listSchema(rt, ref);
    paths = { ...paths, ...pathsOf(rt, ref) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Simulated Kubernetes', version: 'v1.32.4' },
    paths,
    components: { schemas },
  };
}

function hashOf(body: unknown): string {
  return createHash('sha512').update(JSON.stringify(body)).digest('hex').slice(0, 32).toUpperCase();
}

/** `/openapi/v3`: where each group-version's document is, with a content hash for clients' caches. */
export function openApiRoot() {
  const keys = [...new Set(resourceTypes.map(gvKey))];
  return {
    paths: Object.fromEntries(
      keys.map((key) => [
        key,
        { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(groupVersionDocument(key))}` },
      ]),
    ),
  };
}
