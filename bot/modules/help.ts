import type { CommandHandler } from '../../handlers/commands/command.ts';
import { createHelpCommand } from '../../handlers/commands/help-command.ts';
import type { CommandsSoFar, ModulePlugin } from '../module-list.ts';

/** `/help`, always on and last in the list: it lists every command before it, and itself. */
export const helpPlugin: ModulePlugin<CommandsSoFar, true> = {
  id: 'help',
  fromConfig: () => true,
  setUp: (_on, { commands }) => {
    const all: CommandHandler[] = [...commands];
    all.push(createHelpCommand(() => all));
    return { module: { id: 'help', commands: all.slice(-1) }, provides: {} };
  },
};
