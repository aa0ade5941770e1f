import type { SurfaceId } from '../../core/outbox/outbox-entry.ts';
import type { ConversationRepo } from '../../core/store.ts';
import { fromJson, toJson } from '../json.ts';
import type { Db } from './db.ts';

export function createConversationRepo(db: Db): ConversationRepo {
  async function getOncall(surface: SurfaceId): Promise<string | undefined> {
    const [row] = await db.query<{ place_key: string }>(
      'SELECT place_key FROM chat_oncall WHERE surface = $1',
      [surface],
    );
    return row?.place_key;
  }
  return {
    async get(surface, key) {
      const [row] = await db.query<{ ref: string }>(
        'SELECT ref FROM chat_conversations WHERE surface = $1 AND place_key = $2',
        [surface, key],
      );
      return row && fromJson(row.ref);
    },
    async save(surface, key, ref, now) {
      // The WHERE of the update leaves an identical reference alone: no row comes back then.
      const rows = await db.query(
        `INSERT INTO chat_conversations (surface, place_key, ref, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (surface, place_key) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at
         WHERE chat_conversations.ref <> excluded.ref
         RETURNING 1`,
        [surface, key, toJson(ref), now],
      );
      return rows.length > 0;
    },
    getOncall,
    async setOncall(surface, key, options = {}) {
      if (!options.keepExisting) {
        await db.query(
          `INSERT INTO chat_oncall (surface, place_key) VALUES ($1, $2)
           ON CONFLICT (surface) DO UPDATE SET place_key = excluded.place_key`,
          [surface, key],
        );
        return key;
      }
      const [inserted] = await db.query<{ place_key: string }>(
        `INSERT INTO chat_oncall (surface, place_key) VALUES ($1, $2)
         ON CONFLICT (surface) DO NOTHING RETURNING place_key`,
        [surface, key],
      );
      // Not inserted: another replica's row is committed, and a new statement sees it.
      return inserted?.place_key ?? (await getOncall(surface)) ?? key;
    },
  };
}
