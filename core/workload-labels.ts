/**
 * Label of a Deployment naming the model it serves, and of its pod template naming the model
 * version: how a model alert (`model`, `model_version`) finds the workload a rollback changes,
 * since an alert's `deployment` of a model is the Azure OpenAI deployment, not a Kubernetes one.
 * The platform's manifests and the simulated cluster carry the same labels.
 */
export const MODEL_LABEL = 'ai.platform/model';
export const MODEL_VERSION_LABEL = 'ai.platform/model-version';
