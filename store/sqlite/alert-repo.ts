import type Database from 'better-sqlite3';
import { serializeAlert } from '../../core/alerts/alert.ts';
import type { AlertRepo } from '../../core/store.ts';
import { type AlertRow, toAlertState, toStatusCounts, toStored } from '../rows.ts';

export function createAlertRepo(db: Database.Database): AlertRepo {
  const get = db.prepare<[string, string], AlertRow>(
    'SELECT * FROM alerts WHERE source = ? AND fingerprint = ?',
  );
  const upsert = db.prepare(`
    INSERT INTO alerts (source, fingerprint, incident_id, status, body, first_seen_at, last_seen_at, resolved_at,
                        refire_count, receive_count)
    VALUES (@source, @fingerprint, @incidentId, @status, @body, @firstSeenAt, @lastSeenAt, @resolvedAt,
            @refireCount, @receiveCount)
    ON CONFLICT (source, fingerprint) DO UPDATE SET
      incident_id = excluded.incident_id, status = excluded.status, body = excluded.body,
      last_seen_at = excluded.last_seen_at, resolved_at = excluded.resolved_at,
      refire_count = excluded.refire_count, receive_count = excluded.receive_count`);
  const byIncident = db.prepare<[number], AlertRow>(
    'SELECT * FROM alerts WHERE incident_id = ? ORDER BY first_seen_at, fingerprint',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM alerts');
  const touch = db.prepare(
    'UPDATE alerts SET receive_count = receive_count + 1, last_seen_at = ? WHERE source = ? AND fingerprint = ?',
  );
  const statusCounts = db.prepare<[number], { status: string; n: number }>(
    'SELECT status, count(*) AS n FROM alerts WHERE incident_id = ? GROUP BY status',
  );

  return {
    async get(source, fingerprint) {
      const row = get.get(source, fingerprint);
      return row && toStored(row);
    },
    async getState(source, fingerprint) {
      const row = get.get(source, fingerprint);
      return row && toAlertState(row);
    },
    async touch(source, fingerprint, now) {
      touch.run(now, source, fingerprint);
    },
    async countByStatus(incidentId) {
      return toStatusCounts(statusCounts.all(incidentId));
    },
    async put(s) {
      upsert.run({
        source: s.alert.source,
        fingerprint: s.alert.fingerprint,
        incidentId: s.incidentId,
        status: s.alert.status,
        body: serializeAlert(s.alert),
        firstSeenAt: s.firstSeenAt,
        lastSeenAt: s.lastSeenAt,
        resolvedAt: s.resolvedAt,
        refireCount: s.refireCount,
        receiveCount: s.receiveCount,
      });
    },
    async listByIncident(incidentId) {
      return byIncident.all(incidentId).map(toStored);
    },
    async count() {
      return count.get()!.n;
    },
  };
}
