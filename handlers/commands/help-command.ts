import { z } from 'zod';
import { buildMessage } from '../../core/message.ts';
import type { CommandHandler } from './command.ts';

/** `/help`: the commands this bot understands, built from the registered list. */
export function createHelpCommand(list: () => readonly CommandHandler[]): CommandHandler {
  return {
    id: 'help',
    usage: '/help',
    description: 'Show the commands.',
    args: z.object({}),
    async handle() {
      return buildMessage({
        header: { title: 'On-call bot commands', status: 'info' },
        sections: [
          {
            kind: 'table',
            columns: ['Command', 'What it does'],
            rows: list().map((c) => [c.usage, c.description]),
          },
          {
            kind: 'text',
            text: 'Commands work with or without the leading slash; in an incident thread the incident id can be left out.',
          },
        ],
      });
    },
  };
}
