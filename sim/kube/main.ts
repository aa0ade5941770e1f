import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFor } from './kubeconfig.ts';
import { seedAiPlatform } from './seed.ts';
import { startKubeApi } from './server.ts';

/**
 * Run the seeded simulated cluster on its own: `tsx sim/kube/main.ts [kubeconfig-path]` (default: the OS temp dir).
 * Port from SIM_KUBE_PORT (default: any free port); controllers tick every second.
 */
const server = await startKubeApi({
  port: Number(process.env.SIM_KUBE_PORT ?? 0),
  seed: seedAiPlatform,
  autoTickMs: 1000,
});
const path = process.argv[2] ?? join(tmpdir(), 'sim-kubeconfig.json');
writeFileSync(path, kubeconfigFor(server.url));
process.stdout.write(
  `simulated Kubernetes API at ${server.url}\nKUBECONFIG=${path} kubectl get deployments\n`,
);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
