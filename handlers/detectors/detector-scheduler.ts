import { type ParsedAlert, parsedAlert } from '../../core/alerts/alert.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError, UserFacingError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../core/store.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import type { CostPolicy } from '../../queries/cost/cost-policy.ts';
import type { IngestResult } from '../alerts/ingest.ts';
import { blindSpotAlert, blindSpotFingerprint, findingAlert, findingFingerprint } from './detector-alert.ts';
import { createDetectorContext } from './detector-context.ts';
import type { DetectorMetrics, RunOutcome } from './detector-metrics.ts';
import type { ConfiguredDetector } from './detectors-policy.ts';

export interface SchedulerDeps {
  detectors: readonly ConfiguredDetector[];
  logs: LogsBackend;
  /** GPU metrics for the cost queries' GPU-hours; without them spend is tokens only. */
  gpuMetrics: MetricsBackend | undefined;
  /** The policy's cost section: what the budget watch holds spend against. */
  cost: CostPolicy;
  /** The one alert pipeline: grouping, cards, paging, flap detection, resolution. */
  ingest(alerts: readonly ParsedAlert[]): Promise<IngestResult>;
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: DetectorMetrics | undefined;
  /** When the bot started: the first runs wait `firstRunAfterMs` after it. */
  startedAt: number;
  firstRunAfterMs: number;
  clearAfterRuns: number;
  /** Wakes the delivery loop after a run queued cards. */
  onQueued(): void;
}

interface Firing {
  alert: ParsedAlert;
  /** Runs in a row that found this subject clear. */
  cleanRuns: number;
}

interface DetectorState {
  config: ConfiguredDetector;
  nextRunAt: number;
  firing: Map<string, Firing>;
  /** The blind-spot alert while the detector cannot run. */
  blind: ParsedAlert | undefined;
  recovered: boolean;
}

/** How many open incidents are looked through for a restarted bot's detector findings. */
const RECOVER_LIMIT = 500;

/** Why a detector could not run, in a sentence for the card (never a stack or a secret). */
function blindReason(err: unknown): string {
  if (err instanceof UserFacingError) return err.message;
  if (err instanceof AppError) return `Its query failed (${err.code}).`;
  return 'Its query failed.';
}

/**
 * Runs the configured detectors on their schedule, one run at a time and as background work, and
 * feeds what they find to the alert pipeline: a finding fires an alert per subject, a subject
 * clear for `clearAfterRuns` runs resolves it, a detector that cannot run fires its blind spot
 * once. `tick` only starts work: it never waits for a run, so the bot's periodic work is not held up.
 */
export class DetectorScheduler {
  private readonly states: DetectorState[];
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private closed = false;

  constructor(private readonly deps: SchedulerDeps) {
    const first = deps.startedAt + deps.firstRunAfterMs;
    this.states = deps.detectors.map((config) => ({
      config,
      nextRunAt: first,
      firing: new Map(),
      blind: undefined,
      recovered: false,
    }));
  }

  /** Starts the runs that are due, unless a run is under way. */
  tick(): void {
    if (this.closed || this.running) return;
    const now = this.deps.clock.now();
    const due = this.states.filter((s) => s.nextRunAt <= now);
    if (due.length === 0) return;
    this.running = this.runAll(due).finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when the run under way (if any) has ended. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Withdraws queued queries and waits for the run under way. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.running;
  }

  private async runAll(due: readonly DetectorState[]): Promise<void> {
    for (const state of due) {
      if (this.closed) return;
      try {
        await this.runOne(state);
      } catch (err) {
        // The pipeline refused (store down): the run is repeated at its next turn, nothing is lost.
        this.deps.logger.warn(
          { err, code: 'DETECTOR_INGEST_FAILED', detector: state.config.detector.id },
          'detector findings not stored; will run again',
        );
      }
    }
  }

  private async runOne(state: DetectorState): Promise<void> {
    const { config } = state;
    const d = config.detector;
    if (!state.recovered) await this.recover(state);
    const started = performance.now();
    const now = this.deps.clock.now();
    let outcome: RunOutcome;
    let alerts: ParsedAlert[];
    let nextFiring = state.firing;
    let nextBlind = state.blind;
    try {
      const evaluation = await d.evaluate(
        config.params,
        createDetectorContext({
          logs: this.deps.logs,
          metrics: this.deps.gpuMetrics,
          cost: this.deps.cost,
          logger: this.deps.logger,
          now,
          runOptions: { background: true, signal: this.abort.signal },
        }),
      );
      outcome = evaluation.findings.length > 0 ? 'found' : 'clear';
      alerts = [];
      nextFiring = new Map();
      for (const f of evaluation.findings) {
        const fp = findingFingerprint(d.id, f.subject);
        const prev = state.firing.get(fp);
        const startsAt = prev ? Date.parse(prev.alert.startsAt) : now;
        const alert = findingAlert(config, f, 'firing', { startsAt, endsAt: null }, evaluation.queryText);
        nextFiring.set(fp, { alert, cleanRuns: 0 });
        alerts.push(alert);
      }
      for (const [fp, entry] of state.firing) {
        if (nextFiring.has(fp)) continue;
        const cleanRuns = entry.cleanRuns + 1;
        if (cleanRuns >= this.deps.clearAfterRuns)
          alerts.push({ ...entry.alert, status: 'resolved', endsAt: new Date(now).toISOString() });
        else nextFiring.set(fp, { ...entry, cleanRuns });
      }
      if (state.blind)
        alerts.push({ ...state.blind, status: 'resolved', endsAt: new Date(now).toISOString() });
      nextBlind = undefined;
    } catch (err) {
      if (this.closed) return;
      outcome = 'blind';
      const reason = blindReason(err);
      const alert = blindSpotAlert(config, reason, 'firing', {
        startsAt: state.blind ? Date.parse(state.blind.startsAt) : now,
        endsAt: null,
      });
      // Said once: the same text again is a re-delivery the pipeline only counts.
      if (state.blind?.description !== alert.description)
        this.deps.logger.warn({ err, code: 'DETECTOR_BLIND_SPOT', detector: d.id }, 'detector cannot run');
      alerts = [alert];
      nextBlind = alert;
    }
    this.deps.metrics?.observeRun(d.id, outcome, (performance.now() - started) / 1000, now);
    if (alerts.length > 0) {
      const result = await this.deps.ingest(alerts);
      if (result.incidentIds.length > 0) this.deps.onQueued();
    }
    state.firing = nextFiring;
    state.blind = nextBlind;
    state.nextRunAt = now + config.everyMs;
    this.deps.metrics?.setFiring(d.id, nextFiring.size);
    this.deps.logger.debug({ detector: d.id, outcome, findings: nextFiring.size }, 'detector ran');
  }

  /**
   * After a restart, picks up the findings this detector has firing in open incidents, so a
   * condition that cleared while the bot was down still resolves its incident.
   */
  private async recover(state: DetectorState): Promise<void> {
    const id = state.config.detector.id;
    const open = (await this.deps.store.incidents.listOpen(RECOVER_LIMIT)).filter(
      (i) => i.source === 'detector',
    );
    for (const incident of open) {
      for (const stored of await this.deps.store.alerts.listByIncident(incident.id)) {
        const a = stored.alert;
        if (a.source !== 'detector' || a.status !== 'firing' || a.labels.detector !== id) continue;
        const alert = parsedAlert.parse(a);
        if (a.fingerprint === blindSpotFingerprint(id)) state.blind = alert;
        else state.firing.set(a.fingerprint, { alert, cleanRuns: 0 });
      }
    }
    state.recovered = true;
  }
}
