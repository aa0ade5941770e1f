import type { Incident } from '../../core/alerts/incident.ts';
import type { OncallSource } from '../../handlers/lifecycle/oncall-source.ts';
import { DEFAULT_PAGERDUTY_EVENTS_URL } from '../../handlers/paging/pagerduty-client.ts';
import { createPagingModule } from '../../handlers/paging/paging-module.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

/**
 * Paging, escalation and the P3 digest: on when PagerDuty or a `paging` policy is configured.
 * Provides the rule that holds P3 cards back for the digest, which the outbox applies.
 */
export const pagingPlugin: ModulePlugin<
  Pick<ModuleParts, 'store' | 'targets' | 'clock' | 'logger' | 'queued'> & {
    oncall: OncallSource | undefined;
  },
  Config,
  { holdsIncidentCard: (incident: Incident) => boolean }
> = {
  id: 'paging',
  fromConfig: (config) => (config.pagerDuty || config.policy.paging !== undefined ? config : undefined),
  async setUp(config, needs) {
    const module = createPagingModule({
      repo: needs.store.paging,
      policy: config.policy.paging,
      timeZone: config.policy.timeZone,
      pagerDuty: config.pagerDuty && {
        routingKey: config.pagerDuty.routingKey,
        eventsUrl: config.pagerDuty.eventsUrl ?? DEFAULT_PAGERDUTY_EVENTS_URL,
      },
      publicUrl: config.publicUrl,
      smtp: config.smtp,
      store: needs.store,
      targets: needs.targets,
      clock: needs.clock,
      logger: needs.logger,
      onQueued: needs.queued,
      oncall: needs.oncall,
    });
    return { module, provides: { holdsIncidentCard: module.holdsIncidentCard } };
  },
};
