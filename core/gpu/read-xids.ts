import { describeXid, lookupXid, type XidAction, type XidEntry } from './xid-catalog.ts';

/** One sighting of an XID on a GPU: when it was first seen and how often (1 when only the last value is known). */
export interface XidSighting {
  xid: number;
  at: number;
  count?: number;
}

/** An XID of the reading: first sighting, total count, its catalog entry when the bot knows it. */
export interface XidStep {
  xid: number;
  at: number;
  count: number;
  entry: XidEntry | undefined;
}

export type XidVerdictKind =
  | 'memory-fault'
  | 'repeated-application-fault'
  | 'application-fault'
  | 'single'
  | 'several'
  | 'none';

/** What the XIDs of one GPU mean together. */
export interface XidReading {
  /** Distinct XIDs in the order they first appeared. */
  sequence: XidStep[];
  /** The XID that came first (side effects never come first). */
  first: XidStep | undefined;
  /** The XID the action is about. */
  root: XidStep | undefined;
  /** XIDs read as side effects of an earlier one (43, 45 after another XID). */
  sideEffects: XidStep[];
  kind: XidVerdictKind;
  action: XidAction | undefined;
  tier: 'P1' | 'P2' | 'P3' | undefined;
  /** One or two sentences for the card: what happened first and what to do. */
  summary: string;
  /** When to escalate to replacing the GPU. */
  replaceWhen: string | undefined;
  /**
   * The catalog's replacement criterion is met: an XID seen at least its `replaceAfter` times on
   * this GPU (64 again after a reset, 79 again after a reboot). Says which, for the card.
   */
  replace: { xid: number; count: number } | undefined;
}

export interface ReadXidsOptions {
  /** Only sightings within this window count (both ends inclusive). */
  window?: { from: number; to: number };
  /** Sightings of an application XID (13, 31) on one GPU from which it counts as a GPU problem. */
  repeatThreshold?: number;
}

const SIDE_EFFECTS = new Set([43, 45]);
const APPLICATION = new Set([13, 31]);
const REMAP = new Set([63, 64]);
const TIER_RANK = { P1: 1, P2: 2, P3: 3 } as const;

function merge(sightings: readonly XidSighting[], window: ReadXidsOptions['window']): XidStep[] {
  const byXid = new Map<number, XidStep>();
  for (const s of sightings) {
    if (!Number.isInteger(s.xid) || s.xid <= 0) continue;
    if (window && (s.at < window.from || s.at > window.to)) continue;
    const count = Math.max(1, Math.round(s.count ?? 1));
    const known = byXid.get(s.xid);
    if (!known) byXid.set(s.xid, { xid: s.xid, at: s.at, count, entry: lookupXid(s.xid) });
    else byXid.set(s.xid, { ...known, at: Math.min(known.at, s.at), count: known.count + count });
  }
  // Equal instants keep XID order, so the reading never depends on the input's order.
  return [...byXid.values()].sort((a, b) => a.at - b.at || a.xid - b.xid);
}

/** The most urgent known XID, the earliest among equals; unknown XIDs rank as P2. */
function mostUrgent(steps: readonly XidStep[]): XidStep | undefined {
  const rank = (s: XidStep) => TIER_RANK[s.entry?.tier ?? 'P2'];
  return steps.reduce<XidStep | undefined>(
    (best, s) => (!best || rank(s) < rank(best) ? s : best),
    undefined,
  );
}

/** The first XID whose count reached its catalog `replaceAfter`, the most repeated among several. */
function replacementDue(steps: readonly XidStep[]): XidReading['replace'] {
  const due = steps.filter((s) => s.entry?.replaceAfter !== undefined && s.count >= s.entry.replaceAfter);
  const worst = due.sort((a, b) => b.count - a.count || a.at - b.at)[0];
  return worst && { xid: worst.xid, count: worst.count };
}

function list(steps: readonly XidStep[]): string {
  return steps.map((s) => describeXid(s.xid)).join(', then ');
}

/**
 * Reads the XIDs seen on one GPU together, as a GPU SRE would:
 * - 48 with 63 or 64 is one memory fault: drain the node and reset the GPU;
 * - 43 and 45 after an earlier XID are side effects of that one;
 * - 13 and 31 are the application's fault unless they repeat on this GPU;
 * - otherwise the most urgent XID decides.
 * Pure: the same sightings give the same reading whatever their order.
 */
export function readXids(sightings: readonly XidSighting[], options: ReadXidsOptions = {}): XidReading {
  const repeatThreshold = options.repeatThreshold ?? 3;
  const sequence = merge(sightings, options.window);
  const empty: XidReading = {
    sequence,
    first: undefined,
    root: undefined,
    sideEffects: [],
    kind: 'none',
    action: undefined,
    tier: undefined,
    summary: 'No XID on this GPU in the window.',
    replaceWhen: undefined,
    replace: undefined,
  };
  if (sequence.length === 0) return empty;
  const replace = replacementDue(sequence);
  const causes = sequence.filter((s, i) => !(SIDE_EFFECTS.has(s.xid) && i > 0));
  const sideEffects = sequence.filter((s) => !causes.includes(s));
  const first = sequence[0]!;
  const firstCause = causes[0]!;
  const afterwards = sideEffects.length
    ? ` ${list(sideEffects)} came after it: side effect${sideEffects.length > 1 ? 's' : ''} of the first.`
    : '';

  const dbe = causes.find((s) => s.xid === 48);
  const remap = causes.find((s) => REMAP.has(s.xid));
  if (dbe && remap) {
    const pair = [dbe, remap].sort((a, b) => a.at - b.at || a.xid - b.xid);
    const failed = causes.some((s) => s.xid === 64);
    return {
      sequence,
      first,
      root: pair[0]!,
      sideEffects,
      kind: 'memory-fault',
      action: 'drain-and-reset',
      tier: 'P1',
      summary:
        `${list(pair)} on one GPU: one memory fault, ${describeXid(pair[0]!.xid)} came first. ` +
        `Drain the node and reset the GPU${failed ? '; the remap failed, so replace the GPU if it recurs after the reset' : ' so the remap takes effect'}.${afterwards}`,
      replaceWhen: failed ? 'if XID 64 recurs after the reset' : lookupXid(48)!.replaceWhen,
      replace,
    };
  }

  if (causes.every((s) => APPLICATION.has(s.xid) || SIDE_EFFECTS.has(s.xid))) {
    const app = causes.filter((s) => APPLICATION.has(s.xid));
    const repeats = app.reduce((n, s) => n + s.count, 0);
    if (app.length > 0 && repeats >= repeatThreshold) {
      return {
        sequence,
        first,
        root: app[0]!,
        sideEffects,
        kind: 'repeated-application-fault',
        action: 'drain-and-diagnose',
        tier: 'P2',
        summary:
          `${list(app)} seen ${repeats}× on this one GPU: repeating application faults point at the GPU. ` +
          `Drain the node and run diagnostics (dcgmi diag -r 3) before putting work back.${afterwards}`,
        replaceWhen: 'if diagnostics fail or the faults follow this GPU across workloads',
        replace,
      };
    }
    if (app.length > 0) {
      return {
        sequence,
        first,
        root: app[0]!,
        sideEffects,
        kind: 'application-fault',
        action: 'restart-app',
        tier: 'P3',
        summary: `${list(app)}: an application fault, the GPU is fine. ${app[0]!.entry!.actionText}${afterwards}`,
        replaceWhen: app[0]!.entry!.replaceWhen,
        replace,
      };
    }
  }

  const root = causes.length === 1 ? firstCause : mostUrgent(causes)!;
  const rootText = root.entry
    ? root.entry.actionText
    : "This XID is not in the bot's catalog: look it up in NVIDIA's XID catalog.";
  const order = causes.length > 1 ? `${list(causes)}; ${describeXid(firstCause.xid)} came first. ` : '';
  const about = causes.length > 1 && root !== firstCause ? `Act on ${describeXid(root.xid)}: ` : '';
  return {
    sequence,
    first,
    root,
    sideEffects,
    kind: causes.length === 1 ? 'single' : 'several',
    action: root.entry?.action,
    tier: root.entry?.tier ?? 'P2',
    summary: `${order}${about}${causes.length === 1 ? `${describeXid(root.xid)}: ` : ''}${rootText}${afterwards}`,
    replaceWhen: root.entry?.replaceWhen,
    replace,
  };
}
