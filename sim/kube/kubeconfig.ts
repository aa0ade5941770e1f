/**
 * A kubeconfig (JSON, which kubectl and client-node both read as YAML) for a plain-HTTP
 * simulated API server. `insecure-skip-tls-verify` keeps client-node from insisting on a CA.
 */
export function kubeconfigFor(url: string, namespace = 'ml'): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'sim', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'sim-admin', user: { token: 'sim-token' } }],
      contexts: [{ name: 'sim', context: { cluster: 'sim', user: 'sim-admin', namespace } }],
      'current-context': 'sim',
      preferences: {},
    },
    null,
    2,
  );
}
