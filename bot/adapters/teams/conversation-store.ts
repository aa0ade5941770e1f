import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { type ConversationReference, conversationReference } from './activity.ts';

const fileSchema = z.object({
  version: z.literal(1),
  /** The on-call channel's key in `references`. */
  oncall: z.string().nullable(),
  references: z.record(z.string(), conversationReference),
});
type StoredFile = z.infer<typeof fileSchema>;

/**
 * Where Teams conversations the bot was installed in are kept, so alert cards can be posted there
 * proactively after a restart. A small JSON file under DATA_DIR, written atomically (rename); it
 * changes only on installs and first messages. One replica only: with several, this belongs in
 * the store.
 */
export class TeamsConversationStore {
  private data: StoredFile;

  constructor(private readonly path: string) {
    this.data = this.read();
  }

  private read(): StoredFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return { version: 1, oncall: null, references: {} };
    }
    return fileSchema.parse(JSON.parse(text));
  }

  private write(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  /** The reference of a conversation by its key (a team channel id, or a chat's conversation id). */
  get(key: string): ConversationReference | undefined {
    return this.data.references[key];
  }

  get oncall(): string | null {
    return this.data.oncall;
  }

  /** Remembers a conversation; returns true when it is new or its address changed. */
  save(key: string, ref: ConversationReference): boolean {
    const old = this.data.references[key];
    const changed = !old || old.serviceUrl !== ref.serviceUrl || old.bot.id !== ref.bot.id;
    if (!changed) return false;
    this.data.references[key] = ref;
    this.write();
    return true;
  }

  setOncall(key: string): void {
    if (this.data.oncall === key) return;
    this.data.oncall = key;
    this.write();
  }
}
