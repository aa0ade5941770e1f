/** What a scenario does to a node; each hook of the simulator opens one episode. */
export type EpisodeKind =
  | 'heat'
  | 'ecc'
  | 'idle'
  | 'memory-pressure'
  | 'ib-link-down'
  | 'ib-errors'
  /** The driver reports an XID (`code`) on a GPU; 79 takes the GPU off the bus. */
  | 'xid'
  /** NVLink CRC, replay and recovery counters of a GPU rise. */
  | 'nvlink-errors'
  /** The board's power brake is asserted (HW power brake slowdown): clocks drop, power violation time accrues. */
  | 'power-brake'
  /** The node's DCGM exporter stops answering: its GPUs vanish from the metrics, nothing alerts. */
  | 'exporter-down';

/**
 * One scenario on one node over a time interval. Keeping an interval log (instead of mutating
 * GPU state) makes every value a pure function of time, so the local store can backfill and a
 * test can sample any instant.
 */
export interface Episode {
  kind: EpisodeKind;
  node: string;
  /** GPU indexes affected; undefined means every GPU of the node. */
  gpus?: readonly number[];
  /** HCA affected by an InfiniBand episode (e.g. `mlx5_3`); undefined means all. */
  device?: string;
  start: number;
  end?: number;
  /** Time to reach full effect (heat ramps up, then cools down over the same time). */
  rampMs: number;
  /** Target value at full effect where the kind has one (heat: °C). */
  peak?: number;
  /** The XID of an `xid` episode. */
  code?: number;
}

export interface EpisodeFilter {
  node?: string;
  kind?: EpisodeKind;
  gpu?: number;
}

function touchesGpu(ep: Episode, gpu: number | undefined): boolean {
  return gpu === undefined || ep.gpus === undefined || ep.gpus.includes(gpu);
}

function matches(ep: Episode, f: EpisodeFilter): boolean {
  return (f.node === undefined || ep.node === f.node) && (f.kind === undefined || ep.kind === f.kind);
}

/** Append-only log of episodes with the queries the samplers need. */
export class EpisodeLog {
  private readonly episodes: Episode[] = [];

  open(ep: Episode): void {
    this.episodes.push(ep);
  }

  /** Ends every open episode matching the filter at `at`; returns how many ended. */
  close(filter: EpisodeFilter, at: number): number {
    let n = 0;
    for (const ep of this.episodes) {
      if (ep.end !== undefined || ep.start > at || !matches(ep, filter)) continue;
      if (!touchesGpu(ep, filter.gpu)) continue;
      ep.end = at;
      n++;
    }
    return n;
  }

  /** Episodes of a kind on a node (and GPU or device) active at `t`. */
  activeAt(node: string, kind: EpisodeKind, t: number, gpu?: number, device?: string): Episode[] {
    return this.episodes.filter(
      (ep) =>
        ep.node === node &&
        ep.kind === kind &&
        ep.start <= t &&
        (ep.end === undefined || t < ep.end) &&
        touchesGpu(ep, gpu) &&
        (device === undefined || ep.device === undefined || ep.device === device),
    );
  }

  /**
   * Strength in [0, 1] of a ramped effect at `t`: rises over `rampMs` after the start and falls
   * back over the same time after the end, like a GPU heating up and cooling down.
   */
  strengthAt(node: string, kind: EpisodeKind, t: number, gpu?: number): number {
    return this.strongestAt(node, kind, t, gpu).strength;
  }

  /** The episode with the strongest effect at `t`, with that strength. */
  strongestAt(
    node: string,
    kind: EpisodeKind,
    t: number,
    gpu?: number,
  ): { strength: number; episode?: Episode } {
    let best: { strength: number; episode?: Episode } = { strength: 0 };
    for (const ep of this.episodes) {
      if (ep.node !== node || ep.kind !== kind || ep.start > t || !touchesGpu(ep, gpu)) continue;
      const ramp = Math.max(1, ep.rampMs);
      const rise = (until: number) => Math.min(1, (until - ep.start) / ramp);
      const s =
        ep.end === undefined || t < ep.end ? rise(t) : rise(ep.end) * Math.max(0, 1 - (t - ep.end) / ramp);
      if (s > best.strength) best = { strength: s, episode: ep };
    }
    return best;
  }

  /** Milliseconds within [from, t] during which a device was inside an episode of a kind. */
  overlapMs(node: string, kind: EpisodeKind, from: number, t: number, device?: string): number {
    let total = 0;
    for (const ep of this.episodes) {
      if (ep.node !== node || ep.kind !== kind) continue;
      if (device !== undefined && ep.device !== undefined && ep.device !== device) continue;
      const lo = Math.max(from, ep.start);
      const hi = Math.min(t, ep.end ?? t);
      if (hi > lo) total += hi - lo;
    }
    return total;
  }

  /** Episodes of a kind on a node that had started by `t` and touch a GPU, oldest first. */
  startedOnGpu(node: string, kind: EpisodeKind, t: number, gpu: number): Episode[] {
    return this.episodes.filter(
      (ep) => ep.node === node && ep.kind === kind && ep.start <= t && touchesGpu(ep, gpu),
    );
  }

  /** Milliseconds within [from, t] during which a GPU was inside an episode of a kind. */
  overlapOnGpuMs(node: string, kind: EpisodeKind, from: number, t: number, gpu: number): number {
    let total = 0;
    for (const ep of this.startedOnGpu(node, kind, t, gpu)) {
      const lo = Math.max(from, ep.start);
      const hi = Math.min(t, ep.end ?? t);
      if (hi > lo) total += hi - lo;
    }
    return total;
  }

  /** Episodes of a kind that had started by `t` on a device (counts link-down events). */
  startedBy(node: string, kind: EpisodeKind, t: number, device?: string): number {
    return this.episodes.filter(
      (ep) =>
        ep.node === node &&
        ep.kind === kind &&
        ep.start <= t &&
        (device === undefined || ep.device === undefined || ep.device === device),
    ).length;
  }
}
