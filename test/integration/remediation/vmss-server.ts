import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../core/clock.ts';
import { ARM_TOKEN, makeCertificate } from './arm-server.ts';

interface Instance {
  provisionedAt: number;
  /** When a restart in flight completes (instance back to succeeded / running). */
  restartDoneAt: number | null;
}

/**
 * A local HTTPS server speaking the Compute `virtualMachineScaleSetVMs` API as far as reboot-node
 * uses it: the instance view (ProvisioningState and PowerState statuses with their times) and the
 * long-running POST `…/restart` (202 with an `Azure-AsyncOperation` URL whose status goes
 * `InProgress` → `Succeeded` once `restartMs` of the injected clock passed), bearer auth,
 * api-version and ARM error bodies.
 */
export async function startScaleSetServer(
  clock: Clock,
  vms: { subscriptionId: string; resourceGroup: string; scaleSet: string; instances: number },
  restartMs = 90_000,
) {
  const { key, cert } = makeCertificate();
  const instances = new Map<string, Instance>(
    Array.from({ length: vms.instances }, (_, i) => [
      String(i),
      { provisionedAt: clock.now() - 86_400_000, restartDoneAt: null },
    ]),
  );
  const restarts: string[] = [];
  const operations = new Map<string, string>();
  const base = `/subscriptions/${vms.subscriptionId}/resourceGroups/${vms.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${vms.scaleSet}/virtualMachines/`;
  const settle = (vm: Instance) => {
    if (vm.restartDoneAt !== null && clock.now() >= vm.restartDoneAt) {
      vm.provisionedAt = vm.restartDoneAt;
      vm.restartDoneAt = null;
    }
  };
  const error = (code: string, message: string) => JSON.stringify({ error: { code, message } });
  const server: Server = createServer({ key, cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      };
      if (req.headers.authorization !== `Bearer ${ARM_TOKEN}`)
        return reply(401, error('AuthenticationFailed', 'The Authorization header is missing or invalid.'));
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion)
        return reply(
          400,
          error('MissingApiVersionParameter', 'The api-version query parameter is required.'),
        );
      const op =
        /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/locations\/eastus2\/operations\/(op-\d+)$/.exec(
          url.pathname,
        )?.[1];
      if (op) {
        const vm = instances.get(operations.get(op) ?? '');
        if (!vm) return reply(404, error('NotFound', 'The operation was not found.'));
        settle(vm);
        return reply(
          200,
          JSON.stringify({ name: op, status: vm.restartDoneAt === null ? 'Succeeded' : 'InProgress' }),
        );
      }
      if (!url.pathname.startsWith(base))
        return reply(404, error('ResourceNotFound', 'The resource was not found.'));
      const [id, verb] = url.pathname.slice(base.length).split('/');
      const vm = instances.get(id ?? '');
      if (!vm) return reply(404, error('NotFound', `The VM instance ${id} was not found.`));
      settle(vm);
      if (req.method === 'GET' && verb === 'instanceView') {
        const busy = vm.restartDoneAt !== null;
        return reply(
          200,
          JSON.stringify({
            statuses: [
              {
                code: busy ? 'ProvisioningState/updating' : 'ProvisioningState/succeeded',
                level: 'Info',
                displayStatus: busy ? 'Updating' : 'Provisioning succeeded',
                ...(busy ? {} : { time: new Date(vm.provisionedAt).toISOString() }),
              },
              { code: busy ? 'PowerState/starting' : 'PowerState/running', level: 'Info' },
            ],
          }),
        );
      }
      if (req.method === 'POST' && verb === 'restart') {
        if (vm.restartDoneAt !== null)
          return reply(
            409,
            error('OperationNotAllowed', 'Another operation is in progress on this instance.'),
          );
        restarts.push(id!);
        vm.restartDoneAt = clock.now() + restartMs;
        const opId = `op-${operations.size + 1}`;
        operations.set(opId, id!);
        const opUrl = `https://${req.headers.host}/subscriptions/${vms.subscriptionId}/providers/Microsoft.Compute/locations/eastus2/operations/${opId}?api-version=${apiVersion}`;
        return reply(202, '', { 'azure-asyncoperation': opUrl, location: opUrl });
      }
      return reply(405, error('MethodNotAllowed', 'method not allowed'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    restarts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
