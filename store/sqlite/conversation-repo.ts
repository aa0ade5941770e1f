import type Database from 'better-sqlite3';
import type { ConversationRepo } from '../../core/store.ts';
import { fromJson, toJson } from '../json.ts';

export function createConversationRepo(db: Database.Database): ConversationRepo {
  const get = db.prepare<[string, string], { ref: string }>(
    'SELECT ref FROM chat_conversations WHERE surface = ? AND place_key = ?',
  );
  // The WHERE of the update leaves an identical reference alone, so `changes` says whether it changed.
  const save = db.prepare(`
    INSERT INTO chat_conversations (surface, place_key, ref, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (surface, place_key) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at
    WHERE chat_conversations.ref <> excluded.ref`);
  const getOncall = db.prepare<[string], { place_key: string }>(
    'SELECT place_key FROM chat_oncall WHERE surface = ?',
  );
  const replaceOncall = db.prepare(`
    INSERT INTO chat_oncall (surface, place_key) VALUES (?, ?)
    ON CONFLICT (surface) DO UPDATE SET place_key = excluded.place_key`);
  const claimOncall = db.prepare(
    'INSERT INTO chat_oncall (surface, place_key) VALUES (?, ?) ON CONFLICT (surface) DO NOTHING',
  );
  return {
    async get(surface, key) {
      const row = get.get(surface, key);
      return row && fromJson(row.ref);
    },
    async save(surface, key, ref, now) {
      return save.run(surface, key, toJson(ref), now).changes > 0;
    },
    async getOncall(surface) {
      return getOncall.get(surface)?.place_key;
    },
    async setOncall(surface, key, options = {}) {
      (options.keepExisting ? claimOncall : replaceOncall).run(surface, key);
      return getOncall.get(surface)!.place_key;
    },
  };
}
