import { buildMessage, type Message, type MessageAction, type Tone } from '../../core/message.ts';
import type { Proposal } from '../../core/remediation/proposal.ts';
import { REMEDIATION_VERBS } from './remediation-proposal.ts';

/** A "Propose rollback" button: the rollback is itself a proposal that needs approval. */
export function rollbackButton(p: Proposal): MessageAction | undefined {
  const { action, params } = p.plan.rollback;
  if (!action) return undefined;
  return {
    verb: REMEDIATION_VERBS.propose,
    title: 'Propose rollback',
    style: 'destructive',
    data: {
      action,
      params: JSON.stringify(params),
      ...(p.incidentId !== null ? { incidentId: p.incidentId } : {}),
      rollbackOf: p.id,
    },
  };
}

/** A step of a remediation, posted in its thread: applied, verified, failed, void. */
export function remediationProgressReply(
  p: Proposal,
  text: string,
  tone: Tone,
  detail: readonly string[] = [],
  offerRollback = false,
): Message {
  const button = offerRollback ? rollbackButton(p) : undefined;
  return buildMessage({
    sections: [
      { kind: 'notice', tone, text: `Remediation #${p.id} (${p.actionId}): ${text}` },
      ...(detail.length ? [{ kind: 'text' as const, text: detail.join('\n') }] : []),
      ...(offerRollback
        ? [{ kind: 'text' as const, text: `Rollback available: ${p.plan.rollback.description}` }]
        : []),
    ],
    actions: button ? [button] : [],
  });
}
