import { messageRef } from '../../core/outbox/outbox-entry.ts';
import type { ChatMessageRepo, ConsoleMessageRepo } from '../../core/store.ts';
import { fromJson, toJson } from '../json.ts';
import { type ConsoleRow, toConsoleMessage } from '../rows.ts';
import type { Db } from './db.ts';

export function createChatMessageRepo(db: Db): ChatMessageRepo {
  return {
    async getIncidentCard(incidentId, surface) {
      const [row] = await db.query<{ ref: string }>(
        'SELECT ref FROM chat_messages WHERE incident_id = $1 AND surface = $2',
        [incidentId, surface],
      );
      return row && messageRef.parse(fromJson(row.ref));
    },
    async saveIncidentCard(incidentId, ref, now) {
      await db.query(
        `INSERT INTO chat_messages (surface, message_id, incident_id, ref, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (incident_id, surface) DO UPDATE SET message_id = excluded.message_id, ref = excluded.ref`,
        [ref.surface, ref.id, incidentId, toJson(ref), now],
      );
    },
    async findIncidentByMessage(surface, messageId) {
      const [row] = await db.query<{ incident_id: number }>(
        'SELECT incident_id FROM chat_messages WHERE surface = $1 AND message_id = $2',
        [surface, messageId],
      );
      return row?.incident_id;
    },
  };
}

const cardText = (card: unknown | null) => (card === null ? null : toJson(card));

export function createConsoleMessageRepo(db: Db): ConsoleMessageRepo {
  return {
    async insert(m) {
      await db.query(
        `INSERT INTO console_messages (id, channel, thread_id, author, created_at, updated_at, text, card)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [m.id, m.channel, m.threadId, m.author, m.createdAt, m.updatedAt, m.text, cardText(m.card)],
      );
    },
    async update(id, patch) {
      const rows = await db.query(
        'UPDATE console_messages SET text = $1, card = $2, updated_at = $3 WHERE id = $4 RETURNING id',
        [patch.text, cardText(patch.card), patch.updatedAt, id],
      );
      return rows.length > 0;
    },
    async get(id) {
      const [row] = await db.query<ConsoleRow>('SELECT * FROM console_messages WHERE id = $1', [id]);
      return row && toConsoleMessage(row);
    },
    async list(channel, limit) {
      const rows = await db.query<ConsoleRow>(
        `SELECT * FROM (SELECT * FROM console_messages WHERE channel = $1 ORDER BY seq DESC LIMIT $2) recent
         ORDER BY seq`,
        [channel, limit],
      );
      return rows.map(toConsoleMessage);
    },
  };
}
