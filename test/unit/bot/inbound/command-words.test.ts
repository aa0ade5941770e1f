import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDispatcher, type Dispatcher } from '../../../../bot/inbound/dispatcher.ts';
import { createLogger } from '../../../../bot/logger.ts';
import { defaultPolicy } from '../../../../bot/policy.ts';
import { textReply } from '../../../../cards/templates/incident-replies.ts';
import type { Message } from '../../../../core/message.ts';
import type { Store } from '../../../../core/store.ts';
import { defineCommand } from '../../../../handlers/commands/command.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';

const user = { id: 'console:alice', displayName: 'alice' };
const place = { surface: 'console' as const, channel: 'oncall', thread: null };

/** A command shaped like /gpu: exactly one node name. */
const gpu = defineCommand({
  id: 'gpu',
  usage: '/gpu <node>',
  description: 'GPU state of a node',
  args: z.object({
    positional: z.array(z.string().regex(/^node-\d+$/, 'name one node, e.g. /gpu node-7')).length(1),
  }),
  handle: async ({ args }) => textReply(`gpu card for ${args.positional[0]}`),
});
/** A command shaped like /alerts: no arguments. */
const alerts = defineCommand({
  id: 'alerts',
  usage: '/alerts',
  description: 'Open incidents',
  args: z.object({ positional: z.array(z.string()).max(0) }),
  handle: async () => textReply('open incidents'),
});

function text(m: Message): string {
  return m.sections.map((s) => ('text' in s ? String(s.text) : '')).join('\n');
}

describe('a command word typed as a question', () => {
  let store: Store;
  let asked: string[];
  let dispatcher: Dispatcher;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
    asked = [];
    dispatcher = createDispatcher({
      commands: [gpu, alerts],
      buttons: [],
      handlerDeps: { store, policy: defaultPolicy(), clock: { now: () => 1_764_338_400_000 }, targets: [] },
      logger: createLogger({ level: 'silent' }),
      onQueued: () => undefined,
      answerQuestion: async (question) => {
        asked.push(question);
        return textReply(`answer to ${question}`);
      },
    });
  });
  afterEach(() => store.close?.());

  const send = (
    event: { kind: 'command'; name: string; args: string } | { kind: 'question'; text: string },
  ) => dispatcher.dispatch({ ...event, user, place });

  it('runs the command when a trailing question mark is all that is extra', async () => {
    expect(text(await send({ kind: 'command', name: 'gpu', args: 'node-7?' }))).toBe('gpu card for node-7');
    expect(text(await send({ kind: 'question', text: 'alerts?' }))).toBe('open incidents');
    expect(asked).toEqual([]);
  });

  it('answers as a question when the rest is not the command’s arguments, and says why', async () => {
    const reply = await send({ kind: 'command', name: 'gpu', args: 'memory on node 3' });
    expect(asked).toEqual(['gpu memory on node 3']);
    expect(text(reply)).toContain('answer to gpu memory on node 3');
    expect(reply.sections.at(-1)).toMatchObject({
      kind: 'notice',
      text: expect.stringContaining('Read as a question: "memory on node 3" is not what /gpu takes.'),
    });
    await send({ kind: 'command', name: 'alerts', args: 'about gpt-4o today' });
    expect(asked).toEqual(['gpu memory on node 3', 'alerts about gpt-4o today']);
  });

  it('still gives the usage error when no question answerer is configured', async () => {
    const bare = createDispatcher({
      commands: [gpu],
      buttons: [],
      handlerDeps: { store, policy: defaultPolicy(), clock: { now: () => 1_764_338_400_000 }, targets: [] },
      logger: createLogger({ level: 'silent' }),
      onQueued: () => undefined,
    });
    const reply = await bare.dispatch({
      kind: 'command',
      name: 'gpu',
      args: 'memory on node 3',
      user,
      place,
    });
    expect(text(reply)).toMatch(/gpu/);
    expect(text(reply)).not.toContain('Read as a question');
  });
});
