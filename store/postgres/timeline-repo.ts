import { timelineRow } from '../../core/alerts/timeline.ts';
import type { TimelineRepo } from '../../core/store.ts';
import { type TimelineRow, toTimelineEvent } from '../rows.ts';
import type { Db } from './db.ts';

export function createTimelineRepo(db: Db): TimelineRepo {
  return {
    async record(event) {
      const e = timelineRow(event);
      await db.query(
        `INSERT INTO timeline_events (incident_id, at, type, actor, actor_name, detail)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [e.incidentId, e.at, e.type, e.actor, e.actorName, e.detail],
      );
    },
    async list(incidentId, limit) {
      const rows = await db.query<TimelineRow>(
        'SELECT * FROM timeline_events WHERE incident_id = $1 ORDER BY id DESC LIMIT $2',
        [incidentId, limit],
      );
      const [count] = await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM timeline_events WHERE incident_id = $1',
        [incidentId],
      );
      return { events: rows.map(toTimelineEvent).reverse(), total: Number(count?.n ?? 0) };
    },
    async listOfTypes(incidentIds, types) {
      if (incidentIds.length === 0 || types.length === 0) return [];
      const rows = await db.query<TimelineRow>(
        `SELECT * FROM timeline_events WHERE incident_id = ANY($1::bigint[]) AND type = ANY($2::text[])
         ORDER BY at, id`,
        [incidentIds, types],
      );
      return rows.map(toTimelineEvent);
    },
  };
}
