import type { LabelSelector } from './shapes.ts';
import { badRequest } from './status.ts';
import type { KubeObject } from './store.ts';

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!exists'; values: string[] };
type Labels = Record<string, string> | undefined;

/** Parse a `labelSelector` query string (`a=b,c!=d,e in (x,y),!f,g`). 400 on bad syntax. */
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const s = part.trim();
    if (!s) continue;
    const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(s);
    const cmp = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(s);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      reqs.push({ key: set[1] as string, op: set[2] as 'in' | 'notin', values });
    } else if (cmp) {
      reqs.push({ key: cmp[1] as string, op: cmp[2] === '!=' ? 'notin' : 'in', values: [cmp[3] ?? ''] });
    } else if (/^![\w./-]+$/.test(s)) {
      reqs.push({ key: s.slice(1), op: '!exists', values: [] });
    } else if (/^[\w./-]+$/.test(s)) {
      reqs.push({ key: s, op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: ${s}`);
    }
  }
  return reqs;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function matches(labels: Labels, reqs: Requirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    if (r.op === 'exists') return has;
    if (r.op === '!exists') return !has;
    if (r.op === 'in') return has && r.values.includes(l[r.key] as string);
    return !has || !r.values.includes(l[r.key] as string);
  });
}

/** True when the labels satisfy a parsed selector string. */
export function matchesLabelQuery(labels: Labels, reqs: Requirement[]): boolean {
  return matches(labels, reqs);
}

/** True when the labels satisfy a meta/v1 LabelSelector. An empty selector matches everything. */
export function matchesSelector(labels: Labels, selector: LabelSelector | undefined): boolean {
  if (!selector) return false;
  const reqs: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: 'in',
    values: [v],
  }));
  for (const e of selector.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' } as const)[e.operator];
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return matches(labels, reqs);
}

/** A LabelSelector printed as a selector string (`app=llm-api`), as in Scale.status.selector. */
export function formatSelector(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

const fieldPaths: Record<string, (o: KubeObject) => unknown> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
  'spec.nodeName': (o) => (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '',
  'spec.unschedulable': (o) =>
    String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false),
  'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '',
};

/** Build a predicate from a `fieldSelector` (`spec.nodeName=node-3,status.phase!=Failed`). */
export function parseFieldSelector(text: string): (o: KubeObject) => boolean {
  const tests = text
    .split(',')
    .filter((s) => s.trim())
    .map((s) => {
      const m = /^\s*([\w.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(s);
      const read = m ? fieldPaths[m[1] as string] : undefined;
      if (!m || !read) throw badRequest(`field label not supported: ${m?.[1] ?? s}`);
      const negate = m[2] === '!=';
      return (o: KubeObject) => (String(read(o) ?? '') === m[3]) !== negate;
    });
  return (o) => tests.every((t) => t(o));
}
