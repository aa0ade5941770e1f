import { describe, expect, it } from 'vitest';
import { type ParsedAlert, parsedAlert } from '../../../../../core/alerts/alert.ts';
import { parseAzureMonitor } from '../../../../../handlers/alerts/intake/azure-monitor.ts';
import { IntakeParseError } from '../../../../../handlers/alerts/intake/intake-error.ts';
import { loadFixture, setAt } from './fixture.ts';

const SUB = '/subscriptions/7d0e5c4a-2b1f-4e8a-9c3d-6f5a4b3c2d1e';
const AOAI_EASTUS = `${SUB}/resourcegroups/rg-ai-prod/providers/microsoft.cognitiveservices/accounts/aoai-prod-eastus`;
const WORKSPACE = `${SUB}/resourcegroups/rg-ai-observability/providers/microsoft.operationalinsights/workspaces/law-ai-prod`;

function parseOne(body: unknown): ParsedAlert {
  const alerts = parseAzureMonitor(body);
  expect(alerts).toHaveLength(1);
  expect(parsedAlert.parse(alerts[0])).toEqual(alerts[0]);
  return alerts[0]!;
}

function parseError(body: unknown): IntakeParseError {
  try {
    parseAzureMonitor(body);
  } catch (err) {
    expect(err).toBeInstanceOf(IntakeParseError);
    return err as IntakeParseError;
  }
  throw new Error('expected the payload to be rejected');
}

const linkOf = (a: ParsedAlert, kind: string) => a.links.find((l) => l.kind === kind)?.url;

describe('parseAzureMonitor: metric alerts', () => {
  it('normalises a static-threshold 429 alert on gpt-4o', () => {
    const alert = parseOne(loadFixture('azure-metric-static-fired.json'));
    expect(alert).toMatchObject({
      source: 'azure-monitor',
      fingerprint: `${SUB}/providers/Microsoft.AlertsManagement/alerts/3b9e1f44-7a2c-4d8e-b6f0-91c5d2e8a7b3`,
      groupKey: `aoai-gpt-4o-throttling|${AOAI_EASTUS}`,
      rule: 'aoai-gpt-4o-throttling',
      status: 'firing',
      sourceSeverity: 'Sev2',
      // Azure lists alerts by rule name; the rule's description and the condition are the text.
      summary: 'aoai-gpt-4o-throttling',
      description:
        'Azure OpenAI is throttling gpt-4o: more than 100 HTTP 429 responses in 5 minutes\n' +
        'AzureOpenAIRequests (Total over PT5M) = 311, threshold > 100 [StatusCode=429, ModelDeploymentName=gpt-4o]',
      startsAt: '2026-11-28T10:15:42.381Z',
      endsAt: null,
      values: { AzureOpenAIRequests: 311 },
      resource: { deployment: 'gpt-4o', azureResourceId: AOAI_EASTUS },
    });
    expect(alert.labels).toEqual({
      alertname: 'aoai-gpt-4o-throttling',
      monitoringService: 'Platform',
      signalType: 'Metric',
      metricName: 'AzureOpenAIRequests',
      metricNamespace: 'Microsoft.CognitiveServices/accounts',
      StatusCode: '429',
      ModelDeploymentName: 'gpt-4o',
    });
    expect(alert.annotations).toMatchObject({
      metric: 'AzureOpenAIRequests',
      operator: '>',
      threshold: '100',
      timeAggregation: 'Total',
      windowSize: 'PT5M',
      windowStartTime: '2026-11-28T10:09:30.000Z',
      conditionType: 'SingleResourceMultipleMetricCriteria',
      alertRuleId: `${SUB}/resourceGroups/rg-ai-prod/providers/microsoft.insights/metricAlerts/aoai-gpt-4o-throttling`,
      team: 'ml-platform',
    });
    expect(linkOf(alert, 'portal')).toBe(
      `https://portal.azure.com/#blade/Microsoft_Azure_Monitoring/AlertDetailsTemplateBlade/alertId/${encodeURIComponent(alert.fingerprint)}`,
    );
  });

  it('resolves the same alert instance, reading resolvedDateTime and the alertRuleId casing', () => {
    const fired = parseOne(loadFixture('azure-metric-static-fired.json'));
    const resolved = parseOne(loadFixture('azure-metric-static-resolved.json'));
    expect(resolved).toMatchObject({
      status: 'resolved',
      startsAt: fired.startsAt,
      endsAt: '2026-11-28T10:41:07.224Z',
      values: { AzureOpenAIRequests: 12 },
    });
    expect(resolved.fingerprint).toBe(fired.fingerprint);
    expect(resolved.groupKey).toBe(fired.groupKey);
    expect(resolved.annotations.alertRuleId).toBe(fired.annotations.alertRuleId);
  });

  it('marks dynamic thresholds and describes the condition when the rule has no description', () => {
    const alert = parseOne(loadFixture('azure-metric-dynamic.json'));
    expect(alert.annotations).toMatchObject({
      thresholdType: 'dynamic',
      alertSensitivity: 'Medium',
      threshold: '1650.5',
      operator: '>',
      owner: 'inference-oncall',
    });
    expect(alert.values).toEqual({ AzureOpenAITimeToResponse: 2870.25 });
    expect(alert.summary).toBe('aoai-gpt-4o-time-to-response-anomaly');
    expect(alert.description).toBe(
      'AzureOpenAITimeToResponse (Average over PT15M) = 2870.25, ' +
        'threshold > 1650.5 (dynamic threshold, Medium sensitivity) [ModelDeploymentName=gpt-4o]',
    );
    expect(alert.resource.deployment).toBe('gpt-4o');
  });

  it('groups a multi-resource alert by rule and the sorted, lower-cased targets', () => {
    const body = loadFixture('azure-metric-multi-resource.json');
    const alert = parseOne(body);
    const westus = `${SUB}/resourcegroups/rg-ai-prod/providers/microsoft.cognitiveservices/accounts/aoai-prod-westus3`;
    expect(alert.groupKey).toBe(`aoai-ptu-utilisation-high|${AOAI_EASTUS},${westus}`);
    expect(alert.annotations.operator).toBe('>=');
    expect(alert.resource.azureResourceId).toBe(westus);
    const targets = ['data', 'essentials', 'alertTargetIDs'];
    setAt(body, targets, [AOAI_EASTUS.toUpperCase(), westus]);
    expect(parseOne(body).groupKey).toBe(alert.groupKey);
  });

  it('keys values by metric name and suffixes the annotations of further criteria', () => {
    const body = loadFixture('azure-metric-static-fired.json');
    setAt(body, ['data', 'alertContext', 'condition', 'allOf', 1], {
      metricName: 'AzureOpenAIRequests',
      operator: 'GreaterThan',
      threshold: 50,
      timeAggregation: 'Total',
      dimensions: [{ name: 'StatusCode', value: 500 }],
      metricValue: '77',
    });
    const alert = parseOne(body);
    expect(alert.values).toEqual({ AzureOpenAIRequests: 311, 'AzureOpenAIRequests#2': 77 });
    expect(alert.annotations).toMatchObject({ threshold: '100', threshold_2: '50', operator_2: '>' });
    expect(alert.description?.split('\n')).toHaveLength(3);
  });
});

describe('parseAzureMonitor: log alerts', () => {
  it('normalises a Log Alerts V2 alert with dimensions and search links', () => {
    const alert = parseOne(loadFixture('azure-log-v2.json'));
    const component = `${SUB}/resourcegroups/rg-ai-prod/providers/microsoft.insights/components/appi-chat-api`;
    expect(alert).toMatchObject({
      rule: 'chat-api-p99-latency',
      groupKey: `chat-api-p99-latency|${WORKSPACE}`,
      values: { P99: 6125.4 },
      startsAt: '2026-11-28T11:31:09.512Z',
      // The workspace is the target; the _ResourceId dimension names the resource itself.
      resource: { appRole: 'chat-api', azureResourceId: component },
    });
    expect(alert.labels).toMatchObject({
      AppRoleName: 'chat-api',
      _ResourceId: component,
      signalType: 'Log',
    });
    expect(alert.annotations).toMatchObject({ operator: '>', threshold: '4000', slo: 'p99 < 4000 ms' });
    expect(alert.annotations.searchQuery).toMatch(/^AppRequests\n/);
    expect(alert.annotations.searchResultsApi).toMatch(
      /^https:\/\/api\.loganalytics\.io\/v1\/workspaces\/.*tostring%28AppRoleName%29/,
    );
    expect(linkOf(alert, 'search')).toMatch(/^https:\/\/portal\.azure\.com#@.*%7C%20where%20AppRoleName/);
    expect(linkOf(alert, 'portal')).toBeDefined();
  });

  it('reads a simple log alert: null condition fields and the event row as labels', () => {
    const alert = parseOne(loadFixture('azure-log-simple.json'));
    expect(alert.labels).toMatchObject({ Computer: 'aks-gpu-node-3', Xid: '48' });
    expect(alert.resource.node).toBe('aks-gpu-node-3');
    expect(alert.resource.azureResourceId).toBe(WORKSPACE);
    expect(alert.values).toEqual({ resultCount: 1 });
    expect(alert.annotations.operator).toBeUndefined();
    expect(alert.annotations.threshold).toBeUndefined();
    expect(alert.description?.split('\n').at(-1)).toBe('resultCount (Count) = 1');
    expect(alert.query).toEqual({ language: 'kql', text: expect.any(String) });
    expect(alert.sourceSeverity).toBe('Sev1');
    expect(linkOf(alert, 'search')).toMatch(/^https:\/\/portal\.azure\.com#@/);
  });

  it('reads a legacy v1 Log Analytics alert with PascalCase keys and US dates', () => {
    const alert = parseOne(loadFixture('azure-log-legacy-v1.json'));
    expect(alert).toMatchObject({
      rule: 'gpu-node-heartbeat-missing',
      startsAt: '2019-03-22T13:52:08.157Z',
      values: { resultCount: 0 },
      labels: { Computer: 'aks-gpu-node-3' },
      resource: { node: 'aks-gpu-node-3', azureResourceId: WORKSPACE },
    });
    expect(alert.annotations).toMatchObject({
      searchIntervalStart: '2019-03-22T13:36:31.000Z',
      searchIntervalEnd: '2019-03-22T13:51:31.000Z',
      operator: '<',
      threshold: '1',
      windowSize: 'PT15M',
      alertType: 'Number of results',
      workspaceId: '4c8e2a1f-7d3b-4b96-a5e0-3f1d9c7b2e68',
    });
    expect(linkOf(alert, 'search')).toMatch(/%7Cfiltered\/prettify/);
  });

  it('reads the Application Insights flavour and ISO dates in legacy alerts', () => {
    const body = loadFixture('azure-log-legacy-v1.json');
    setAt(body, ['data', 'essentials', 'monitoringService'], 'Application Insights');
    setAt(body, ['data', 'alertContext', 'WorkspaceId'], undefined);
    setAt(body, ['data', 'alertContext', 'ApplicationId'], '00001111-aaaa-2222-bbbb-3333cccc4444');
    setAt(body, ['data', 'alertContext', 'SearchIntervalStartTimeUtc'], '12:05:09 AM');
    expect(parseError(body).path).toBe('data.alertContext.SearchIntervalStartTimeUtc');
    setAt(body, ['data', 'alertContext', 'SearchIntervalStartTimeUtc'], '3/22/2019 12:05:09 AM');
    setAt(body, ['data', 'alertContext', 'SearchIntervalEndtimeUtc'], '2019-03-22T00:20:09.5Z');
    const alert = parseOne(body);
    expect(alert.annotations).toMatchObject({
      applicationId: '00001111-aaaa-2222-bbbb-3333cccc4444',
      searchIntervalStart: '2019-03-22T00:05:09.000Z',
      searchIntervalEnd: '2019-03-22T00:20:09.500Z',
    });
  });
});

describe('parseAzureMonitor: other alert types', () => {
  it('accepts a budget alert with null rule, severity and targets', () => {
    const alert = parseOne(loadFixture('azure-budget.json'));
    expect(alert).toMatchObject({
      rule: 'ai-inference-daily',
      groupKey: 'ai-inference-daily|',
      sourceSeverity: null,
      status: 'firing',
      summary: 'ai-inference-daily',
      values: {},
      valueText: '$14,520.00',
    });
    expect(alert.description).toMatch(/^Your spend for budget ai-inference-daily is now \$14,520\.00/);
    expect(alert.details).toContainEqual({ label: 'Spent', value: '$14,520.00 (121 % of budget)' });
    expect(alert.annotations).toMatchObject({ SpentAmount: '$14,520.00', BudgetThreshold: '$12,000.00' });
    expect(alert.resource).toEqual({});
  });

  it('accepts an unknown conditionType with what the essentials give', () => {
    const body = loadFixture('azure-metric-static-fired.json');
    setAt(body, ['data', 'alertContext'], {
      conditionType: 'SomethingNew',
      properties: { title: 'Rebooted by user', details: null, nested: { a: 1 } },
      labels: { cluster: 'aks-gpu-01' },
    });
    const alert = parseOne(body);
    expect(alert.annotations).toMatchObject({ conditionType: 'SomethingNew', title: 'Rebooted by user' });
    expect(alert.annotations.nested).toBeUndefined();
    expect(alert.resource.cluster).toBe('aks-gpu-01');
    expect(alert.values).toEqual({});
  });

  it('reads labels, annotations and the expression of a managed Prometheus alert', () => {
    const body = loadFixture('azure-metric-static-fired.json');
    setAt(body, ['data', 'essentials', 'description'], '');
    setAt(body, ['data', 'alertContext'], {
      interval: 'PT1M',
      expression: 'max by (Hostname, gpu) (DCGM_FI_DEV_GPU_TEMP) > 83',
      expressionValue: '87',
      for: 'PT10M',
      labels: { Hostname: 'node-7', gpu: '3', cluster: 'aks-gpu-01' },
      annotations: { summary: 'GPU 3 on node-7 is at 87 °C' },
    });
    const alert = parseOne(body);
    expect(alert.summary).toBe(alert.rule);
    expect(alert.description).toBe('GPU 3 on node-7 is at 87 °C');
    expect(alert.query).toEqual({
      language: 'promql',
      text: 'max by (Hostname, gpu) (DCGM_FI_DEV_GPU_TEMP) > 83',
    });
    expect(alert.valueText).toBe('87');
    expect(alert.details).toContainEqual({ label: 'For', value: 'PT10M' });
    expect(alert.resource).toMatchObject({ node: 'node-7', gpu: '3', cluster: 'aks-gpu-01' });
    expect(alert.annotations).toMatchObject({
      expressionValue: '87',
      expression: expect.stringMatching(/^max by/),
    });
  });

  it('uses a usable investigationLink as the portal link and ignores an unusable one', () => {
    const body = loadFixture('azure-metric-static-fired.json');
    setAt(
      body,
      ['data', 'essentials', 'investigationLink'],
      'https://portal.azure.com/#view/Microsoft_Azure_Monitoring_Alerts/Investigation/alertId/x',
    );
    expect(linkOf(parseOne(body), 'portal')).toBe(
      'https://portal.azure.com/#view/Microsoft_Azure_Monitoring_Alerts/Investigation/alertId/x',
    );
    setAt(body, ['data', 'essentials', 'investigationLink'], 'javascript:alert(1)');
    expect(linkOf(parseOne(body), 'portal')).toMatch(/^https:\/\/portal\.azure\.com\/#blade\//);
  });
});

describe('parseAzureMonitor: malformed payloads', () => {
  it('names a monitorCondition that is neither Fired nor Resolved', () => {
    const err = parseError(
      setAt(
        loadFixture('azure-metric-static-fired.json'),
        ['data', 'essentials', 'monitorCondition'],
        'Active',
      ),
    );
    expect(err.code).toBe('MALFORMED_PAYLOAD');
    expect(err.message).toBe(
      'data.essentials.monitorCondition: expected "Fired" or "Resolved", got "Active"',
    );
  });

  it('names a missing schemaId, a bad severity and a bad firedDateTime', () => {
    expect(parseError(setAt(loadFixture('azure-log-v2.json'), ['schemaId'], undefined)).message).toBe(
      'schemaId: expected "azureMonitorCommonAlertSchema", missing',
    );
    expect(
      parseError(setAt(loadFixture('azure-log-v2.json'), ['data', 'essentials', 'severity'], 'Sev7')).path,
    ).toBe('data.essentials.severity');
    expect(
      parseError(setAt(loadFixture('azure-log-v2.json'), ['data', 'essentials', 'firedDateTime'], 'soon'))
        .message,
    ).toBe('data.essentials.firedDateTime: expected an RFC 3339 date-time, got "soon"');
  });

  it('names wrong types inside the alert context', () => {
    const body = setAt(
      loadFixture('azure-metric-static-fired.json'),
      ['data', 'alertContext', 'condition', 'allOf', 0, 'metricValue'],
      {
        v: 1,
      },
    );
    expect(parseError(body).path).toBe('data.alertContext.condition.allOf[0].metricValue');
    const notArray = setAt(loadFixture('azure-log-v2.json'), ['data', 'alertContext', 'condition', 'allOf'], {
      a: 1,
    });
    expect(parseError(notArray).message).toBe(
      'data.alertContext.condition.allOf: expected array, got an object',
    );
    const badDimension = setAt(
      loadFixture('azure-log-v2.json'),
      ['data', 'alertContext', 'condition', 'allOf', 0, 'dimensions', 1],
      {
        name: 'x',
      },
    );
    expect(parseError(badDimension).path).toBe('data.alertContext.condition.allOf[0].dimensions[1].value');
  });

  it('rejects an Alertmanager body sent to the Azure endpoint', () => {
    expect(parseError(loadFixture('am-gpu-temp-firing.json')).path).toBe('schemaId');
  });
});

describe('parseAzureMonitor: hostile keys', () => {
  it('keeps dimensions named like Object.prototype members and ignores __proto__', () => {
    const body = loadFixture('azure-metric-static-fired.json');
    setAt(
      body,
      ['data', 'alertContext', 'condition', 'allOf', 0, 'dimensions'],
      [
        { name: 'toString', value: 'x' },
        { name: '__proto__', value: 'polluted' },
      ],
    );
    const alert = parseOne(body);
    expect(Object.hasOwn(alert.labels, 'toString')).toBe(true);
    expect(alert.labels.toString).toBe('x');
    expect(Object.getPrototypeOf(alert.labels)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
