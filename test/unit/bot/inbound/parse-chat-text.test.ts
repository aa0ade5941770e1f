import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nearestCommand } from '../../../../bot/inbound/dispatcher.ts';
import { parseChatText } from '../../../../bot/inbound/parse-chat-text.ts';
import { describeArgsError } from '../../../../core/describe-args-error.ts';

const known = new Set(['ack', 'alerts', 'resolve', 'silence', 'silences', 'help']);

describe('parseChatText', () => {
  it('treats text that starts with a slash as a command, known or not', () => {
    expect(parseChatText('/oncall', known)).toEqual({ kind: 'command', name: 'oncall', args: '' });
    expect(parseChatText('<at>Bot</at> /Resolv INC-4 done', known)).toEqual({
      kind: 'command',
      name: 'resolv',
      args: 'INC-4 done',
    });
    expect(parseChatText('ack INC-4', known)).toEqual({ kind: 'command', name: 'ack', args: 'INC-4' });
    expect(parseChatText('oncall who is it', known)).toEqual({ kind: 'question', text: 'oncall who is it' });
    expect(parseChatText('what is /var full of?', known)).toMatchObject({ kind: 'question' });
  });

  it('finds the nearest command for a typo, and none for something far off', () => {
    expect(nearestCommand('resolv', known)).toBe('resolve');
    expect(nearestCommand('silense', known)).toBe('silence');
    expect(nearestCommand('alert', known)).toBe('alerts');
    expect(nearestCommand('oncall', known)).toBeUndefined();
  });
});

describe('describeArgsError', () => {
  const fail = (schema: z.ZodType, value: unknown) => {
    const r = schema.safeParse(value);
    if (r.success) throw new Error('expected a failure');
    return r.error;
  };
  it('says which argument is wrong in words, with the usage, never zod’s wording', () => {
    const audit = { id: 'audit', usage: '/audit [incident]' };
    const tooMany = fail(z.object({ positional: z.array(z.string()).max(1) }), { positional: ['a', 'b'] });
    expect(describeArgsError(audit, tooMany)).toBe(
      '/audit takes at most 1 argument. Usage: /audit [incident]',
    );
    const sw = { id: 'remediation', usage: '/remediation off|on|status' };
    const bad = fail(z.object({ positional: z.tuple([z.enum(['off', 'on', 'status'])]) }), {
      positional: ['of'],
    });
    expect(describeArgsError(sw, bad)).toBe(
      'The first argument must be one of off, on, status. Usage: /remediation off|on|status',
    );
    const gpu = { id: 'gpu', usage: '/gpu [node] [gpu=N]' };
    const num = fail(z.object({ named: z.object({ gpu: z.coerce.number().int().max(15) }) }), {
      named: { gpu: '99' },
    });
    expect(describeArgsError(gpu, num)).toBe(
      'The option gpu= is too large (at most 15). Usage: /gpu [node] [gpu=N]',
    );
    for (const e of [tooMany, bad, num])
      expect(describeArgsError(audit, e)).not.toMatch(/Too big|expected|Invalid/);
  });
});
