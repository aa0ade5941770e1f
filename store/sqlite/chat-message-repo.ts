import type Database from 'better-sqlite3';
import { messageRef } from '../../core/outbox/outbox-entry.ts';
import type { ChatMessageRepo, ConsoleMessageRepo } from '../../core/store.ts';
import { fromJson, toJson } from '../json.ts';
import { type ConsoleRow, toConsoleMessage } from '../rows.ts';

export function createChatMessageRepo(db: Database.Database): ChatMessageRepo {
  const getCard = db.prepare<[number, string], { ref: string }>(
    'SELECT ref FROM chat_messages WHERE incident_id = ? AND surface = ?',
  );
  const saveCard = db.prepare(`
    INSERT INTO chat_messages (surface, message_id, incident_id, ref, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (incident_id, surface) DO UPDATE SET message_id = excluded.message_id, ref = excluded.ref`);
  const findIncident = db.prepare<[string, string], { incident_id: number }>(
    'SELECT incident_id FROM chat_messages WHERE surface = ? AND message_id = ?',
  );
  return {
    async getIncidentCard(incidentId, surface) {
      const row = getCard.get(incidentId, surface);
      return row && messageRef.parse(fromJson(row.ref));
    },
    async saveIncidentCard(incidentId, ref, now) {
      saveCard.run(ref.surface, ref.id, incidentId, toJson(ref), now);
    },
    async findIncidentByMessage(surface, messageId) {
      return findIncident.get(surface, messageId)?.incident_id;
    },
  };
}

export function createConsoleMessageRepo(db: Database.Database): ConsoleMessageRepo {
  const insert = db.prepare(`
    INSERT INTO console_messages (id, channel, thread_id, author, created_at, updated_at, text, card)
    VALUES (@id, @channel, @threadId, @author, @createdAt, @updatedAt, @text, @card)`);
  const update = db.prepare('UPDATE console_messages SET text = ?, card = ?, updated_at = ? WHERE id = ?');
  const get = db.prepare<[string], ConsoleRow>('SELECT * FROM console_messages WHERE id = ?');
  const list = db.prepare<[string, number], ConsoleRow>(
    'SELECT * FROM (SELECT * FROM console_messages WHERE channel = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
  );
  return {
    async insert(m) {
      insert.run({ ...m, card: m.card === null ? null : toJson(m.card) });
    },
    async update(id, patch) {
      return (
        update.run(patch.text, patch.card === null ? null : toJson(patch.card), patch.updatedAt, id).changes >
        0
      );
    },
    async get(id) {
      const row = get.get(id);
      return row && toConsoleMessage(row);
    },
    async list(channel, limit) {
      return list.all(channel, limit).map(toConsoleMessage);
    },
  };
}
