import { createOncallCommand } from '../../handlers/lifecycle/oncall-command.ts';
import { type OncallPolicy, oncallPolicy } from '../../handlers/lifecycle/oncall-policy.ts';
import { createRotationSource } from '../../handlers/lifecycle/oncall-rotation.ts';
import type { OncallSource } from '../../handlers/lifecycle/oncall-source.ts';
import {
  createPagerDutyOncallSource,
  DEFAULT_PAGERDUTY_API_URL,
} from '../../handlers/lifecycle/pagerduty-oncalls.ts';
import type { Config } from '../config.ts';
import type { ModulePlugin } from '../module-list.ts';

/**
 * Local mode's demo rotation: the console's users take weekly turns (Monday 09:00 UTC), with a
 * secondary level a turn behind, so a newcomer sees /oncall and who a P1 pages.
 */
export const DEMO_ONCALL: OncallPolicy = oncallPolicy.parse({
  rotations: [
    { name: 'AI platform primary (demo)', members: ['alice', 'bob', 'carol', 'dave'], start: '2026-11-30' },
    { name: 'AI platform secondary (demo)', members: ['bob', 'carol', 'dave', 'alice'], start: '2026-11-30' },
  ],
});

/** The on-call source the config names: PagerDuty's REST API, else the policy's rotations, else local mode's demo. */
export function oncallSourceOf(config: Config): OncallSource | undefined {
  if (config.pagerDutyApi)
    return createPagerDutyOncallSource({
      ...config.pagerDutyApi,
      apiUrl: config.pagerDutyApi.apiUrl ?? DEFAULT_PAGERDUTY_API_URL,
    });
  const rotations = config.policy.oncall ?? (config.mode === 'local' ? DEMO_ONCALL : undefined);
  return rotations && createRotationSource(rotations);
}

/**
 * `/oncall`, always on (without a source it says how to configure one). Provides the source to
 * the modules after it: paging names who it paged.
 */
export const oncallPlugin: ModulePlugin<object, OncallSource | null, { oncall: OncallSource | undefined }> = {
  id: 'oncall',
  fromConfig: (config) => oncallSourceOf(config) ?? null,
  setUp: (source) => ({
    module: { id: 'oncall', commands: [createOncallCommand(source ?? undefined)] },
    provides: { oncall: source ?? undefined },
  }),
};
