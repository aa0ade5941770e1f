import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type SecurityEvent, securityEventSchema } from '../questions/security-event.ts';

/**
 * Refused questions, appended as JSON lines under DATA_DIR: an audit trail reviewers read with
 * `/security` or any log tool. Append-only; a damaged line is skipped when reading, never fatal.
 */
export function createSecurityLog(path: string) {
  return {
    record(event: SecurityEvent): void {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, `${JSON.stringify(event)}\n`);
    },
    /** The most recent events, newest first. */
    recent(limit: number): SecurityEvent[] {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return [];
      }
      const events: SecurityEvent[] = [];
      for (const line of text.split('\n').reverse()) {
        if (events.length >= limit) break;
        if (!line.trim()) continue;
        try {
          events.push(securityEventSchema.parse(JSON.parse(line)));
        } catch {
          // a torn or edited line: skip it
        }
      }
      return events;
    },
  };
}

export type SecurityLog = ReturnType<typeof createSecurityLog>;
