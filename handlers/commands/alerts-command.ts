import { z } from 'zod';
import { incidentList } from '../../cards/templates/incident-list.ts';
import { defineCommand } from './command.ts';

/** `/alerts`: the open incidents, most urgent first. */
export const alertsCommand = defineCommand({
  id: 'alerts',
  usage: '/alerts',
  description: 'List open incidents, most urgent first.',
  args: z.object({}),
  async handle(_ctx, deps) {
    return incidentList(await deps.store.incidents.listOpen(200), deps.clock.now());
  },
});
