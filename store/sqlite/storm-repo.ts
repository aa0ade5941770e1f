import type Database from 'better-sqlite3';
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

export function createStormRepo(db: Database.Database): StormRepo {
  const current = db.prepare<[], StormRow>('SELECT * FROM storms WHERE ended_at IS NULL');
  const insert = db.prepare('INSERT INTO storms (started_at, last_incident_at) VALUES (?, ?)');
  const get = db.prepare<[number], StormRow>('SELECT * FROM storms WHERE id = ?');
  const foldIncident = db.prepare('UPDATE incidents SET storm_id = ? WHERE id = ?');
  const release = db.prepare('UPDATE incidents SET storm_id = NULL WHERE id = ?');
  const touch = db.prepare('UPDATE storms SET last_incident_at = max(last_incident_at, ?) WHERE id = ?');
  const end = db.prepare('UPDATE storms SET ended_at = ? WHERE id = ? AND ended_at IS NULL');
  const incidents = db.prepare<[number], StormIncidentRow>(
    `SELECT ${STORM_INCIDENT_COLUMNS} FROM incidents WHERE storm_id = ? ORDER BY id DESC`,
  );
  const getMessage = db.prepare<[number, string], { ref: string }>(
    'SELECT ref FROM storm_messages WHERE storm_id = ? AND surface = ?',
  );
  const saveMessage = db.prepare(`
    INSERT INTO storm_messages (storm_id, surface, ref, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (storm_id, surface) DO UPDATE SET ref = excluded.ref`);
  return {
    async current() {
      const row = current.get();
      return row && toStorm(row);
    },
    async open(now) {
      const { lastInsertRowid } = insert.run(now, now);
      return { id: Number(lastInsertRowid), startedAt: now, lastIncidentAt: now, endedAt: null };
    },
    async get(id) {
      const row = get.get(id);
      return row && toStorm(row);
    },
    async fold(stormId, incidentId, now) {
      foldIncident.run(stormId, incidentId);
      touch.run(now, stormId);
    },
    async release(incidentId) {
      release.run(incidentId);
    },
    async end(id, now) {
      end.run(now, id);
    },
    async listIncidents(stormId) {
      return incidents.all(stormId).map(toStormIncident);
    },
    async getMessage(stormId, surface) {
      const row = getMessage.get(stormId, surface);
      return row && messageRef.parse(fromJson(row.ref));
    },
    async saveMessage(stormId, ref, now) {
      saveMessage.run(stormId, ref.surface, toJson(ref), now);
    },
  };
}
