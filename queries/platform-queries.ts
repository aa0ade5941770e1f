import { aoaiExportedLatency } from './kql/aoai-exported-latency.ts';
import { aoaiExportedVolume } from './kql/aoai-exported-volume.ts';
import { apimBackendFailures } from './kql/apim-backend-failures.ts';
import { apimPolicyRejections } from './kql/apim-policy-rejections.ts';
import { apimTokensBySubscription } from './kql/apim-tokens-by-subscription.ts';
import type { KqlQuery } from './kql/define-kql-query.ts';
import { deploymentLatencyChange } from './kql/deployment-latency-change.ts';
import { modelThroughput } from './kql/model-throughput.ts';
import { pipelineStageLatency } from './kql/pipeline-stage-latency.ts';
import { queueDepth } from './kql/queue-depth.ts';
import { slowestTraces } from './kql/slowest-traces.ts';

/**
 * The vetted queries over the platform's other records (issue 19): the application's pipeline
 * (spans, custom metrics, rollout logs), the API Management AI gateway's logs and the Azure OpenAI
 * resource's exported metrics, in the order `/kql` lists them after the application's queries.
 */
export const PLATFORM_QUERIES: readonly KqlQuery[] = [
  pipelineStageLatency,
  slowestTraces,
  queueDepth,
  modelThroughput,
  deploymentLatencyChange,
  apimTokensBySubscription,
  apimPolicyRejections,
  apimBackendFailures,
  aoaiExportedVolume,
  aoaiExportedLatency,
];
