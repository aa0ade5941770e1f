import type { z } from 'zod';
import { describeParam } from '../../queries/params.ts';

/**
 * Why arguments fail a tool's schema, one sentence per parameter, each naming it and, for vetted
 * query parameters, the form they accept. The values themselves are never echoed back.
 */
export function describeArgumentIssues(tool: string, schema: z.ZodObject, error: z.ZodError): string {
  const shape = schema.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape).join(', ') || 'none';
  const lines = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map((k) => `"${k.slice(0, 40)}"`).join(', ');
      return `${names}: not a parameter of ${tool}; its parameters are ${known}.`;
    }
    const name = issue.path.map(String).join('.');
    if (!name) return `The arguments of ${tool} must be an object of named parameters (${known}).`;
    const top = shape[String(issue.path[0])];
    const form = top && issue.path.length === 1 ? describeParam(top)?.form : undefined;
    return `Parameter "${name}" of ${tool}: ${form ? `expected ${form}` : issue.message}.`;
  });
  return [...new Set(lines)].join(' ');
}
