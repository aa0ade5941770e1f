import { z } from 'zod';

/** Why an LLM answer was not used; the question then goes to the offline router. */
export const llmFailure = z.enum([
  'timeout',
  'rate-limited',
  'http-error',
  'connection',
  'bad-response',
  'no-tool-call',
  'multiple-tool-calls',
  'unknown-tool',
  'bad-arguments-json',
  'invalid-arguments',
]);
export type LlmFailure = z.infer<typeof llmFailure>;

/** The part of a chat completion the router reads; anything else in the response is ignored. */
const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                type: z.literal('function'),
                function: z.object({ name: z.string(), arguments: z.string() }),
              }),
            )
            .nullish(),
        }),
      }),
    )
    .min(1),
  usage: z
    .object({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0) })
    .nullish(),
});

export interface TokenUsage {
  prompt: number;
  completion: number;
}

export type ReadToolCall =
  | { ok: true; name: string; arguments: string; usage: TokenUsage | undefined }
  | { ok: false; failure: LlmFailure; usage: TokenUsage | undefined };

/** The single tool call of a completion, validated; a reply in prose or several calls is a failure. */
export function readToolCall(response: unknown): ReadToolCall {
  const parsed = completionSchema.safeParse(response);
  if (!parsed.success) return { ok: false, failure: 'bad-response', usage: undefined };
  const u = parsed.data.usage;
  const usage = u ? { prompt: u.prompt_tokens, completion: u.completion_tokens } : undefined;
  const calls = parsed.data.choices[0]!.message.tool_calls ?? [];
  if (calls.length === 0) return { ok: false, failure: 'no-tool-call', usage };
  if (calls.length > 1) return { ok: false, failure: 'multiple-tool-calls', usage };
  const call = calls[0]!.function;
  return { ok: true, name: call.name, arguments: call.arguments, usage };
}
