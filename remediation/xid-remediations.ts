import type { XidReading } from '../core/gpu/read-xids.ts';
import type { XidAction } from '../core/gpu/xid-catalog.ts';
import type { Suggestion } from './policy.ts';

/** The GPU an XID reading is about. */
export interface XidTarget {
  node: string;
  gpu: number | undefined;
}

/**
 * The remediation each recommended XID action maps to: the catalog says what to do, this says which
 * action does it. Actions a person does in the application (restart it, decode NVLink registers,
 * watch) have none: the card says them in words and offers no button.
 */
const FOR_ACTION: Partial<Record<XidAction, (t: XidTarget) => Suggestion | undefined>> = {
  'reboot-node': (t) => ({
    action: 'reboot-node',
    title: `Propose: Reboot node ${t.node}`,
    params: { node: t.node },
  }),
  'drain-and-reset': (t) => resetOf(t),
  // A reset needs the GPU idle, so "reset the GPU" is a drain and a reset for a serving node.
  'reset-gpu': (t) => resetOf(t),
  'drain-and-diagnose': (t) => ({
    action: 'cordon-node',
    title: `Propose: Drain ${t.node} for diagnostics`,
    params: { node: t.node, drain: true },
  }),
};

function resetOf(t: XidTarget): Suggestion | undefined {
  return t.gpu === undefined
    ? undefined
    : {
        action: 'drain-and-reset-gpu',
        title: `Propose: Drain ${t.node} and reset GPU ${t.gpu}`,
        params: { node: t.node, gpu: t.gpu },
      };
}

/**
 * What the XID knowledge suggests for one GPU's reading: the action its recommended XID action
 * maps to, and filing the GPU for replacement once the catalog's criterion is met (an XID repeating
 * past its `replaceAfter`). Never hard-coded per alert: a new catalog entry with a known action
 * gets its button without code.
 */
export function remediationsForReading(reading: XidReading, target: XidTarget): Suggestion[] {
  const out: Suggestion[] = [];
  const first = reading.action && FOR_ACTION[reading.action]?.(target);
  if (first) out.push(first);
  if (reading.replace && target.gpu !== undefined)
    out.push({
      action: 'file-gpu-replacement',
      title: `Propose: File GPU ${target.gpu} on ${target.node} for replacement`,
      params: { node: target.node, gpu: target.gpu },
    });
  return out;
}
