/** Alert intake: one parser per sender, each turning a webhook body into normalised alerts. */
export { parseAlertmanager, parseAlertmanagerBatch } from './alertmanager.ts';
export { parseAzureMonitor } from './azure-monitor.ts';
export { parseGrafana, parseGrafanaBatch } from './grafana.ts';
export { type IntakeIssue, IntakeParseError } from './intake-error.ts';
export { extractResource } from './resource.ts';
export type { IntakeBatch } from './template-alert.ts';
