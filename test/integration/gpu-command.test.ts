import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

interface CardElement {
  type?: string;
  url?: string;
  altText?: string;
  [key: string]: unknown;
}

/** Every Image element of an Adaptive Card, wherever it is nested. */
function images(card: unknown): CardElement[] {
  const found: CardElement[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as CardElement;
      if (el.type === 'Image' && typeof el.url === 'string') found.push(el);
      Object.values(el).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('/gpu and signed chart links, on the real bot in local mode', () => {
  let bot: TestBot;
  const clock = new ManualClock();

  const ask = (text: string) => bot.say(text);

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('/gpu node-7 shows every GPU, the InfiniBand ports and a chart that renders as PNG', async () => {
    const reply = await ask('/gpu node-7');
    const card = JSON.stringify(reply.card);
    expect(reply.text).toContain('GPU node node-7');
    expect(card).toContain('llm-pretrain-worker-3');
    expect(card).toContain('mlx5_0/1');
    expect(card).toContain('InfiniBand');
    expect(card.length).toBeLessThan(80_000);
    const [chart] = images(reply.card);
    expect(chart?.url).toMatch(new RegExp(`^${bot.url}/charts/[\\w-]+\\.[\\w-]{43}\\.png$`));

    const res = await fetch(chart!.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const size = pngSize(Buffer.from(await res.arrayBuffer()));
    expect(size.width).toBe(820);
    expect(size.height).toBeGreaterThan(300);
  });

  it('/gpu node-7 gpu=3 range=6h narrows the card to one GPU', async () => {
    const reply = await ask('/gpu node-7 gpu=3 range=6h');
    const card = reply.card as Record<string, unknown>;
    const gpuRows = JSON.stringify(card).match(/llm-pretrain-worker-\d/g) ?? [];
    expect(new Set(gpuRows).size).toBe(1);
    expect(images(card)[0]?.altText).toContain('last 6h');
  });

  it('refuses a tampered, foreign or expired chart link', async () => {
    const reply = await ask('/gpu node-7');
    const url = images(reply.card)[0]!.url!;
    const [payload, sig] = url.slice(`${bot.url}/charts/`.length, -'.png'.length).split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.node = 'node-3';
    const tampered = `${bot.url}/charts/${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}.png`;
    const bad = await fetch(tampered);
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('CHART_LINK_INVALID');
    expect((await fetch(`${bot.url}/charts/not-a-token.png`)).status).toBe(403);

    clock.advance(25 * 3_600_000);
    try {
      const gone = await fetch(url);
      expect(gone.status).toBe(410);
      expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('CHART_LINK_EXPIRED');
    } finally {
      clock.advance(-25 * 3_600_000);
    }
  });

  it('/gpu node-70 suggests node-7', async () => {
    const reply = await ask('/gpu node-70');
    expect(reply.text).toMatch(/^No GPU node named "node-70"\. Did you mean node-7\b/);
  });

  it('/gpu alone summarises the fleet', async () => {
    const reply = await ask('/gpu');
    const card = JSON.stringify(reply.card);
    expect(reply.text).toContain('GPU fleet');
    expect(card).toContain('Hottest GPUs');
    expect(card).toContain('Idlest allocated GPUs');
    expect(card).toContain('node-7');
    expect(card.length).toBeLessThan(80_000);
  });

  it('a GPU alert card carries the chart of its node and GPU', async () => {
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
    await bot.flush();
    const card = (await bot.consoleMessages()).find(
      (m) => m.card && m.text.includes('node-7') && m.text.includes('FIRING'),
    );
    expect(card).toBeDefined();
    expect(JSON.stringify(card!.card).length).toBeLessThan(80_000);
    const chart = images(card!.card).find((i) => i.url!.includes('/charts/'));
    expect(chart?.altText).toContain('node-7 GPU 3');
    const payload = chart!.url!.slice(`${bot.url}/charts/`.length).split('.')[0]!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      node: 'node-7',
      gpu: 3,
      marker: { label: 'alert fired' },
    });
    const png = await fetch(chart!.url!);
    expect(png.status).toBe(200);
    expect(pngSize(Buffer.from(await png.arrayBuffer())).width).toBe(820);
  });

  it('serves the simulated DCGM exporter for a real Prometheus to scrape', async () => {
    const res = await fetch(`${bot.url}/sim/dcgm/metrics?node=node-7`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toMatch(/^DCGM_FI_DEV_GPU_TEMP\{gpu="3",.*Hostname="node-7"/m);
    expect(text).not.toContain('Hostname="node-6"');
  });

  it('/gpu node-3 reads its cordon from the Kubernetes API and offers uncordon, not cordon', async () => {
    const platform = bot.platform!;
    platform.dcgm.eccError('node-3', 5);
    platform.dcgm.eccError('node-3', 5);
    platform.scrapeNow();
    const before = JSON.stringify((await bot.say('/gpu node-3', 'carol')).card);
    expect(before).toContain('schedulable');
    expect(before).toContain('Propose: Cordon node-3');

    // What `kubectl cordon node-3` (or an approved cordon-node remediation) does.
    const core = platform.kubeConfig.makeApiClient(CoreV1Api);
    const node = await core.readNode({ name: 'node-3' });
    await core.replaceNode({
      name: 'node-3',
      body: { ...node, spec: { ...node.spec, unschedulable: true } },
    });

    const after = JSON.stringify((await bot.say('/gpu node-3', 'carol')).card);
    expect(after).toContain('cordoned: no new pods are placed here');
    expect(after).not.toContain('Propose: Cordon node-3');
    expect(after).toContain('Propose: Uncordon node-3');
    expect(after).toMatch(/\\"unschedulable\\":false/);
  });

  // Runs last: it moves the clock on and takes exporters and GPUs away.
  it('/gpu coverage and /gpu <node> name blind spots: an exporter down, a GPU off the bus, a node condition', async () => {
    const platform = bot.platform!;
    platform.scrapeNow();
    const healthy = JSON.stringify((await bot.say('/gpu coverage', 'erin')).card);
    expect(healthy).toContain('GPU telemetry coverage');
    expect(healthy).toContain('8, all observed');

    platform.dcgm.exporterDown('node-2');
    platform.dcgm.xidError('node-6', 7, 79);
    const core = platform.kubeConfig.makeApiClient(CoreV1Api);
    const node4 = await core.readNodeStatus({ name: 'node-4' });
    await core.replaceNodeStatus({
      name: 'node-4',
      body: {
        ...node4,
        status: {
          ...node4.status,
          conditions: (node4.status?.conditions ?? []).map((c) =>
            c.type === 'XIDErrors' ? { ...c, status: 'True', message: 'XID 48 on GPU 1' } : c,
          ),
        },
      },
    });
    // Past Prometheus' 5-minute look-back: the last samples of what went away are stale now.
    for (let i = 0; i < 24; i++) {
      clock.advance(15_000);
      platform.scrapeNow();
    }
    const card = (await bot.say('/gpu coverage', 'erin')).card;
    const text = JSON.stringify(card);
    expect(text).toContain('node-2: DCGM exporter node-2:9400 is down');
    expect(text).toContain('node-2: no GPU metrics now (8 GPUs earlier): exporter or node gone');
    expect(text).toContain('node-6: 7 of 8 GPUs report: a GPU may have fallen off the bus (XID 79)');
    expect(text).toContain('node-4: XIDErrors (Node Problem Detector): XID 48 on GPU 1');
    expect(text).toContain('3 not fully observed');

    const n6 = JSON.stringify((await bot.say('/gpu node-6', 'frank')).card);
    expect(n6).toContain('Blind spot: 7 of 8 GPUs report; GPU 7 missing');
    expect(n6).toContain('7 of 8');
    const n2 = await bot.say('/gpu node-2', 'grace');
    expect(JSON.stringify(n2)).toContain(
      'Blind spot: node-2 reports no GPU metrics right now (it has 8 GPUs), so no GPU alert can fire for it.',
    );
  });
});
