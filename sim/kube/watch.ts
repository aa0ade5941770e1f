import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeCluster } from './cluster.ts';
import type { Target } from './crud.ts';
import { matchesLabelQuery, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import type { KubeObject, StoreEvent } from './store.ts';

const DEFAULT_TIMEOUT_S = 1800;

function goneEvent(revision: string) {
  return {
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${revision}`,
      reason: 'Expired',
      code: 410,
    },
  };
}

/**
 * `?watch=true` on a collection: a chunked stream of `{"type","object"}` lines. With a
 * resourceVersion the stream resumes after it (410 Expired when the log is too short); without
 * one (or "0") it starts with an ADDED event per current object. Changes only appear when the
 * controllers run, i.e. on requests, `tick()` or the server's auto-tick.
 */
export function serveWatch(
  cluster: KubeCluster,
  query: URLSearchParams,
  t: Target,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  const name = t.name;
  const matches = (o: KubeObject) =>
    (!t.rt.namespaced || !t.namespace || o.metadata.namespace === t.namespace) &&
    (name === undefined || o.metadata.name === name) &&
    matchesLabelQuery(o.metadata.labels, labels) &&
    fields(o);
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  const write = (event: unknown) => res.write(`${JSON.stringify(event)}\n`);
  const relevant = (e: StoreEvent) => e.rt === t.rt && matches(e.object);
  const since = query.get('resourceVersion');
  if (since && since !== '0') {
    const backlog = cluster.store.eventsSince(Number(since));
    if (!backlog) {
      write(goneEvent(since));
      res.end();
      return;
    }
    for (const e of backlog.filter(relevant)) write({ type: e.type, object: e.object });
  } else {
    for (const o of cluster.store.list(t.rt, t.namespace).filter(matches))
      write({ type: 'ADDED', object: o });
  }
  const unsubscribe = cluster.store.subscribe((e) => {
    if (relevant(e)) write({ type: e.type, object: e.object });
  });
  const seconds = Number(query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
  const timer = setTimeout(() => res.end(), Math.max(1, seconds) * 1000);
  timer.unref();
  const stop = () => {
    clearTimeout(timer);
    unsubscribe();
  };
  res.on('close', stop);
  req.on('close', stop);
}
