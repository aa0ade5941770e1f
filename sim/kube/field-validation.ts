import type { ApiRequest } from './http.ts';
import { schemaFor } from './openapi/kinds.ts';
import type { OpenApiSchema } from './openapi/schema.ts';
import type { ResourceType } from './resources.ts';
import { badRequest } from './status.ts';

/** `?fieldValidation=`: what to do with fields the kind's schema does not know. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

const directives: FieldValidation[] = ['Ignore', 'Warn', 'Strict'];

/** The request's directive; absent means Warn, as on a real apiserver. Anything else is a 400. */
export function readFieldValidation(req: ApiRequest): FieldValidation {
  const value = req.query.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  const found = directives.find((d) => d === value);
  if (!found) {
    throw badRequest(
      `fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(value)}`,
    );
  }
  return found;
}

/** What a body holds that its kind's schema does not allow: unknown field paths and type mismatches. */
export interface Findings {
  unknown: string[];
  mistyped: string[];
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'number' : 'float';
  return typeof value;
}

function wantedType(schema: OpenApiSchema): string {
  if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
  return schema.format ?? schema.type ?? 'any';
}

function fits(schema: OpenApiSchema, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/** Walk a value along its schema; `patch` skips strategic-merge directives (`$patch`, `$setElementOrder/…`). */
function walk(schema: OpenApiSchema, value: unknown, path: string, patch: boolean, out: Findings): void {
  if (value === null || value === undefined) return;
  if (!fits(schema, value)) {
    out.mistyped.push(
      `cannot unmarshal ${jsonType(value)} into field ${JSON.stringify(path)} of type ${wantedType(schema)}`,
    );
    return;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items)
      value.forEach((item, i) => {
        walk(items, item, `${path}[${i}]`, patch, out);
      });
    return;
  }
  if (schema.type !== 'object' || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (patch && key.startsWith('$')) continue;
    const at = path ? `${path}.${key}` : key;
    const sub = schema.properties?.[key] ?? schema.additionalProperties;
    if (sub) walk(sub, child, at, patch, out);
    else if (!schema['x-kubernetes-preserve-unknown-fields']) out.unknown.push(at);
  }
}

/** Walk a body (or, with `patch`, a merge or strategic patch) along its kind's schema; kinds without one pass. */
export function inspectFields(rt: ResourceType, body: unknown, opts: { patch?: boolean } = {}): Findings {
  const found: Findings = { unknown: [], mistyped: [] };
  const schema = schemaFor(rt.group, rt.version, rt.kind);
  if (schema) walk(schema, body, '', opts.patch ?? false, found);
  return found;
}

/**
 * Check a create/update body, or a merge/strategic patch, against the kind's published schema.
 * Wrongly typed fields fail the request (400, as a decoding error would); unknown fields fail it
 * under Strict and come back as warnings under Warn. Kinds without a schema are not checked.
 */
export function checkFields(
  req: ApiRequest,
  rt: ResourceType,
  body: unknown,
  opts: { patch?: boolean } = {},
): string[] {
  const directive = readFieldValidation(req);
  const found = inspectFields(rt, body, opts);
  const subject = `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}`;
  if (found.mistyped.length > 0) throw badRequest(`${subject}: ${found.mistyped.join(', ')}`);
  const unknown = found.unknown.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (unknown.length === 0 || directive === 'Ignore') return [];
  if (directive === 'Strict') {
    const prefix = opts.patch ? '' : `${subject}: `;
    throw badRequest(`${prefix}strict decoding error: ${unknown.join(', ')}`);
  }
  return unknown;
}

const PATCH_BODIES = ['application/merge-patch+json', 'application/strategic-merge-patch+json'];

/** `checkFields` for a PATCH: merge and strategic patches are checked as partial objects; JSON Patch is not. */
export function checkPatchFields(req: ApiRequest, rt: ResourceType): string[] {
  const type =
    String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  if (!PATCH_BODIES.includes(type)) {
    readFieldValidation(req);
    return [];
  }
  let patch: unknown;
  try {
    patch = JSON.parse(req.body);
  } catch {
    return []; // applyPatch answers the decoding error
  }
  return checkFields(req, rt, patch, { patch: true });
}
