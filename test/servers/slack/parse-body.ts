import type { IncomingMessage } from 'node:http';

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A parsed Web API request: string fields as sent, files from multipart bodies as bytes. */
export interface ParsedBody {
  fields: Record<string, unknown>;
  files: Record<string, Buffer>;
}

/**
 * Parses a Web API body the way Slack accepts it: `application/x-www-form-urlencoded` (what
 * WebClient sends, objects as JSON strings), `application/json`, or `multipart/form-data`
 * (WebClient switches to it when an argument is binary). Multipart parsing uses the platform's
 * own `Response#formData`, so no hand-written MIME parser can hide a bug.
 */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return { fields: {}, files: {} };
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('JSON body must be an object');
    return { fields: parsed as Record<string, unknown>, files: {} };
  }
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType! },
    }).formData();
    const fields: Record<string, unknown> = {};
    const files: Record<string, Buffer> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') fields[key] = value;
      else files[key] = Buffer.from(await value.arrayBuffer());
    }
    return { fields, files };
  }
  return { fields: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: {} };
}

/**
 * Form-encoded arguments arrive as strings; JSON ones may already be structured. Returns the
 * structured value, or undefined when the argument is absent; throws when it is not valid JSON.
 */
export function jsonArgument(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** A string argument, or undefined. Numbers (JSON bodies) are turned into strings. */
export function stringArgument(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
