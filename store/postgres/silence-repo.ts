import type { SilenceRepo } from '../../core/store.ts';
import { toJson } from '../json.ts';
import { type SilenceRow, toSilence } from '../rows.ts';
import type { Db } from './db.ts';

export function createSilenceRepo(db: Db): SilenceRepo {
  return {
    async create(s) {
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO silences (matchers, created_by, created_at, ends_at, comment, incident_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [toJson(s.matchers), s.createdBy, s.createdAt, s.endsAt, s.comment, s.incidentId],
      );
      return { ...s, id: row!.id, expiredAt: null };
    },
    async get(id) {
      const [row] = await db.query<SilenceRow>('SELECT * FROM silences WHERE id = $1', [id]);
      return row && toSilence(row);
    },
    async listActive(now) {
      const rows = await db.query<SilenceRow>(
        'SELECT * FROM silences WHERE expired_at IS NULL AND ends_at > $1 ORDER BY id',
        [now],
      );
      return rows.map(toSilence);
    },
    async expire(id, at) {
      await db.query('UPDATE silences SET expired_at = $1 WHERE id = $2 AND expired_at IS NULL', [at, id]);
    },
    async extend(id, endsAt, now) {
      const rows = await db.query<{ id: number }>(
        'UPDATE silences SET ends_at = $1 WHERE id = $2 AND expired_at IS NULL AND ends_at > $3 RETURNING id',
        [endsAt, id, now],
      );
      return rows.length === 1;
    },
  };
}
