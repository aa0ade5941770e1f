import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { KubeCluster } from '../../../sim/kube/cluster.ts';
import { seedAiPlatform } from '../../../sim/kube/seed.ts';

const READY_MS = 10_000;

function scaledUp() {
  const clock = new ManualClock();
  const kube = new KubeCluster({ clock, podReadyDelayMs: READY_MS });
  seedAiPlatform(kube);
  // support-api needs no GPU, so its new pod is scheduled at once.
  const deployment = kube.find('Deployment', 'ml', 'support-api');
  const { namespace, name } = deployment!.metadata;
  const spec = deployment!.spec as { replicas?: number };
  kube.save({ ...deployment!, spec: { ...spec, replicas: (spec.replicas ?? 1) + 1 } });
  kube.tick();
  const notReady = () =>
    kube
      .list('Pod', namespace)
      .filter((p) => p.metadata.name.startsWith(`${name}-`))
      .filter((p) => (p.status as { phase?: string }).phase !== 'Running');
  return { clock, kube, notReady };
}

describe('the simulated cluster’s tick', () => {
  it('turns a new pod Ready exactly at its deadline, however the clock gets there', () => {
    const { clock, kube, notReady } = scaledUp();
    expect(notReady()).toHaveLength(1);
    clock.advance(READY_MS - 1);
    kube.tick();
    expect(notReady()).toHaveLength(1);
    clock.advance(1);
    kube.tick();
    expect(notReady()).toHaveLength(0);
  });

  it('does no controller pass while nothing changed and no deadline came', () => {
    const { clock, kube } = scaledUp();
    let listed = 0;
    const list = kube.store.list.bind(kube.store);
    kube.store.list = (...args) => {
      listed++;
      return list(...args);
    };
    for (let i = 0; i < 100; i++) {
      clock.advance(10);
      kube.tick();
    }
    expect(listed).toBe(0);
    clock.advance(READY_MS);
    kube.tick();
    expect(listed).toBeGreaterThan(0);
  });
});
