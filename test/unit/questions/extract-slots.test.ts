import { describe, expect, it } from 'vitest';
import { extractSlots } from '../../../handlers/questions/extract-slots.ts';
import { inventorySchema } from '../../../handlers/questions/inventory.ts';
import { questionInventory } from '../../fixtures/questions/catalog.ts';

const clock = { now: new Date('2026-11-28T14:00:00Z'), timeZone: 'UTC' };
const inventory = inventorySchema.parse(questionInventory);
const slotsOf = (q: string) => extractSlots(q, clock, inventory).slots;

describe('extractSlots', () => {
  it.each([
    ['429s on gpt4o', 'gpt-4o'],
    ['throttling on GPT 4o', 'gpt-4o'],
    ['4o mini throttled?', 'gpt-4o-mini'],
    ['gpt-4o-mini rate limits', 'gpt-4o-mini'],
    ['gpt4omni throttled', 'gpt-4o-mini'],
    ['tokens on gpt-4.1', 'gpt-4.1'],
    ['o3 mini latency', 'o3-mini'],
  ])('resolves the deployment in %s', (q, deployment) => {
    expect(slotsOf(q).deployment).toBe(deployment);
  });

  it('resolves nodes, app roles and teams fuzzily but within a bound', () => {
    expect(slotsOf('is node 7 hot').node).toBe('node-7');
    expect(slotsOf('node7 memory').node).toBe('node-7');
    expect(slotsOf('node-12 memory').node).toBe('node-12');
    expect(slotsOf('latency of chat api').appRole).toBe('chat-api');
    expect(slotsOf('latency of rag-gatway').appRole).toBe('rag-gateway');
    expect(slotsOf('tokens of the ml platform team').team).toBe('ml-platform');
    expect(slotsOf('tokens of fraud detecton').team).toBe('fraud-detection');
    expect(slotsOf('latency of the chat').appRole).toBeUndefined();
    expect(slotsOf('throttling on gpt-5').deployment).toBeUndefined();
  });

  it('reads percentiles, thresholds, limits, buckets and GPU indexes', () => {
    expect(slotsOf('p95 latency').percentile).toBe(95);
    expect(slotsOf('the 99th percentile').percentile).toBe(99);
    expect(slotsOf('median latency').percentile).toBe(50);
    expect(slotsOf('requests over 2 seconds').threshold).toEqual({
      direction: 'above',
      value: 2000,
      unit: 'ms',
    });
    expect(slotsOf('requests > 500 ms').threshold).toEqual({ direction: 'above', value: 500, unit: 'ms' });
    expect(slotsOf('memory above 80%').threshold).toEqual({ direction: 'above', value: 80, unit: 'percent' });
    expect(slotsOf('faster than 300ms').threshold).toEqual({ direction: 'below', value: 300, unit: 'ms' });
    expect(slotsOf('top 10 hottest gpus').limit).toBe(10);
    expect(slotsOf('throttling in 5m buckets').bucket).toBe('5m');
    expect(slotsOf('throttling hourly').bucket).toBe('1h');
    expect(slotsOf('gpu 3 on node-5').gpu).toBe(3);
    expect(slotsOf('GPU #2 on node 8')).toMatchObject({ gpu: 2, node: 'node-8' });
  });

  it('does not read a time expression as a threshold or a GPU index', () => {
    const s = slotsOf('slow requests over the last 2 hours on 8 gpus');
    expect(s.time?.window).toBe('2h');
    expect(s.threshold).toBeUndefined();
    expect(s.gpu).toBeUndefined();
  });

  it('reads a ratio against a baseline before thresholds take its number', () => {
    expect(slotsOf('error rate more than 3x the baseline')).toMatchObject({ ratio: 3 });
    expect(slotsOf('error rate more than 3x the baseline').threshold).toBeUndefined();
    expect(slotsOf('services failing 5 times more than usual').ratio).toBe(5);
    expect(slotsOf('errors at twice the normal rate').ratio).toBe(2);
    expect(slotsOf('slower than 2 seconds').ratio).toBeUndefined();
  });
});

describe('operations, model versions and typos', () => {
  it('reads an operation by its route or as "the … endpoint", before any role name', () => {
    expect(slotsOf('latency on POST /answer')).toMatchObject({ operation: 'POST /answer' });
    expect(slotsOf('errors on /chat today')).toMatchObject({ operation: 'POST /chat' });
    expect(slotsOf('how slow is the embed endpoint')).toMatchObject({ operation: 'POST /embed' });
    expect(slotsOf('failures on the agent/run route').operation).toBe('POST /agent/run');
    expect(slotsOf('failures on the billing endpoint').operation).toBeUndefined();
    expect(slotsOf('is /var full').operation).toBeUndefined();
  });

  it('reads a model version named after "version", not as a date', () => {
    const s = slotsOf('token usage for model version 2024-11-20 today');
    expect(s.modelVersion).toBe('2024-11-20');
    expect(s.time?.start).toBe('2026-11-28T00:00:00.000Z');
    expect(slotsOf('p95 of the 2024-08-06 version')).toMatchObject({ modelVersion: '2024-08-06' });
    // A version nobody deployed is not invented.
    expect(slotsOf('latency of version 2019-01-01').modelVersion).toBeUndefined();
  });

  it('takes swapped letters as one typo in names and time words', () => {
    expect(slotsOf('429s on gtp-4o-mini')).toMatchObject({ deployment: 'gpt-4o-mini' });
    // Five letters allow one edit: a swap must count as one.
    expect(slotsOf('429s on gtp4o')).toMatchObject({ deployment: 'gpt-4o' });
    expect(slotsOf('rag-gatewya latency')).toMatchObject({ appRole: 'rag-gateway' });
    expect(slotsOf('throttling yesterady').time).toMatchObject({ label: 'yesterday', absolute: true });
    expect(slotsOf('latency wendesday afternon').time).toMatchObject({ label: 'Wednesday afternoon' });
    expect(slotsOf('errors in the last 3 hrs').time).toMatchObject({ window: '3h' });
    // Right words near a time word stay as they are.
    expect(slotsOf('tokens this month').time).toMatchObject({ label: 'this month' });
  });
});
