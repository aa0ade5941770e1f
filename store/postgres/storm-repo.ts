import { messageRef } from '../../core/outbox/outbox-entry.ts';
import type { StormRepo } from '../../core/store.ts';
import { fromJson, toJson } from '../json.ts';
import {
  STORM_INCIDENT_COLUMNS,
  type StormIncidentRow,
  type StormRow,
  toStorm,
  toStormIncident,
} from '../rows.ts';
import type { Db } from './db.ts';

export function createStormRepo(db: Db): StormRepo {
  const one = async (sql: string, values: unknown[]) => {
    const [row] = await db.query<StormRow>(sql, values);
    return row && toStorm(row);
  };
  return {
    current: () => one('SELECT * FROM storms WHERE ended_at IS NULL', []),
    async open(now) {
      const [row] = await db.query<StormRow>(
        'INSERT INTO storms (started_at, last_incident_at) VALUES ($1, $1) RETURNING *',
        [now],
      );
      return toStorm(row!);
    },
    get: (id) => one('SELECT * FROM storms WHERE id = $1', [id]),
    async fold(stormId, incidentId, now) {
      await db.query('UPDATE incidents SET storm_id = $1 WHERE id = $2', [stormId, incidentId]);
      await db.query('UPDATE storms SET last_incident_at = greatest(last_incident_at, $1) WHERE id = $2', [
        now,
        stormId,
      ]);
    },
    async release(incidentId) {
      await db.query('UPDATE incidents SET storm_id = NULL WHERE id = $1', [incidentId]);
    },
    async end(id, now) {
      await db.query('UPDATE storms SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL', [now, id]);
    },
    async listIncidents(stormId) {
      const rows = await db.query<StormIncidentRow>(
        `SELECT ${STORM_INCIDENT_COLUMNS} FROM incidents WHERE storm_id = $1 ORDER BY id DESC`,
        [stormId],
      );
      return rows.map(toStormIncident);
    },
    async getMessage(stormId, surface) {
      const [row] = await db.query<{ ref: string }>(
        'SELECT ref FROM storm_messages WHERE storm_id = $1 AND surface = $2',
        [stormId, surface],
      );
      return row && messageRef.parse(fromJson(row.ref));
    },
    async saveMessage(stormId, ref, now) {
      await db.query(
        `INSERT INTO storm_messages (storm_id, surface, ref, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (storm_id, surface) DO UPDATE SET ref = excluded.ref`,
        [stormId, ref.surface, toJson(ref), now],
      );
    },
  };
}
