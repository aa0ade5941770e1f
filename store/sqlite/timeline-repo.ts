import type Database from 'better-sqlite3';
import { timelineRow } from '../../core/alerts/timeline.ts';
import type { TimelineRepo } from '../../core/store.ts';
import { type TimelineRow, toTimelineEvent } from '../rows.ts';

export function createTimelineRepo(db: Database.Database): TimelineRepo {
  const insert = db.prepare(
    `INSERT INTO timeline_events (incident_id, at, type, actor, actor_name, detail)
     VALUES (@incidentId, @at, @type, @actor, @actorName, @detail)`,
  );
  const latest = db.prepare<[number, number], TimelineRow>(
    'SELECT * FROM timeline_events WHERE incident_id = ? ORDER BY id DESC LIMIT ?',
  );
  const count = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM timeline_events WHERE incident_id = ?',
  );
  // JSON arrays keep the statement one shape however many ids there are.
  const ofTypes = db.prepare<[string, string], TimelineRow>(
    `SELECT * FROM timeline_events
     WHERE incident_id IN (SELECT value FROM json_each(?)) AND type IN (SELECT value FROM json_each(?))
     ORDER BY at, id`,
  );
  return {
    async record(event) {
      insert.run(timelineRow(event));
    },
    async list(incidentId, limit) {
      const events = latest.all(incidentId, limit).map(toTimelineEvent).reverse();
      return { events, total: count.get(incidentId)?.n ?? 0 };
    },
    async listOfTypes(incidentIds, types) {
      if (incidentIds.length === 0 || types.length === 0) return [];
      return ofTypes.all(JSON.stringify(incidentIds), JSON.stringify(types)).map(toTimelineEvent);
    },
  };
}
