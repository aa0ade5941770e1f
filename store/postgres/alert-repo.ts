import { serializeAlert } from '../../core/alerts/alert.ts';
import type { AlertRepo } from '../../core/store.ts';
import { type AlertRow, toAlertState, toStatusCounts, toStored } from '../rows.ts';
import type { Db } from './db.ts';

const UPSERT = `
  INSERT INTO alerts (source, fingerprint, incident_id, status, body, first_seen_at, last_seen_at, resolved_at,
                      refire_count, receive_count)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (source, fingerprint) DO UPDATE SET
    incident_id = excluded.incident_id, status = excluded.status, body = excluded.body,
    last_seen_at = excluded.last_seen_at, resolved_at = excluded.resolved_at,
    refire_count = excluded.refire_count, receive_count = excluded.receive_count`;

export function createAlertRepo(db: Db): AlertRepo {
  return {
    async get(source, fingerprint) {
      const [row] = await db.query<AlertRow>('SELECT * FROM alerts WHERE source = $1 AND fingerprint = $2', [
        source,
        fingerprint,
      ]);
      return row && toStored(row);
    },
    async getState(source, fingerprint) {
      const [row] = await db.query<AlertRow>('SELECT * FROM alerts WHERE source = $1 AND fingerprint = $2', [
        source,
        fingerprint,
      ]);
      return row && toAlertState(row);
    },
    async touch(source, fingerprint, now) {
      await db.query(
        'UPDATE alerts SET receive_count = receive_count + 1, last_seen_at = $1 WHERE source = $2 AND fingerprint = $3',
        [now, source, fingerprint],
      );
    },
    async countByStatus(incidentId) {
      const rows = await db.query<{ status: string; n: string }>(
        'SELECT status, count(*) AS n FROM alerts WHERE incident_id = $1 GROUP BY status',
        [incidentId],
      );
      return toStatusCounts(rows);
    },
    async put(s) {
      await db.query(UPSERT, [
        s.alert.source,
        s.alert.fingerprint,
        s.incidentId,
        s.alert.status,
        serializeAlert(s.alert),
        s.firstSeenAt,
        s.lastSeenAt,
        s.resolvedAt,
        s.refireCount,
        s.receiveCount,
      ]);
    },
    async listByIncident(incidentId) {
      const rows = await db.query<AlertRow>(
        'SELECT * FROM alerts WHERE incident_id = $1 ORDER BY first_seen_at, fingerprint',
        [incidentId],
      );
      return rows.map(toStored);
    },
    async count() {
      const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM alerts');
      return row!.n;
    },
  };
}
