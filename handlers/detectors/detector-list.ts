import { abuseSpike } from './abuse-spike.ts';
import { budgetWatch } from './budget-watch.ts';
import type { Detector } from './detector.ts';
import { modelDrift } from './model-drift.ts';
import { silentOutage } from './silent-outage.ts';
import { stalePipeline } from './stale-pipeline.ts';

/** Every vetted detector, listed once, in the order they run. */
export const DETECTORS: readonly Detector[] = [
  silentOutage,
  modelDrift,
  stalePipeline,
  abuseSpike,
  budgetWatch,
] as unknown as readonly Detector[];
