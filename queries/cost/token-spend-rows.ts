import { z } from 'zod';
import type { LogsBackend } from '../backends/logs-backend.ts';
import { amountCell, countCell, resultRows } from './result-rows.ts';

const row = z.object({
  TimeGenerated: z.string(),
  Team: z
    .string()
    .nullable()
    .transform((t) => t ?? ''),
  Deployment: z.string(),
  ModelVersion: z
    .string()
    .nullable()
    .transform((v) => v ?? ''),
  PromptTokens: countCell,
  CompletionTokens: countCell,
  UnpricedTokens: countCell,
  CostUsd: amountCell,
});

/** One bucket of token spend for one team, deployment and model version. */
export interface TokenSpendRow {
  /** Start of the bucket, epoch ms. */
  at: number;
  team: string;
  deployment: string;
  modelVersion: string;
  tokens: number;
  unpricedTokens: number;
  cost: number;
}

/** What to count: a time range (epoch ms), the bucket, and optionally one team or deployment. */
export interface TokenSpendAsk {
  startMs: number;
  endMs: number;
  bucket: '1h' | '1d';
  team?: string;
  deployment?: string;
}

/**
 * Runs the vetted `token-spend` query. The price table is not passed: the query policy binds the
 * policy file's `pricing` to it, the only place prices come from.
 */
export async function tokenSpendBetween(logs: LogsBackend, ask: TokenSpendAsk): Promise<TokenSpendRow[]> {
  const run = await logs.run('token-spend', {
    window: '31d',
    start: new Date(ask.startMs).toISOString(),
    end: new Date(ask.endMs).toISOString(),
    bucket: ask.bucket,
    team: ask.team ?? '',
    deployment: ask.deployment ?? '',
  });
  return resultRows(run.result, row, 'token-spend').map((r) => ({
    at: Date.parse(r.TimeGenerated),
    team: r.Team,
    deployment: r.Deployment,
    modelVersion: r.ModelVersion,
    tokens: r.PromptTokens + r.CompletionTokens,
    unpricedTokens: r.UnpricedTokens,
    cost: r.CostUsd,
  }));
}
