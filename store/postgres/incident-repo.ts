import type { IncidentRepo, NewIncident } from '../../core/store.ts';
import { toJson } from '../json.ts';
import { type IncidentRow, toIncident } from '../rows.ts';
import type { Db } from './db.ts';

/** The mutable columns, as $1…$18 in both statements below. */
function mutable(i: NewIncident): unknown[] {
  return [
    i.title,
    i.kind,
    i.tier,
    i.status,
    i.flapping,
    i.flapCount,
    toJson(i.resource),
    i.acknowledgedBy,
    i.acknowledgedAt,
    i.silenceId,
    i.silencedBy,
    i.silencedUntil,
    i.updatedAt,
    i.resolvedAt,
    i.version,
    i.startedAt ?? null,
    i.endedAt ?? null,
    i.commander ?? null,
  ];
}

const INSERT = `
  INSERT INTO incidents (title, kind, tier, status, flapping, flap_count, resource, acknowledged_by,
    acknowledged_at, silence_id, silenced_by, silenced_until, updated_at, resolved_at, version,
    started_at, ended_at, commander, group_key, source, opened_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
  RETURNING id`;
const UPDATE = `
  UPDATE incidents SET title = $1, kind = $2, tier = $3, status = $4, flapping = $5, flap_count = $6,
    resource = $7, acknowledged_by = $8, acknowledged_at = $9, silence_id = $10, silenced_by = $11,
    silenced_until = $12, updated_at = $13, resolved_at = $14, version = $15, started_at = $16,
    ended_at = $17, commander = $18
  WHERE id = $19`;

export function createIncidentRepo(db: Db): IncidentRepo {
  const select = async (sql: string, values: unknown[]) =>
    (await db.query<IncidentRow>(sql, values)).map(toIncident);
  return {
    async create(i) {
      const [row] = await db.query<{ id: number }>(INSERT, [...mutable(i), i.groupKey, i.source, i.openedAt]);
      return {
        ...i,
        startedAt: i.startedAt ?? null,
        endedAt: i.endedAt ?? null,
        commander: i.commander ?? null,
        id: row!.id,
        stormId: null,
      };
    },
    async get(id) {
      return (await select('SELECT * FROM incidents WHERE id = $1', [id]))[0];
    },
    async latestForGroup(groupKey) {
      return (
        await select('SELECT * FROM incidents WHERE group_key = $1 ORDER BY id DESC LIMIT 1', [groupKey])
      )[0];
    },
    async update(i) {
      await db.query(UPDATE, [...mutable(i), i.id]);
    },
    async listOpen(limit) {
      return select("SELECT * FROM incidents WHERE status = 'open' ORDER BY id DESC LIMIT $1", [limit]);
    },
    async listSilenceExpired(now) {
      return select(
        "SELECT * FROM incidents WHERE status = 'open' AND silenced_until IS NOT NULL AND silenced_until <= $1 ORDER BY id",
        [now],
      );
    },
    async listOpenedSince(since, limit) {
      return select(
        'SELECT * FROM incidents WHERE opened_at >= $1 ORDER BY opened_at DESC, id DESC LIMIT $2',
        [since, limit],
      );
    },
    async countOpenedSince(since) {
      const [row] = await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM incidents WHERE opened_at >= $1',
        [since],
      );
      return Number(row?.n ?? 0);
    },
    async addEvent(e) {
      await db.query(
        'INSERT INTO timeline_events (incident_id, at, type, actor, detail) VALUES ($1, $2, $3, $4, $5)',
        [e.incidentId, e.at, e.type, e.actor, e.detail],
      );
    },
  };
}
