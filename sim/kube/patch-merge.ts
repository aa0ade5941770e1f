import { cloneJson, isJsonObject, type Json, type JsonObject } from './json.ts';

/** RFC 7386 JSON Merge Patch: objects merge, `null` deletes, everything else (lists too) replaces. */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/**
 * The `patchMergeKey` of the list fields clients patch in practice (from the Kubernetes API
 * types). Lists not named here are replaced wholesale, like a merge patch.
 */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
  taints: 'key',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

/** Primitive lists the API merges as sets rather than replacing. */
const setLists = new Set(['finalizers']);

/**
 * A strategic merge patch for the fields the simulated cluster serves: maps merge, lists with a
 * known merge key merge element-wise (`$patch: delete` removes one), `$patch: replace` replaces a
 * map, `$retainKeys` prunes, `$deleteFromPrimitiveList/<f>` removes values; `$setElementOrder`
 * only orders lists and is ignored here.
 */
export function applyStrategicMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isJsonObject(patch)) return cloneJson(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return {};
  const out: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value))
        out[field] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (key.startsWith('$')) continue;
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(key, out[key], value);
    else out[key] = applyStrategicMergePatch(out[key], value);
  }
  return out;
}

function mergeList(field: string, current: Json | undefined, patch: Json[]): Json[] {
  const base = Array.isArray(current) ? current : [];
  if (setLists.has(field)) return [...base, ...patch.filter((v) => !base.includes(v))];
  const key = mergeKeys[field];
  if (!key) return patch.map(stripDirectivesDeep);
  if (patch.some((p) => isJsonObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isJsonObject(p) && p.$patch === 'replace')).map(stripDirectivesDeep);
  }
  const out = cloneJson(base);
  for (const item of patch) {
    if (!isJsonObject(item)) continue;
    const index = out.findIndex((o) => isJsonObject(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = applyStrategicMergePatch(out[index], item);
    } else {
      out.push(stripDirectivesDeep(item));
    }
  }
  return out;
}

function stripDirectives(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('$')) out[k] = stripDirectivesDeep(v);
  return out;
}

function stripDirectivesDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectivesDeep);
  return isJsonObject(value) ? stripDirectives(value) : value;
}
