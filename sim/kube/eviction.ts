import { budgetsFor, computeBudget } from './controllers/cluster-state.ts';
import { isPodReady, statusOf } from './controllers/util.ts';
import type { Target } from './crud.ts';
import { type ApiRequest, type ApiResponse, ok, readDryRun, readJsonBody } from './http.ts';
import { evictionSchema } from './shapes.ts';
import {
  badRequest,
  disruptionBudgetExceeded,
  internalError,
  methodNotAllowed,
  successStatus,
} from './status.ts';

/**
 * `POST …/pods/{name}/eviction` (policy/v1 Eviction): delete the pod unless that would break
 * its PodDisruptionBudget (429 TooManyRequests). Pending pods, and unready pods while the
 * budget is met, may always go (the IfHealthyBudget policy).
 */
export function handleEviction(req: ApiRequest, t: Target): ApiResponse {
  if (req.method !== 'POST') throw methodNotAllowed();
  const c = req.cluster;
  const name = t.name ?? '';
  const body = evictionSchema.safeParse(readJsonBody(req));
  if (!body.success) throw badRequest('the body of the request is not a policy/v1 Eviction');
  if (body.data.metadata?.name && body.data.metadata.name !== name) {
    throw badRequest(`name in URL does not match name in Eviction object`);
  }
  const dryRun = readDryRun(req, 'CreateOptions') || (body.data.deleteOptions?.dryRun ?? []).includes('All');
  const pod = c.store.get(t.rt, t.namespace, name);
  const budgets = budgetsFor(c, pod);
  if (budgets.length > 1) {
    throw internalError(
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  const pdb = budgets[0];
  const phase = statusOf(pod).phase;
  if (pdb && phase === 'Running') {
    const budget = computeBudget(c, pdb);
    const healthyEnough = !isPodReady(pod) && budget.currentHealthy >= budget.desiredHealthy;
    if (!healthyEnough && budget.disruptionsAllowed <= 0) {
      throw disruptionBudgetExceeded(
        `The disruption budget ${pdb.metadata.name} needs ${budget.desiredHealthy} healthy pods and has ${budget.currentHealthy} currently`,
      );
    }
  }
  c.store.delete(t.rt, t.namespace, name, { dryRun });
  return ok(successStatus(201), 201);
}
