import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ConversationRepo } from '../../../core/store.ts';
import { type ConversationReference, conversationReference } from './activity.ts';

/** The JSON file one replica kept under DATA_DIR before references moved into the store. */
const legacyFile = z.object({
  version: z.literal(1),
  oncall: z.string().nullable(),
  references: z.record(z.string(), conversationReference),
});

export type LegacyConversationFile = z.infer<typeof legacyFile>;

/**
 * Reads a pre-store `teams-conversations.json`: undefined when there is none; throws when it does
 * not parse (its references would otherwise be lost silently).
 */
export function readLegacyConversationFile(path: string): LegacyConversationFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return legacyFile.parse(JSON.parse(text));
}

/**
 * Where Teams conversations the bot was installed in are kept, so alert cards can be posted there
 * proactively — by any replica, after any restart: a view of the store's conversation repo for
 * the `teams` surface. References are parsed on the way out; a row that does not parse is a bug
 * or tampering and fails loudly.
 */
export class TeamsConversationStore {
  constructor(private readonly repo: ConversationRepo) {}

  /** The reference of a conversation by its key (a team channel id, or a chat's conversation id). */
  async get(key: string): Promise<ConversationReference | undefined> {
    const stored = await this.repo.get('teams', key);
    return stored === undefined ? undefined : conversationReference.parse(stored);
  }

  /** The on-call channel's key, whichever replica recorded it. */
  oncall(): Promise<string | undefined> {
    return this.repo.getOncall('teams');
  }

  /**
   * Remembers a conversation; returns true when it is new or its address changed. A message from a
   * known place does not rewrite it (only `updatedAt` would change).
   */
  async save(key: string, ref: ConversationReference): Promise<boolean> {
    const old = await this.get(key);
    if (old && old.serviceUrl === ref.serviceUrl && old.bot.id === ref.bot.id) return false;
    return this.repo.save('teams', key, conversationReference.parse(ref), ref.updatedAt);
  }

  /** Makes `key` the on-call channel (a configured channel replaces what was recorded). */
  setOncall(key: string): Promise<string> {
    return this.repo.setOncall('teams', key);
  }

  /** Makes `key` the on-call channel unless one is recorded already; returns the one in effect. */
  claimOncall(key: string): Promise<string> {
    return this.repo.setOncall('teams', key, { keepExisting: true });
  }

  /**
   * Brings the references of a pre-store file into the store: each one the store does not know
   * yet, and its on-call channel unless one is recorded. Returns how many references it added.
   */
  async importLegacy(file: LegacyConversationFile): Promise<number> {
    let imported = 0;
    for (const [key, ref] of Object.entries(file.references)) {
      if ((await this.repo.get('teams', key)) !== undefined) continue;
      await this.repo.save('teams', key, ref, ref.updatedAt);
      imported++;
    }
    if (file.oncall && file.references[file.oncall]) await this.claimOncall(file.oncall);
    return imported;
  }
}
