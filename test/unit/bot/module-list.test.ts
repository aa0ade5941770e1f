import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../../bot/config.ts';
import { type CommandsSoFar, closeModules, ModuleList, type ModulePlugin } from '../../../bot/module-list.ts';
import { helpPlugin } from '../../../bot/modules/help.ts';
import { createQueuedSignal } from '../../../bot/outbox/queued-signal.ts';
import type { CommandHandler } from '../../../handlers/commands/command.ts';

const config = loadConfig({ SIM: 'off' });

const command = (id: string): CommandHandler => ({
  id,
  usage: `/${id}`,
  description: `the ${id} command`,
  args: z.object({}),
  handle: async () => ({ sections: [], actions: [] }) as never,
});

interface Base {
  log: string[];
}

/** A module that provides a greeting, on unless told otherwise. */
const greeter = (on: boolean): ModulePlugin<Base, true, { greeting: string }> => ({
  id: 'greeter',
  fromConfig: () => (on ? true : undefined),
  setUp: (_on, { log }) => ({
    module: {
      id: 'greeter',
      commands: [command('hello')],
      close: async () => void log.push('close greeter'),
    },
    provides: { greeting: 'hi' },
  }),
});

/** A module that needs the greeting (and is set up whatever it is). */
const listener: ModulePlugin<Base & { greeting: string | undefined } & CommandsSoFar, string> = {
  id: 'listener',
  fromConfig: (_config, { greeting }) => greeting ?? 'nobody greeted',
  setUp: (heard, { log, commands }) => {
    log.push(`heard ${heard} after ${commands.map((c) => c.id).join(',') || 'no commands'}`);
    return {
      module: {
        id: 'listener',
        commands: [command('echo')],
        close: async () => void log.push('close listener'),
      },
      provides: {},
    };
  },
};

describe('ModuleList', () => {
  it('sets modules up in order, each given what the ones before it provided, by name', async () => {
    const log: string[] = [];
    const list = ModuleList.of<Base>().add(greeter(true)).add(listener).add(helpPlugin);
    const { modules, provided } = await list.setUp(config, { log });
    expect(modules.map((m) => m.id)).toEqual(['greeter', 'listener', 'help']);
    expect(log).toEqual(['heard hi after hello']);
    expect(provided.greeting).toBe('hi');
    // Every command so far, /help last; /help lists all of them, itself included.
    expect(provided.commands.map((c) => c.id)).toEqual(['hello', 'echo', 'help']);
    const help = await provided.commands
      .at(-1)!
      .handle(
        { args: {}, user: { id: 'console:alice' } as never, place: {} as never, incidentId: undefined },
        {} as never,
      );
    expect(JSON.stringify(help)).toContain('/hello');
    expect(JSON.stringify(help)).toContain('/help');
  });

  it('a module that is off is left out, and what it would provide is undefined for the next', async () => {
    const log: string[] = [];
    const { modules, provided } = await ModuleList.of<Base>()
      .add(greeter(false))
      .add(listener)
      .setUp(config, { log });
    expect(modules.map((m) => m.id)).toEqual(['listener']);
    expect(provided.greeting).toBeUndefined();
    expect(log).toEqual(['heard nobody greeted after no commands']);
  });

  it('closes in reverse order; a failed set-up closes the modules before it and fails the start', async () => {
    const log: string[] = [];
    const { modules } = await ModuleList.of<Base>().add(greeter(true)).add(listener).setUp(config, { log });
    await closeModules(modules);
    expect(log.slice(1)).toEqual(['close listener', 'close greeter']);

    const broken: ModulePlugin<Base, true> = {
      id: 'broken',
      fromConfig: () => true,
      setUp: () => {
        throw new Error('cannot open its tables');
      },
    };
    log.length = 0;
    const failing = ModuleList.of<Base>().add(greeter(true)).add(listener).add(broken);
    await expect(failing.setUp(config, { log })).rejects.toThrow('cannot open its tables');
    expect(log.slice(1)).toEqual(['close listener', 'close greeter']);
  });

  it('refuses a module listed twice', () => {
    expect(() => ModuleList.of<Base>().add(greeter(true)).add(greeter(false))).toThrow(
      /"greeter" is listed twice/,
    );
  });
});

describe('QueuedSignal', () => {
  it('wakes its one listener; a notification before anyone listens is dropped', () => {
    const signal = createQueuedSignal();
    signal.notify();
    let woken = 0;
    signal.listen(() => woken++);
    signal.notify();
    signal.notify();
    expect(woken).toBe(2);
    expect(() => signal.listen(() => undefined)).toThrow(/one delivery loop/);
  });
});
