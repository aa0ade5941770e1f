import type { Matcher } from '../../core/alerts/matchers.ts';
import { editDistance } from '../../queries/gpu/suggest-node.ts';
import { matchLabels } from '../alerts/kinds.ts';
import type { HandlerDeps } from './command.ts';

/** How many open incidents' alerts are read for label names (the same bound the silence uses). */
const OPEN_LIMIT = 10_000;

/** Every label (name → values seen) of the alerts of open incidents. */
async function labelsInUse(deps: HandlerDeps): Promise<Map<string, Set<string>>> {
  const seen = new Map<string, Set<string>>();
  for (const incident of await deps.store.incidents.listOpen(OPEN_LIMIT)) {
    for (const stored of await deps.store.alerts.listByIncident(incident.id)) {
      for (const [name, value] of Object.entries(matchLabels(stored.alert))) {
        const values = seen.get(name) ?? new Set<string>();
        values.add(value);
        seen.set(name, values);
      }
    }
  }
  return seen;
}

/**
 * The label the user probably meant: one that carries the value they typed (`node=node-7` →
 * `Hostname=node-7`), else the same name in another case, else the nearest name.
 */
function didYouMean(m: Matcher, seen: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  if (m.op === '=') {
    for (const [name, values] of seen) if (values.has(m.value)) return `${name}=${m.value}`;
  }
  const lower = m.name.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of seen.keys()) {
    const d = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best && `${best.name}${m.op}${m.value}`;
}

/**
 * Warnings for matchers on labels no open alert carries: such a silence matches nothing now and
 * is usually a misspelt label (`node` where the exporter says `Hostname`). Negative matchers are
 * fine on a missing label, so only `=` and `=~` are checked.
 */
export async function unknownLabelWarnings(
  deps: HandlerDeps,
  matchers: readonly Matcher[],
): Promise<string[]> {
  const positive = matchers.filter((m) => m.op === '=' || m.op === '=~');
  if (positive.length === 0) return [];
  const seen = await labelsInUse(deps);
  const warnings: string[] = [];
  for (const m of positive) {
    if (seen.has(m.name)) continue;
    const hint = didYouMean(m, seen);
    warnings.push(
      `No open alert has a label "${m.name}", so this matcher matches nothing now.${hint ? ` Did you mean ${hint}?` : ''}`,
    );
  }
  return warnings;
}
