import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import {
  aiPlatformIncidents,
  type ScenarioPlatform,
  type ScenarioStep,
} from './scenarios/ai-platform-incidents.ts';

export interface AlertSimulatorOptions {
  botUrl: string;
  token: string;
  logger: Logger;
  /** The bot's clock: alert times are read from it, never from the wall clock. */
  clock: Clock;
  /**
   * The scenario start the simulated telemetry placed its episodes at (LocalPlatform.startedAt):
   * the alerts are told on that time line, so a throttling alert and its evidence are about the
   * same minutes however long the bot took to start. Steps already due are sent at once.
   */
  startMs: number;
  /** Run the story again after this long (new alert ids), so a long-running demo stays alive. */
  repeatEveryMs?: number;
  /** >1 runs the story faster (tests). */
  timeScale?: number;
  /** The simulated platform; each step first makes its alert true there (GPU metrics …). */
  platform?: ScenarioPlatform;
}

/**
 * Plays the incident scenario through the bot's public webhook endpoints, as Alertmanager, Azure
 * Monitor and Grafana would: same URLs, same bearer token, same bodies.
 */
export function startAlertSimulator(options: AlertSimulatorOptions): { stop(): void; done: Promise<void> } {
  const timers = new Set<NodeJS.Timeout>();
  const scale = options.timeScale ?? 1;
  let stopped = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });

  async function send(step: ScenarioStep): Promise<void> {
    if (options.platform && step.effect) {
      step.effect(options.platform);
      options.platform.scrapeNow?.();
    }
    try {
      const res = await fetch(`${options.botUrl}/api/alerts/${step.source}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(step.body),
      });
      options.logger.info(
        { sim: step.what, source: step.source, status: res.status },
        'simulator sent alert',
      );
    } catch (err) {
      if (!stopped) options.logger.warn({ err, sim: step.what }, 'simulator could not reach the bot');
    }
  }

  /** How long until an instant of the scenario, on the bot's clock (scaled; 0 once it is due). */
  const until = (at: number) => Math.max(0, at - options.clock.now()) / scale;

  function play(episode: number): void {
    const episodeStart = options.startMs + (episode - 1) * (options.repeatEveryMs ?? 0);
    const steps = aiPlatformIncidents(episodeStart, episode);
    let remaining = steps.length;
    for (const step of steps) {
      const t = setTimeout(
        () => {
          timers.delete(t);
          void send(step).finally(() => {
            if (--remaining === 0) resolveDone();
          });
        },
        until(episodeStart + step.atMs),
      );
      timers.add(t);
    }
    if (options.repeatEveryMs) {
      const next = episodeStart + options.repeatEveryMs;
      const t = setTimeout(() => !stopped && play(episode + 1), until(next));
      t.unref();
      timers.add(t);
    }
  }

  play(1);
  return {
    done,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
