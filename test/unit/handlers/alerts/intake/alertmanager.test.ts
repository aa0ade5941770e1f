import { describe, expect, it } from 'vitest';
import { parsedAlert } from '../../../../../core/alerts/alert.ts';
import {
  parseAlertmanager,
  parseAlertmanagerBatch,
} from '../../../../../handlers/alerts/intake/alertmanager.ts';
import { IntakeParseError } from '../../../../../handlers/alerts/intake/intake-error.ts';
import { getAt, loadFixture, setAt } from './fixture.ts';

/** Runs the parser and returns the error it throws; fails the test when it does not throw. */
function parseError(body: unknown): IntakeParseError {
  try {
    parseAlertmanager(body);
  } catch (err) {
    expect(err).toBeInstanceOf(IntakeParseError);
    return err as IntakeParseError;
  }
  throw new Error('expected the payload to be rejected');
}

describe('parseAlertmanager: fixtures', () => {
  it('normalises the node-7 GPU temperature alert, dropping the future endsAt of a firing alert', () => {
    const [alert, ...rest] = parseAlertmanager(loadFixture('am-gpu-temp-firing.json'));
    expect(rest).toHaveLength(0);
    expect(parsedAlert.parse(alert)).toEqual(alert);
    expect(alert).toMatchObject({
      source: 'alertmanager',
      fingerprint: '8c3f0a7b21d95e46',
      groupKey: '{}/{team="ml-platform"}:{alertname="GPUTemperatureHigh", cluster="aks-gpu-01"}',
      rule: 'GPUTemperatureHigh',
      status: 'firing',
      sourceSeverity: 'warning',
      summary: 'GPU 3 on node-7 is at 87 °C (above 83 °C for 10 minutes)',
      startsAt: '2026-11-28T09:12:04.512Z',
      endsAt: null,
      values: {},
    });
    expect(alert?.description).toMatch(/^DCGM_FI_DEV_GPU_TEMP has stayed above 83 °C/);
    // The workload's namespace/pod (exported_*), not the exporter's; modelName is the GPU product, not a model.
    expect(alert?.resource).toEqual({
      cluster: 'aks-gpu-01',
      node: 'node-7',
      gpu: '3',
      namespace: 'llm-serving',
      pod: 'vllm-llama-3-70b-0',
    });
    expect(alert?.labels.DCGM_FI_DRIVER_VERSION).toBe('550.127.05');
    expect(alert?.links).toEqual([
      { kind: 'runbook', url: 'https://runbooks.example.com/gpu/temperature' },
      {
        kind: 'generator',
        url: 'http://prometheus.monitoring.svc:9090/graph?g0.expr=max_over_time%28DCGM_FI_DEV_GPU_TEMP%5B10m%5D%29+%3E+83&g0.tab=1',
      },
    ]);
  });

  it('keeps the fingerprint and takes endsAt when the same alert resolves', () => {
    const [firing] = parseAlertmanager(loadFixture('am-gpu-temp-firing.json'));
    const [resolved] = parseAlertmanager(loadFixture('am-gpu-temp-resolved.json'));
    expect(resolved).toMatchObject({ status: 'resolved', endsAt: '2026-11-28T09:41:34.087Z' });
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
    expect(resolved?.groupKey).toBe(firing?.groupKey);
    expect(resolved?.startsAt).toBe(firing?.startsAt);
  });

  it('reads the ECC and XID alerts on node-3 from the lower-case hostname label, Go zero endsAt → null', () => {
    const alerts = parseAlertmanager(loadFixture('am-gpu-ecc-xid-node-3.json'));
    expect(alerts.map((a) => [a.rule, a.fingerprint, a.status, a.sourceSeverity, a.endsAt])).toEqual([
      ['GPUUncorrectableECCError', 'e41b9c07d3a26f58', 'firing', 'critical', null],
      ['GPUXidError', '17ad52c9e08f3b64', 'firing', 'critical', null],
    ]);
    for (const a of alerts) expect(a.resource).toEqual({ cluster: 'aks-gpu-01', node: 'node-3', gpu: '5' });
    expect(alerts[1]?.labels.xid).toBe('48');
    expect(alerts[1]?.description).toBeNull();
    expect(alerts[1]?.startsAt).toBe('2026-11-28T10:02:49.870Z');
  });

  it('decides status per alert in a group with one firing and one resolved alert', () => {
    const [firing, resolved] = parseAlertmanager(loadFixture('am-two-alerts-mixed.json'));
    expect(firing).toMatchObject({
      status: 'firing',
      // 11:05 at +01:00 is 10:05 UTC.
      startsAt: '2026-11-28T10:05:00.000Z',
      endsAt: null,
      resource: {
        cluster: 'aks-gpu-01',
        namespace: 'llm-serving',
        node: 'node-12',
        deployment: 'llama-3-70b-instruct',
        model: 'meta-llama/Llama-3.1-70B-Instruct',
        modelVersion: '2026-11-20',
        appRole: 'inference-gateway',
      },
    });
    expect(resolved).toMatchObject({
      status: 'resolved',
      startsAt: '2026-11-28T09:40:00.000Z',
      endsAt: '2026-11-28T10:10:30.250Z',
      summary: 'P99 latency 4.4 s on mistral-7b-instruct (SLO 4 s) for 15 minutes',
      description: null,
    });
    // An empty generatorURL (alerts posted through the API) is no link.
    expect(resolved?.links).toEqual([]);
    expect(firing?.groupKey).toBe(resolved?.groupKey);
  });

  it('reports how many alerts the sender truncated', () => {
    const body = setAt(loadFixture('am-two-alerts-mixed.json'), ['truncatedAlerts'], 7);
    const batch = parseAlertmanagerBatch(body);
    expect(batch.truncatedAlerts).toBe(7);
    expect(batch.alerts).toHaveLength(2);
  });
});

describe('parseAlertmanager: tolerance', () => {
  it('ignores fields it does not know, at every level', () => {
    const body = loadFixture('am-gpu-temp-firing.json');
    setAt(body, ['newTopLevelField'], { nested: true });
    setAt(body, ['alerts', 0, 'silencedBy'], ['abc']);
    const [alert] = parseAlertmanager(body);
    expect(alert?.fingerprint).toBe('8c3f0a7b21d95e46');
  });

  it('derives a stable fingerprint from the labels when an old sender leaves it out', () => {
    const body = setAt(loadFixture('am-gpu-ecc-xid-node-3.json'), ['alerts', 0, 'fingerprint'], undefined);
    setAt(body, ['alerts', 1, 'fingerprint'], undefined);
    const first = parseAlertmanager(body);
    const again = parseAlertmanager(structuredClone(body));
    expect(first[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(first[0]?.fingerprint).toBe(again[0]?.fingerprint);
    expect(first[0]?.fingerprint).not.toBe(first[1]?.fingerprint);
  });

  it('falls back to the group alertname, then to a placeholder, for the rule', () => {
    const body = setAt(
      loadFixture('am-gpu-temp-firing.json'),
      ['alerts', 0, 'labels', 'alertname'],
      undefined,
    );
    expect(parseAlertmanager(body)[0]?.rule).toBe('GPUTemperatureHigh');
    setAt(body, ['groupLabels'], {});
    expect(parseAlertmanager(body)[0]?.rule).toBe('unnamed alert');
  });

  it('drops links that are not http(s)', () => {
    const body = setAt(
      loadFixture('am-gpu-temp-firing.json'),
      ['alerts', 0, 'annotations', 'runbook_url'],
      'javascript:alert(1)',
    );
    expect(parseAlertmanager(body)[0]?.links.map((l) => l.kind)).toEqual(['generator']);
  });

  it('cuts over-long text to the normalised limits and hashes an over-long group key', () => {
    const body = setAt(
      loadFixture('am-gpu-temp-firing.json'),
      ['alerts', 0, 'annotations', 'summary'],
      'x'.repeat(5000),
    );
    setAt(body, ['groupKey'], `{}:{${'a'.repeat(3000)}}`);
    const [alert] = parseAlertmanager(body);
    expect(alert?.summary).toHaveLength(2048);
    expect(alert?.summary.endsWith('…')).toBe(true);
    expect(alert?.groupKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parseAlertmanager(structuredClone(body))[0]?.groupKey).toBe(alert?.groupKey);
  });
});

describe('parseAlertmanager: malformed payloads', () => {
  it('names a missing per-alert status', () => {
    const body = setAt(loadFixture('am-two-alerts-mixed.json'), ['alerts', 1, 'status'], undefined);
    const err = parseError(body);
    expect(err.code).toBe('MALFORMED_PAYLOAD');
    expect(err.path).toBe('alerts[1].status');
    expect(err.message).toBe('alerts[1].status: expected "firing" or "resolved", missing');
  });

  it('names a status that is not firing or resolved', () => {
    const err = parseError(
      setAt(loadFixture('am-two-alerts-mixed.json'), ['alerts', 1, 'status'], 'pending'),
    );
    expect(err.message).toBe('alerts[1].status: expected "firing" or "resolved", got "pending"');
  });

  it('names a label of the wrong type', () => {
    const err = parseError(setAt(loadFixture('am-gpu-temp-firing.json'), ['alerts', 0, 'labels', 'gpu'], 3));
    expect(err.message).toBe('alerts[0].labels.gpu: expected string, got 3');
  });

  it('rejects alerts that are not an array', () => {
    const body = loadFixture('am-gpu-temp-firing.json');
    setAt(body, ['alerts'], getAt(body, ['alerts', 0]));
    expect(parseError(body).message).toBe('alerts: expected array, got an object');
  });

  it('rejects a date that is not RFC 3339, and one without an offset', () => {
    const bad = parseError(
      setAt(loadFixture('am-gpu-temp-firing.json'), ['alerts', 0, 'startsAt'], 'yesterday'),
    );
    expect(bad.message).toBe('alerts[0].startsAt: expected an RFC 3339 date-time, got "yesterday"');
    const local = parseError(
      setAt(loadFixture('am-gpu-temp-firing.json'), ['alerts', 0, 'endsAt'], '2026-11-28T09:12:04'),
    );
    expect(local.path).toBe('alerts[0].endsAt');
    const impossible = parseError(
      setAt(loadFixture('am-gpu-temp-firing.json'), ['alerts', 0, 'startsAt'], '2026-02-30T09:12:04Z'),
    );
    expect(impossible.path).toBe('alerts[0].startsAt');
  });

  it('rejects a Grafana body sent to the Alertmanager endpoint', () => {
    expect(parseError(loadFixture('grafana-firing.json')).message).toMatch(/^version: expected "4", got "1"/);
  });

  it('rejects bodies that are not objects', () => {
    expect(parseError(null).message).toBe('payload: expected object, got null');
    expect(parseError([]).message).toBe('payload: expected object, got an array');
    expect(parseError('{"alerts":[]}').path).toBe('payload');
  });

  it('is all or nothing: one bad alert rejects the whole group and counts further problems', () => {
    const body = setAt(loadFixture('am-gpu-ecc-xid-node-3.json'), ['alerts', 1, 'startsAt'], 42);
    setAt(body, ['groupKey'], undefined);
    const err = parseError(body);
    expect(err.issues.map((i) => i.path).sort()).toEqual(['alerts[1].startsAt', 'groupKey']);
    expect(err.message).toMatch(/\(and 1 more problem\)$/);
  });

  it('quotes label names that are not identifiers in the path', () => {
    const err = parseError(
      setAt(loadFixture('am-gpu-temp-firing.json'), ['alerts', 0, 'labels', 'team name'], null),
    );
    expect(err.path).toBe('alerts[0].labels["team name"]');
  });
});

describe('parseAlertmanager: bounds', () => {
  it('rejects more labels than the limit', () => {
    const labels = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`l${i}`, 'v']));
    const err = parseError(setAt(loadFixture('am-gpu-temp-firing.json'), ['alerts', 0, 'labels'], labels));
    expect(err.message).toBe('alerts[0].labels: must have at most 256 entries');
  });

  it('rejects an over-long label value and too many alerts', () => {
    const long = parseError(
      setAt(loadFixture('am-gpu-temp-firing.json'), ['alerts', 0, 'labels', 'pod'], 'p'.repeat(20_000)),
    );
    expect(long.message).toBe('alerts[0].labels.pod: must have at most 16384 characters');
    const body = loadFixture('am-gpu-temp-firing.json');
    setAt(
      body,
      ['alerts'],
      Array.from({ length: 50_001 }, () => getAt(body, ['alerts', 0])),
    );
    expect(parseError(body).message).toMatch(/^alerts: must have at most 50000 items/);
  });
});
