import { z } from 'zod';
import { canonicalJson } from '../../core/canonical-json.ts';
import { UserFacingError } from '../../core/errors.ts';
import { sha256 } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, type StepResult } from '../action.ts';
import { type GpuEvidence, type GpuEvidenceReader, gpuEvidence } from '../executors/gpu-evidence.ts';
import type { TicketFiler } from '../executors/ticket-webhook.ts';
import { checkResource, k8sName } from '../guard.ts';

const params = z.object({
  node: k8sName,
  gpu: z.coerce.number().int().min(0).max(15),
});

/** The request as the ticket webhook receives it: plain JSON, every text a plain string. */
const replacementTicket = z.object({
  kind: z.literal('gpu-replacement'),
  title: z.string(),
  evidence: gpuEvidence,
});

const state = z.object({
  filed: z.boolean(),
  ticket: replacementTicket.nullable(),
  idempotencyKey: z.string().nullable(),
});

function portsOf(ctx: ActionContext): { evidence: GpuEvidenceReader; tickets: TicketFiler } {
  if (!ctx.gpuEvidence)
    throw new UserFacingError(
      'NO_GPU_METRICS',
      'Filing a replacement needs the GPU metrics (Prometheus) configured.',
    );
  if (!ctx.tickets)
    throw new UserFacingError(
      'NO_TICKET_WEBHOOK',
      'Filing a replacement needs a ticket webhook: set TICKET_WEBHOOK_URL (and TICKET_WEBHOOK_SECRET).',
    );
  return { evidence: ctx.gpuEvidence, tickets: ctx.tickets };
}

function board(e: GpuEvidence): string {
  const ids = [e.serial && `serial ${e.serial}`, e.uuid && `UUID ${e.uuid}`].filter(Boolean);
  return ids.length ? ids.join(', ') : 'no serial or UUID exported';
}

function counters(e: GpuEvidence): string {
  const n = (v: number | null) => (v === null ? 'not exported' : String(v));
  return (
    `double-bit ECC ${n(e.eccDoubleBitVolatile)}; row remap: failed ${n(e.rowRemapFailed)}, ` +
    `pending ${n(e.rowRemapPending)}, uncorrectable rows ${n(e.rowRemapUncorrectable)}`
  );
}

async function file(plan: { desired: Record<string, unknown> }, ctx: ActionContext): Promise<StepResult> {
  const desired = state.parse(plan.desired);
  if (!desired.ticket || !desired.idempotencyKey) return { ok: false, detail: ['nothing to file'] };
  const { tickets } = portsOf(ctx);
  const answer = await tickets.file(desired.ticket, desired.idempotencyKey);
  return {
    ok: true,
    detail: [`ticket webhook answered ${answer.status}${answer.answer ? `: ${answer.answer}` : ''}`],
  };
}

/**
 * File a GPU for replacement: a request to the ticket webhook carrying the evidence a vendor asks
 * for (XID history, ECC and row-remap counts, serial and UUID), read from the metrics when planned
 * and shown in the plan as it will be sent. The request's idempotency key is derived from its
 * content, so a retry or a second approval of the same plan files one ticket.
 */
export const fileGpuReplacement = defineAction({
  id: 'file-gpu-replacement',
  title: 'File GPU for replacement',
  risk: 'low',
  description:
    'Send a replacement request with the GPU evidence (XIDs, ECC, row remaps, serial) to the ticket webhook.',
  params,
  async plan(p, ctx) {
    checkResource(ctx.guardrails, 'nodes', p.node);
    const { evidence } = portsOf(ctx);
    const e = await evidence(p.node, p.gpu);
    const title = `Replace GPU ${p.gpu} on ${p.node} (${board(e)})`;
    const ticket = replacementTicket.parse({ kind: 'gpu-replacement', title, evidence: e });
    const key = `gpu-replacement:${e.uuid ?? `${p.node}/${p.gpu}`}:${sha256(canonicalJson(ticket)).slice(0, 16)}`;
    const xids = e.xids.length
      ? e.xids.map((x) => `${x.name} ×${x.count} (first ${x.firstSeen})`).join(', ')
      : `no XID in the last ${e.window}`;
    return {
      actionId: 'file-gpu-replacement',
      params: p,
      summary: title,
      targets: [
        { kind: 'GPU', namespace: null, name: `${p.node}/gpu${p.gpu}`, resourceVersion: e.uuid ?? '' },
      ],
      current: { filed: false, ticket: null, idempotencyKey: null },
      desired: { filed: true, ticket, idempotencyKey: key },
      diff: [
        `POST a replacement request for ${p.node} GPU ${p.gpu} (${board(e)}) to the ticket webhook`,
        `XIDs (${e.window}): ${xids}`,
        counters(e),
      ],
      rollback: {
        description: 'Close the request in the ticket tracker; the bot cannot withdraw it',
        action: null,
        params: {},
      },
      notes: [
        ...(e.serial
          ? []
          : ['The exporter exports no serial: enable DCGM_FI_DEV_SERIAL (deploy/dcgm-exporter).']),
        'Drain the node before the hardware is swapped: this request changes nothing on the cluster.',
      ],
    };
  },
  async dryRun(plan, ctx) {
    const desired = state.parse(plan.desired);
    portsOf(ctx);
    // A ticket webhook has no dry run: the request is built, checked and shown, not sent.
    return {
      ok: desired.ticket !== null,
      detail: [
        `request ready (${JSON.stringify(desired.ticket).length} bytes, key ${desired.idempotencyKey})`,
      ],
    };
  },
  apply: (plan, ctx) => file(plan, ctx),
  // The receiver keeps one ticket per key: sending again confirms it holds this one.
  verify: (plan, ctx) => file(plan, ctx),
});
