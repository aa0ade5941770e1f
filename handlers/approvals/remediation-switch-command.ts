import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import type { RemediationService } from '../../remediation/flow/service.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';

/** `/remediation off|on|status`: the global kill switch. */
export function createRemediationSwitchCommand(service: RemediationService): CommandHandler {
  return defineCommand({
    id: 'remediation',
    usage: '/remediation off|on|status',
    description: 'Switch all remediations off (kill switch) or on again, or show whether they are on.',
    args: z.object({ positional: z.tuple([z.enum(['off', 'on', 'status'])]) }),
    async handle({ args, user }) {
      const [what] = args.positional;
      if (what === 'status') {
        const on = await service.isEnabled();
        return textReply(`Remediation is ${on ? 'on' : 'off'} (policy mode: ${service.deps.policy.mode}).`);
      }
      await service.setEnabled(what === 'on', user);
      return what === 'on'
        ? textReply(`Remediation switched on by ${user.displayName}.`, 'good')
        : textReply(
            `Remediation switched OFF by ${user.displayName}: nothing will be proposed, approved or executed until /remediation on.`,
            'warning',
          );
    },
  });
}
