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

  function play(episode: number): void {
    const steps = aiPlatformIncidents(Date.now(), episode);
    let remaining = steps.length;
    for (const step of steps) {
      const t = setTimeout(() => {
        timers.delete(t);
        void send(step).finally(() => {
          if (--remaining === 0) resolveDone();
        });
      }, step.atMs / scale);
      timers.add(t);
    }
    if (options.repeatEveryMs) {
      const t = setTimeout(() => !stopped && play(episode + 1), options.repeatEveryMs / scale);
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
