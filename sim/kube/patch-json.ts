import { cloneJson, equalJson, isJsonObject, type Json } from './json.ts';
import { badRequest, patchRejected } from './status.ts';

type Op = { op: string; path: string; value?: Json; from?: string };

/**
 * Apply an RFC 6902 JSON Patch. A malformed document is a 400; an operation that cannot be
 * applied (missing path, failed `test`) is a 422, as with the real apiserver.
 */
export function applyJsonPatch(target: Json, patch: unknown): Json {
  if (!Array.isArray(patch))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = cloneJson(target);
  for (const raw of patch) {
    const op = parseOp(raw);
    doc = applyOp(doc, op);
  }
  return doc;
}

function parseOp(raw: unknown): Op {
  if (!isJsonObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
    throw badRequest('invalid JSON patch operation: "op" and "path" are required strings');
  }
  const op: Op = { op: raw.op, path: raw.path };
  if ('value' in raw) op.value = raw.value as Json;
  if (typeof raw.from === 'string') op.from = raw.from;
  if (['add', 'replace', 'test'].includes(op.op) && !('value' in raw)) {
    throw badRequest(`invalid JSON patch operation: "${op.op}" needs a value`);
  }
  if (['move', 'copy'].includes(op.op) && op.from === undefined) {
    throw badRequest(`invalid JSON patch operation: "${op.op}" needs "from"`);
  }
  return op;
}

function applyOp(doc: Json, op: Op): Json {
  switch (op.op) {
    case 'add':
      return add(doc, op.path, cloneJson(op.value as Json));
    case 'remove':
      return remove(doc, op.path);
    case 'replace':
      return add(remove(doc, op.path), op.path, cloneJson(op.value as Json));
    case 'move': {
      const value = read(doc, op.from as string);
      return add(remove(doc, op.from as string), op.path, value);
    }
    case 'copy':
      return add(doc, op.path, cloneJson(read(doc, op.from as string)));
    case 'test':
      if (!equalJson(read(doc, op.path), op.value))
        throw patchRejected(`testing value ${op.path} failed: test failed`);
      return doc;
    default:
      throw badRequest(`unexpected JSON patch operation "${op.op}"`);
  }
}

function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function read(doc: Json, path: string): Json {
  let node: Json = doc;
  for (const t of tokens(path)) {
    const next = child(node, t);
    if (next === undefined) throw patchRejected(`path ${path} does not exist`);
    node = next;
  }
  return node;
}

function child(node: Json, token: string): Json | undefined {
  if (Array.isArray(node)) return /^\d+$/.test(token) ? node[Number(token)] : undefined;
  if (isJsonObject(node)) return Object.hasOwn(node, token) ? node[token] : undefined;
  return undefined;
}

/** The container addressed by all but the last token, plus that last token. */
function parentOf(doc: Json, path: string): { parent: Json; last: string } {
  const all = tokens(path);
  const last = all.pop();
  if (last === undefined) throw patchRejected('cannot address the document root here');
  let node: Json = doc;
  for (const t of all) {
    const next = child(node, t);
    if (next === undefined) throw patchRejected(`path ${path} does not exist: missing ${t}`);
    node = next;
  }
  return { parent: node, last };
}

function add(doc: Json, path: string, value: Json): Json {
  if (path === '') return value;
  const { parent, last } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || index > parent.length)
      throw patchRejected(`index ${last} out of range in ${path}`);
    parent.splice(index, 0, value);
  } else if (isJsonObject(parent)) {
    parent[last] = value;
  } else {
    throw patchRejected(`cannot add at ${path}: parent is not a container`);
  }
  return doc;
}

function remove(doc: Json, path: string): Json {
  const { parent, last } = parentOf(doc, path);
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) {
    parent.splice(Number(last), 1);
  } else if (isJsonObject(parent) && Object.hasOwn(parent, last)) {
    delete parent[last];
  } else {
    throw patchRejected(`path ${path} does not exist`);
  }
  return doc;
}
