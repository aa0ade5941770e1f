import { describe, expect, it } from 'vitest';
import { extractResource } from '../../../../../handlers/alerts/intake/resource.ts';

describe('extractResource', () => {
  it('matches label names case-insensitively (dcgm-exporter Hostname → hostname)', () => {
    expect(extractResource({ Hostname: 'node-7' }).node).toBe('node-7');
    expect(extractResource({ hostname: 'node-7' }).node).toBe('node-7');
    expect(extractResource({ Computer: 'aks-gpu-node-3' }).node).toBe('aks-gpu-node-3');
  });

  it('prefers the most specific label and falls back to instance without its port', () => {
    expect(extractResource({ instance: '10.244.3.17:9400', node: 'node-7' }).node).toBe('node-7');
    expect(extractResource({ instance: 'node-9:9400' }).node).toBe('node-9');
    expect(extractResource({ instance: '[fd00::7]:9400' }).node).toBe('fd00::7');
    expect(extractResource({ instance: 'fd00::7' }).node).toBe('fd00::7');
  });

  it('takes the workload namespace and pod over the exporter ones', () => {
    const labels = {
      namespace: 'gpu-operator',
      pod: 'dcgm-x',
      exported_namespace: 'llm',
      exported_pod: 'vllm-0',
    };
    expect(extractResource(labels)).toEqual({ namespace: 'llm', pod: 'vllm-0' });
  });

  it('reads AI-platform labels and Azure dimensions', () => {
    expect(
      extractResource({
        deployment: 'vllm-llama',
        model_deployment: 'llama-3-70b-instruct',
        model: 'meta-llama/Llama-3.1-70B-Instruct',
        model_version: '2026-11-20',
        app_role: 'gateway',
        cluster: 'aks-gpu-01',
      }),
    ).toEqual({
      deployment: 'llama-3-70b-instruct',
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      modelVersion: '2026-11-20',
      appRole: 'gateway',
      cluster: 'aks-gpu-01',
    });
    expect(
      extractResource({
        ModelDeploymentName: 'gpt-4o',
        ModelName: 'gpt-4o',
        ModelVersion: '2024-11-20',
        AppRoleName: 'chat',
      }),
    ).toEqual({ deployment: 'gpt-4o', model: 'gpt-4o', modelVersion: '2024-11-20', appRole: 'chat' });
  });

  it('does not take a DCGM modelName (the GPU product) for the model', () => {
    expect(extractResource({ modelName: 'NVIDIA H100 80GB HBM3', gpu: '0', UUID: 'GPU-1' })).toEqual({
      gpu: '0',
    });
  });

  it('takes only ARM ids as the Azure resource id and ignores empty values', () => {
    expect(extractResource({ ResourceId: 'b1b1b1b1-cccc-dddd-eeee-f2f2f2f2f2f2' })).toEqual({});
    expect(extractResource({ _ResourceId: '/subscriptions/s/resourcegroups/r' })).toEqual({
      azureResourceId: '/subscriptions/s/resourcegroups/r',
    });
    expect(extractResource({ node: '  ', hostname: 'node-2' }).node).toBe('node-2');
  });
});
