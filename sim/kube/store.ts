import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { cloneJson, equalJson } from './json.ts';
import type { ResourceType } from './resources.ts';
import { alreadyExists, conflict, notFound } from './status.ts';

/** An owner reference (meta/v1 OwnerReference). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The parts of meta/v1 ObjectMeta the server reads or maintains. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

/** Any stored API object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** An object as a controller or seed builds it, before the store adds apiVersion and kind. */
export interface NewObject {
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Options shared by every write. */
export interface WriteOptions {
  /** `?dryRun=All`: validate and return the would-be object without persisting it. */
  dryRun?: boolean;
}

/** A change to one object, as watchers see it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rt: ResourceType;
  object: KubeObject;
  revision: number;
}

/** RFC 3339 with second precision, as the apiserver writes timestamps. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The in-memory object store, generic over resource type. One revision counter for the whole
 * store (like etcd's), copied into `metadata.resourceVersion` on every write.
 */
export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 0;
  private readonly log: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  /** `historySize`: how many past events a watch can resume from; older resourceVersions get 410. */
  constructor(
    private readonly clock: Clock,
    private readonly historySize = 2000,
  ) {}

  /** The store's latest revision, used as a list's resourceVersion. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** How many watchers are subscribed (tests wait for a client's watch to be open). */
  get watcherCount(): number {
    return this.listeners.size;
  }

  /** Be told about every committed change; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after a revision, or undefined when the log no longer reaches back that far. */
  eventsSince(revision: number): StoreEvent[] | undefined {
    const oldest = this.log[0]?.revision ?? this.revision + 1;
    if (revision < oldest - 1 && revision < this.revision) return undefined;
    return this.log.filter((e) => e.revision > revision);
  }

  private emit(type: StoreEvent['type'], rt: ResourceType, object: KubeObject): void {
    const event = { type, rt, object: cloneJson(object), revision: this.revision };
    this.log.push(event);
    if (this.log.length > this.historySize) this.log.shift();
    for (const listener of this.listeners) listener(event);
  }

  /** A copy of one object, or undefined. */
  find(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(keyOf(rt, namespace, name));
    return found ? cloneJson(found) : undefined;
  }

  /** A copy of one object; 404 Status when missing. */
  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.find(rt, namespace, name);
    if (!found) throw notFound(rt, name);
    return found;
  }

  /** Copies of all objects of a type, in one namespace or all, ordered by namespace and name. */
  list(rt: ResourceType, namespace?: string): KubeObject[] {
    const prefix = `${rt.plural}.${rt.group}/${rt.namespaced && namespace ? `${namespace}/` : ''}`;
    const out: KubeObject[] = [];
    for (const [key, obj] of this.objects) if (key.startsWith(prefix)) out.push(cloneJson(obj));
    return out.sort((a, b) =>
      keyOf(rt, a.metadata.namespace, a.metadata.name).localeCompare(
        keyOf(rt, b.metadata.namespace, b.metadata.name),
      ),
    );
  }

  /** Store a new object; 409 AlreadyExists if the name is taken. */
  create(rt: ResourceType, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const key = keyOf(rt, input.metadata.namespace, input.metadata.name);
    if (this.objects.has(key)) throw alreadyExists(rt, input.metadata.name);
    const obj = cloneJson(input);
    obj.apiVersion = rt.group ? `${rt.group}/${rt.version}` : rt.version;
    obj.kind = rt.kind;
    const meta = obj.metadata;
    delete meta.resourceVersion;
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTime(this.clock.now());
    if (rt.tracksGeneration) meta.generation = 1;
    return this.commit(rt, key, obj, opts);
  }

  /**
   * Replace an object. A `metadata.resourceVersion` in the input must match the stored one (409
   * otherwise); without one the update is unconditional. Identity fields are kept, `status` too
   * when `keepStatus` is set (writes to the main resource of a type with a status subresource).
   * A write that changes nothing keeps the resourceVersion, as the real server does.
   */
  update(
    rt: ResourceType,
    input: KubeObject,
    opts: WriteOptions & { keepStatus?: boolean } = {},
  ): KubeObject {
    const key = keyOf(rt, input.metadata.namespace, input.metadata.name);
    const current = this.objects.get(key);
    if (!current) throw notFound(rt, input.metadata.name);
    const sent = input.metadata.resourceVersion;
    if (sent !== undefined && sent !== '' && sent !== current.metadata.resourceVersion) {
      throw conflict(rt, input.metadata.name);
    }
    const obj = cloneJson(input);
    obj.apiVersion = current.apiVersion;
    obj.kind = current.kind;
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    obj.metadata.resourceVersion = current.metadata.resourceVersion;
    if (opts.keepStatus) {
      if (current.status === undefined) delete obj.status;
      else obj.status = cloneJson(current.status);
    }
    if (rt.tracksGeneration) {
      const generation = current.metadata.generation ?? 1;
      obj.metadata.generation = equalJson(withoutMeta(obj), withoutMeta(current))
        ? generation
        : generation + 1;
    }
    if (equalJson(obj, current)) return cloneJson(current);
    return this.commit(rt, key, obj, opts);
  }

  /** Remove an object and return its last state. */
  delete(rt: ResourceType, namespace: string | undefined, name: string, opts: WriteOptions = {}): KubeObject {
    const key = keyOf(rt, namespace, name);
    const current = this.objects.get(key);
    if (!current) throw notFound(rt, name);
    if (opts.dryRun) return cloneJson(current);
    this.objects.delete(key);
    this.revision += 1;
    this.emit('DELETED', rt, {
      ...current,
      metadata: { ...current.metadata, resourceVersion: String(this.revision) },
    });
    return cloneJson(current);
  }

  private commit(rt: ResourceType, key: string, obj: KubeObject, opts: WriteOptions): KubeObject {
    if (opts.dryRun) return cloneJson(obj);
    this.revision += 1;
    obj.metadata.resourceVersion = String(this.revision);
    const existed = this.objects.has(key);
    this.objects.set(key, obj);
    this.emit(existed ? 'MODIFIED' : 'ADDED', rt, obj);
    return cloneJson(obj);
  }
}

function keyOf(rt: ResourceType, namespace: string | undefined, name: string): string {
  return `${rt.plural}.${rt.group}/${rt.namespaced ? `${namespace ?? ''}/` : ''}${name}`;
}

/** The spec-bearing part of an object: everything but metadata and status. */
function withoutMeta(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}
