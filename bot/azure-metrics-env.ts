import { z } from 'zod';

const RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i;

/** The environment variables of Azure Monitor platform metrics (part of `envSchema`). */
export const azureMetricsEnv = {
  /** Regional Azure Monitor Metrics endpoint, e.g. https://eastus2.metrics.monitor.azure.com (with AZURE_OPENAI_RESOURCE_IDS). */
  AZURE_METRICS_ENDPOINT: z.url().optional(),
  /** ARM ids of the Azure OpenAI resources whose platform metrics `/aoai` reads, comma-separated. */
  AZURE_OPENAI_RESOURCE_IDS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              RESOURCE_ID,
              'an Azure OpenAI resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>',
            ),
        )
        .max(50, 'at most 50 resources (one metrics batch request)'),
    ),
};

type AzureMetricsVars = z.output<z.ZodObject<typeof azureMetricsEnv>>;

/**
 * The metrics source from its variables: both or neither, resources of one subscription (the
 * batch API's rule). Problems are added as complete lines; undefined when not configured.
 */
export function azureMetricsSettings(
  e: AzureMetricsVars,
  problems: string[],
): { endpoint: string; resourceIds: string[] } | undefined {
  if (!e.AZURE_METRICS_ENDPOINT !== (e.AZURE_OPENAI_RESOURCE_IDS.length === 0))
    problems.push(
      'AZURE_METRICS_ENDPOINT: set it together with AZURE_OPENAI_RESOURCE_IDS (the regional metrics endpoint and the resources to read), or neither',
    );
  const subscriptions = new Set(e.AZURE_OPENAI_RESOURCE_IDS.map((id) => id.split('/')[2]!.toLowerCase()));
  if (subscriptions.size > 1)
    problems.push(
      'AZURE_OPENAI_RESOURCE_IDS: the metrics batch API reads one subscription per request; list resources of one subscription',
    );
  return e.AZURE_METRICS_ENDPOINT && e.AZURE_OPENAI_RESOURCE_IDS.length > 0
    ? { endpoint: e.AZURE_METRICS_ENDPOINT, resourceIds: e.AZURE_OPENAI_RESOURCE_IDS }
    : undefined;
}
