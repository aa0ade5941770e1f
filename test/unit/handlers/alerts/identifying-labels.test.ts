import { describe, expect, it } from 'vitest';
import { identifyingLabels } from '../../../../handlers/alerts/identifying-labels.ts';

describe('identifyingLabels', () => {
  it('keeps the name and resource of a DCGM alert, not UUID, driver, model name or the exporter', () => {
    expect(
      identifyingLabels({
        alertname: 'GpuTempHigh',
        Hostname: 'node-7',
        gpu: '3',
        UUID: 'GPU-1234',
        DCGM_FI_DRIVER_VERSION: '550.54.15',
        modelName: 'NVIDIA H100 80GB HBM3',
        instance: '10.244.1.9:9400',
        job: 'dcgm-exporter',
        pod: 'dcgm-exporter-x7k2p',
        namespace: 'gpu-operator',
        exported_namespace: 'ml',
        container: 'exporter',
        severity: 'warning',
        cluster: 'aks-gpu-01',
        device: 'nvidia3',
      }),
    ).toEqual({
      alertname: 'GpuTempHigh',
      Hostname: 'node-7',
      gpu: '3',
      exported_namespace: 'ml',
      cluster: 'aks-gpu-01',
    });
  });

  it('keeps a workload alert’s namespace, deployment and pod when no node is named', () => {
    expect(
      identifyingLabels({
        alertname: 'KubePodCrashLooping',
        namespace: 'ml',
        pod: 'llm-api-5d9',
        deployment: 'llm-api',
        severity: 'critical',
      }),
    ).toEqual({
      alertname: 'KubePodCrashLooping',
      namespace: 'ml',
      pod: 'llm-api-5d9',
      deployment: 'llm-api',
    });
  });
});
