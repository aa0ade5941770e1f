import type Database from 'better-sqlite3';
import type { SilenceRepo } from '../../core/store.ts';
import { toJson } from '../json.ts';
import { type SilenceRow, toSilence } from '../rows.ts';

export function createSilenceRepo(db: Database.Database): SilenceRepo {
  const insert = db.prepare(`
    INSERT INTO silences (matchers, created_by, created_at, ends_at, comment, incident_id)
    VALUES (@matchers, @createdBy, @createdAt, @endsAt, @comment, @incidentId)`);
  const get = db.prepare<[number], SilenceRow>('SELECT * FROM silences WHERE id = ?');
  const active = db.prepare<[number], SilenceRow>(
    'SELECT * FROM silences WHERE expired_at IS NULL AND ends_at > ? ORDER BY id',
  );
  const expire = db.prepare('UPDATE silences SET expired_at = ? WHERE id = ? AND expired_at IS NULL');
  const extend = db.prepare(
    'UPDATE silences SET ends_at = ? WHERE id = ? AND expired_at IS NULL AND ends_at > ?',
  );

  return {
    async create(s) {
      const { lastInsertRowid } = insert.run({ ...s, matchers: toJson(s.matchers) });
      return { ...s, id: Number(lastInsertRowid), expiredAt: null };
    },
    async get(id) {
      const row = get.get(id);
      return row && toSilence(row);
    },
    async listActive(now) {
      return active.all(now).map(toSilence);
    },
    async expire(id, at) {
      expire.run(at, id);
    },
    async extend(id, endsAt, now) {
      return extend.run(endsAt, id, now).changes === 1;
    },
  };
}
