import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the local server received it. */
export interface ReceivedChat {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** What the server answers to the next chat completion request. */
export type ScriptedReply =
  | { kind: 'tool'; name: string; arguments: string }
  | { kind: 'tools'; calls: { name: string; arguments: string }[] }
  | { kind: 'content'; text: string }
  | { kind: 'status'; status: number; message: string; headers?: Record<string, string> }
  | { kind: 'raw'; body: string }
  /** Never answers; the connection stays open until the server is closed. */
  | { kind: 'hang' };

export interface OpenAiServer {
  url: string;
  /** Every chat completion request, in arrival order (including rejected ones). */
  received: ReceivedChat[];
  /** Queues replies, used in order; with none queued the server answers 500. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export interface OpenAiServerOptions {
  apiKey: string;
  /** `openai`: `POST /v1/chat/completions` with a bearer key; `azure`: deployments path, `api-key`. */
  flavour?: 'openai' | 'azure';
  /** Tokens reported in `usage` for every answered request. */
  usage?: { prompt: number; completion: number };
}

/** Problems a strict function schema has for the real API (it answers 400 "Invalid schema"). */
export function strictSchemaProblems(schema: unknown, at = 'parameters'): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const problems: string[] = [];
  if ('default' in s) problems.push(`${at}: 'default' is not permitted`);
  if (s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'))) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    if (s.additionalProperties !== false)
      problems.push(`${at}: 'additionalProperties' is required to be false`);
    const missing = Object.keys(props).filter((k) => !required.includes(k));
    if (missing.length > 0)
      problems.push(`${at}: 'required' must include every key in properties; missing ${missing.join(', ')}`);
    for (const [k, v] of Object.entries(props)) problems.push(...strictSchemaProblems(v, `${at}.${k}`));
  }
  if (Array.isArray(s.anyOf))
    for (const [i, v] of s.anyOf.entries()) problems.push(...strictSchemaProblems(v, `${at}.anyOf[${i}]`));
  if (s.items) problems.push(...strictSchemaProblems(s.items, `${at}.items`));
  return problems;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

/**
 * A local stand-in for the chat completions API of OpenAI (`POST /v1/chat/completions`, bearer
 * key) or Azure OpenAI (`POST /openai/deployments/{deployment}/chat/completions?api-version=…`,
 * `api-key` header) on a loopback port. It checks the key and that function tools marked strict
 * have strict schemas, like the real service, and answers with scripted completions.
 */
export async function startOpenAiServer(options: OpenAiServerOptions): Promise<OpenAiServer> {
  const flavour = options.flavour ?? 'openai';
  const usage = options.usage ?? { prompt: 812, completion: 23 };
  const received: ReceivedChat[] = [];
  const queue: ScriptedReply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path =
        flavour === 'openai'
          ? /^\/v1\/chat\/completions$/
          : /^\/openai\/deployments\/[^/]+\/chat\/completions$/;
      if (req.method !== 'POST' || !path.test(url.pathname))
        return sendJson(res, 404, errorBody('Not found', 'invalid_request_error', null));
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return sendJson(
          res,
          400,
          errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null),
        );
      }
      received.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body });
      const key =
        flavour === 'openai' ? req.headers.authorization?.replace(/^Bearer /, '') : req.headers['api-key'];
      if (key !== options.apiKey)
        return sendJson(
          res,
          401,
          errorBody(
            `Incorrect API key provided: ${String(key)}.`,
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
      if (flavour === 'azure' && !url.searchParams.get('api-version'))
        return sendJson(res, 404, errorBody('Resource not found', 'invalid_request_error', '404'));
      const tools = Array.isArray(body.tools)
        ? (body.tools as { function?: { name?: string; strict?: boolean; parameters?: unknown } }[])
        : [];
      for (const t of tools) {
        const problems = t.function?.strict ? strictSchemaProblems(t.function.parameters) : [];
        if (problems.length > 0)
          return sendJson(
            res,
            400,
            errorBody(
              `Invalid schema for function '${t.function?.name}': ${problems[0]}`,
              'invalid_request_error',
              'invalid_function_parameters',
            ),
          );
      }
      const reply = queue.shift();
      if (!reply) return sendJson(res, 500, errorBody('No scripted reply', 'server_error', null));
      if (reply.kind === 'hang') return;
      if (reply.kind === 'raw') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(reply.body);
      }
      if (reply.kind === 'status') {
        const type = reply.status === 429 ? 'rate_limit_exceeded' : 'server_error';
        return sendJson(
          res,
          reply.status,
          errorBody(reply.message, type, String(reply.status)),
          reply.headers,
        );
      }
      const calls = reply.kind === 'tool' ? [reply] : reply.kind === 'tools' ? reply.calls : [];
      sendJson(res, 200, {
        id: `chatcmpl-${received.length}`,
        object: 'chat.completion',
        created: 1_764_000_000,
        model: String(body.model ?? 'unknown'),
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply.kind === 'content' ? reply.text : null,
              refusal: null,
              ...(calls.length > 0
                ? {
                    tool_calls: calls.map((c, i) => ({
                      id: `call_${i}`,
                      type: 'function',
                      function: { name: c.name, arguments: c.arguments },
                    })),
                  }
                : {}),
            },
            logprobs: null,
            finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
          },
        ],
        usage: {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          total_tokens: usage.prompt + usage.completion,
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
