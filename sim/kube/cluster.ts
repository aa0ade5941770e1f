import { canonicalJson } from '../../core/canonical-json.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { reconcileAll } from './controllers/reconcile.ts';
import { safeSuffix } from './names.ts';
import { resourceTypeOf } from './resources.ts';
import { type KubeObject, type NewObject, ObjectStore } from './store.ts';

/** How the simulated cluster behaves. */
export interface ClusterOptions {
  /** Source of "now"; pass a ManualClock in tests and move it explicitly. */
  clock?: Clock;
  /** Time from a pod being scheduled to it being Ready (default 10 s). */
  podReadyDelayMs?: number;
  /** How long a Job's pod runs before it succeeds (default 3 s: a GPU reset takes seconds). */
  jobRunMs?: number;
  /** Store events kept for watches to resume from (default 2000). */
  watchHistory?: number;
}

/** The pod-template-hash of a pod template. */
export function templateHash(template: unknown): string {
  return safeSuffix(canonicalJson(template), 10);
}

/**
 * The simulated cluster: the object store plus the controllers that move it toward its spec
 * (deployment rollouts, replica sets, scheduling, pod readiness, HPA bounds, PDB status, node
 * taints). Controllers run on {@link KubeCluster.tick}, which the server also calls before every
 * request, so state at a given clock reading is deterministic.
 */
export class KubeCluster {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly podReadyDelayMs: number;
  readonly jobRunMs: number;
  /** HPA recommendations (namespace/name → replicas) that stand in for metrics; see {@link setHpaRecommendation}. */
  readonly hpaRecommendations = new Map<string, number>();
  private counter = 0;
  /** Clock reading and store revision at the last fixed point. */
  private settled = { at: Number.NaN, revision: '' };
  /** The earliest clock reading at which a controller has something to do without any write. */
  private wakeAtMs = Number.POSITIVE_INFINITY;

  constructor(opts: ClusterOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.store = new ObjectStore(this.clock, opts.watchHistory);
    this.podReadyDelayMs = opts.podReadyDelayMs ?? 10_000;
    this.jobRunMs = opts.jobRunMs ?? 3_000;
  }

  /**
   * Run every controller until nothing changes at the current clock reading. Nothing to do while
   * no object changed and no controller's deadline (see {@link wakeAt}) has come: every API
   * request and metrics scrape ticks, and a full pass copies every object.
   */
  tick(): void {
    const at = this.clock.now();
    const { settled } = this;
    const idle = this.store.resourceVersion === settled.revision && at >= settled.at && at < this.wakeAtMs;
    if (idle) return;
    this.wakeAtMs = Number.POSITIVE_INFINITY;
    reconcileAll(this);
    this.settled = { at, revision: this.store.resourceVersion };
  }

  /** A controller's note that at `ms` it will act on objects nobody changed (a pod turns Ready, a Job ends). */
  wakeAt(ms: number): void {
    this.wakeAtMs = Math.min(this.wakeAtMs, ms);
  }

  /** Make an HPA want this many replicas (bounded by its min/max), as if metrics said so. */
  setHpaRecommendation(namespace: string, name: string, replicas: number): void {
    this.hpaRecommendations.set(`${namespace}/${name}`, replicas);
    this.settled = { at: Number.NaN, revision: '' };
  }

  /** A fresh, deterministic number for generated names and pod IPs. */
  nextNumber(): number {
    this.counter += 1;
    return this.counter;
  }

  /** Objects of a kind, in one namespace or all. */
  list(kind: string, namespace?: string): KubeObject[] {
    return this.store.list(resourceTypeOf(kind), namespace);
  }

  /** One object of a kind, or undefined. */
  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.find(resourceTypeOf(kind), namespace, name);
  }

  /** Create an object of a kind (controllers and seeding). */
  create(kind: string, obj: NewObject): KubeObject {
    return this.store.create(resourceTypeOf(kind), { apiVersion: '', kind, ...obj });
  }

  /** Write a controller's view of an object, status included; unconditional. */
  save(obj: KubeObject): KubeObject {
    const { resourceVersion: _rv, ...metadata } = obj.metadata;
    return this.store.update(resourceTypeOf(obj.kind), { ...obj, metadata });
  }

  /** Delete an object of a kind. */
  remove(kind: string, namespace: string | undefined, name: string): void {
    this.store.delete(resourceTypeOf(kind), namespace, name);
  }
}
