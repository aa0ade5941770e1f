import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** How a detector run ended: nothing wrong, something found, or it could not run (a blind spot). */
export type RunOutcome = 'clear' | 'found' | 'blind';

/** The detectors' own metrics in `/metrics`: each run's duration and outcome, and what is firing. */
export interface DetectorMetrics {
  /** One run ended at `atMs` (the bot's clock) after `seconds`. */
  observeRun(detector: string, outcome: RunOutcome, seconds: number, atMs: number): void;
  setFiring(detector: string, findings: number): void;
}

/** Registers the detector metrics on the bot's registry. */
export function createDetectorMetrics(registry: Registry): DetectorMetrics {
  const runs = new Counter({
    name: 'oncall_bot_detector_runs_total',
    help: 'Runs of the bot’s own detectors, by detector and outcome (clear, found, blind: it could not run).',
    labelNames: ['detector', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'oncall_bot_detector_run_duration_seconds',
    help: 'Time one detector run took (its vetted queries and the test), by detector and outcome.',
    labelNames: ['detector', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const firing = new Gauge({
    name: 'oncall_bot_detector_findings',
    help: 'Findings a detector currently has firing (one incident each), by detector.',
    labelNames: ['detector'] as const,
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: 'oncall_bot_detector_last_run_timestamp_seconds',
    help: 'When a detector last ran (the bot’s clock), by detector: one that stopped running is a blind spot too.',
    labelNames: ['detector'] as const,
    registers: [registry],
  });
  return {
    observeRun(detector, outcome, seconds, atMs) {
      runs.inc({ detector, outcome });
      duration.observe({ detector, outcome }, seconds);
      lastRun.set({ detector }, atMs / 1000);
    },
    setFiring(detector, findings) {
      firing.set({ detector }, findings);
    },
  };
}
