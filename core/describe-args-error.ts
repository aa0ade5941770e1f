import type { z } from 'zod';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

function ordinal(index: number): string {
  return ORDINALS[index] ?? `${index + 1}th`;
}

/** Which argument an issue is about, in words: "the second argument", "the option gpu=". */
function argumentName(path: readonly PropertyKey[]): string {
  const [where, key] = path;
  if (where === 'positional' && typeof key === 'number') return `the ${ordinal(key)} argument`;
  if (where === 'named' && typeof key === 'string') return `the option ${key}=`;
  if (where === 'positional' || where === undefined) return 'the arguments';
  // Parameters of a remediation or a query: `/remediate scale-replicas replicas=0`.
  return `the parameter ${path.map(String).join('.')}`;
}

/** The bare name of what an issue is about, before a schema's own message ("deployment: …"). */
function shortName(path: readonly PropertyKey[]): string {
  const [where, key] = path;
  if (where === 'positional' && typeof key === 'number') return `The ${ordinal(key)} argument`;
  if (where === 'named' && typeof key === 'string') return key;
  return path.map(String).join('.') || 'The arguments';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One zod issue of a command line as a sentence a person can act on, naming the argument. */
function describeIssue(issue: z.core.$ZodIssue, command: string): string {
  const what = argumentName(issue.path);
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'array' && issue.path[0] === 'positional')
        return Number(issue.maximum) === 0
          ? `${command} takes no arguments.`
          : `${command} takes at most ${plural(Number(issue.maximum), 'argument')}.`;
      return `${capitalise(what)} is too large (at most ${String(issue.maximum)}).`;
    case 'too_small':
      if (issue.origin === 'array' && issue.path[0] === 'positional')
        return `${command} needs at least ${plural(Number(issue.minimum), 'argument')}.`;
      return `${capitalise(what)} is too small (at least ${String(issue.minimum)}).`;
    case 'invalid_value':
      return `${capitalise(what)} must be one of ${issue.values.map(String).join(', ')}.`;
    case 'invalid_type':
      return issue.input === undefined
        ? `${capitalise(what)} is missing.`
        : `${capitalise(what)} must be a ${issue.expected}.`;
    case 'invalid_format':
      // A schema's own message (e.g. "write the silence number, e.g. 3") is written for people.
      return issue.message && !/^invalid/i.test(issue.message)
        ? `${shortName(issue.path)}: ${issue.message.replace(/\.$/, '')}.`
        : `${capitalise(what)} is not in the expected format.`;
    case 'unrecognized_keys':
      return `${command} has no option ${issue.keys.map((k) => `${k}=`).join(', ')}.`;
    default:
      // Messages written for people by a schema (refinements) are kept; zod's own are not shown.
      return issue.code === 'custom' && issue.message
        ? `${shortName(issue.path)}: ${issue.message.replace(/\.$/, '')}.`
        : `${capitalise(what)} is not valid.`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Zod issues as at most three plain sentences, each naming the argument or parameter. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], command: string): string {
  return [...new Set(issues.map((i) => describeIssue(i, command)))].slice(0, 3).join(' ');
}

/**
 * A command's argument errors as plain sentences plus its usage, never zod's own wording
 * ("positional: Too big: expected array to have <=1 items").
 */
export function describeArgsError(handler: { id: string; usage: string }, error: z.ZodError): string {
  return `${describeIssues(error.issues, `/${handler.id}`)} Usage: ${handler.usage}`;
}
