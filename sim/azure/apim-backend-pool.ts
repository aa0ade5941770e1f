import { SIM_NODE_VMS } from '../kube/seed.ts';

/**
 * The AI gateway of local mode as API Management would hold it: one backend pool in front of the
 * gpt-4o deployments the routing ConfigMap names (`gpt-4o-eastus2` first, `gpt-4o-swedencentral`
 * as its fallback), with an ETag that moves on every write. Same shape as the bot's backend-pool
 * port (remediation/executors/apim-backends.ts), which sim/ may not import. The pool and the
 * ConfigMap are two routing paths of the simulated gateway; changing one does not change the other.
 */
export const SIM_APIM = {
  subscriptionId: SIM_NODE_VMS.subscriptionId,
  resourceGroup: 'rg-ai-gateway',
  service: 'apim-ai-local',
  pool: 'aoai-gpt-4o-pool',
  primary: 'gpt-4o-eastus2',
};

interface Member {
  id: string;
  priority: number | null;
  weight: number | null;
}

/** A write the simulated service refuses, with the HTTP status API Management would answer. */
export class SimulatedApimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatedApimError';
  }
}

/** The simulated instance's backends: the two deployments and the pool over them. */
export function simulatedApimBackendPools() {
  const base = `/subscriptions/${SIM_APIM.subscriptionId}/resourceGroups/${SIM_APIM.resourceGroup}/providers/Microsoft.ApiManagement/service/${SIM_APIM.service}/backends/`;
  const singles = new Set(['gpt-4o-eastus2', 'gpt-4o-swedencentral']);
  let services: Member[] = [
    { id: `${base}gpt-4o-eastus2`, priority: 1, weight: 100 },
    { id: `${base}gpt-4o-swedencentral`, priority: 2, weight: 100 },
  ];
  let seq = 1;
  const etag = () => `"sim-${seq}"`;
  const known = (pool: string) => {
    if (pool !== SIM_APIM.pool) throw new SimulatedApimError(404, `backend ${pool} was not found`);
  };
  const view = () => ({ name: SIM_APIM.pool, etag: etag(), services: services.map((s) => ({ ...s })) });
  return {
    service: `${SIM_APIM.resourceGroup}/${SIM_APIM.service}`,
    async get(pool: string) {
      known(pool);
      return view();
    },
    async etag(pool: string) {
      known(pool);
      return etag();
    },
    async backendUrl(backend: string) {
      if (backend === SIM_APIM.pool) return null;
      return singles.has(backend) ? `https://oai-${backend}.openai.azure.com/openai` : undefined;
    },
    async update(pool: string, next: readonly Member[], ifMatch: string) {
      known(pool);
      if (ifMatch !== etag())
        throw new SimulatedApimError(412, `ETag ${etag()} does not match If-Match ${ifMatch}`);
      const stranger = next.find((s) => !s.id.startsWith(base) || !singles.has(s.id.slice(base.length)));
      if (stranger) throw new SimulatedApimError(400, `pool member ${stranger.id} is not a backend`);
      services = next.map((s) => ({ ...s }));
      seq++;
      return view();
    },
  };
}
