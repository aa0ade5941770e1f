import type Database from 'better-sqlite3';
import { alert } from '../../handlers/alerts/alert.ts';
import type { AlertRepo, StoredAlert } from '../store.ts';
import { fromJson, toJson } from './json.ts';

interface AlertRow {
  incident_id: number | null;
  body: string;
  first_seen_at: number;
  last_seen_at: number;
  resolved_at: number | null;
  refire_count: number;
  receive_count: number;
}

function toStored(row: AlertRow): StoredAlert {
  return {
    alert: alert.parse(fromJson(row.body)),
    incidentId: row.incident_id,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
    refireCount: row.refire_count,
    receiveCount: row.receive_count,
  };
}

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

  return {
    async get(source, fingerprint) {
      const row = get.get(source, fingerprint);
      return row && toStored(row);
    },
    async put(s) {
      upsert.run({
        source: s.alert.source,
        fingerprint: s.alert.fingerprint,
        incidentId: s.incidentId,
        status: s.alert.status,
        body: toJson(s.alert),
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
