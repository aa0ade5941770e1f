import type Database from 'better-sqlite3';
import type { IncidentRepo, NewIncident } from '../../core/store.ts';
import { toJson } from '../json.ts';
import { type IncidentRow, toIncident } from '../rows.ts';

function toParams(i: NewIncident) {
  return {
    groupKey: i.groupKey,
    source: i.source,
    title: i.title,
    kind: i.kind,
    tier: i.tier,
    status: i.status,
    flapping: i.flapping ? 1 : 0,
    flapCount: i.flapCount,
    resource: toJson(i.resource),
    acknowledgedBy: i.acknowledgedBy,
    acknowledgedAt: i.acknowledgedAt,
    silenceId: i.silenceId,
    silencedBy: i.silencedBy,
    silencedUntil: i.silencedUntil,
    openedAt: i.openedAt,
    updatedAt: i.updatedAt,
    resolvedAt: i.resolvedAt,
    startedAt: i.startedAt ?? null,
    endedAt: i.endedAt ?? null,
    commander: i.commander ?? null,
    version: i.version,
  };
}

export function createIncidentRepo(db: Database.Database): IncidentRepo {
  const insert = db.prepare(`
    INSERT INTO incidents (group_key, source, title, kind, tier, status, flapping, flap_count, resource,
      acknowledged_by, acknowledged_at, silence_id, silenced_by, silenced_until, opened_at, updated_at,
      resolved_at, started_at, ended_at, commander, version)
    VALUES (@groupKey, @source, @title, @kind, @tier, @status, @flapping, @flapCount, @resource,
      @acknowledgedBy, @acknowledgedAt, @silenceId, @silencedBy, @silencedUntil, @openedAt, @updatedAt,
      @resolvedAt, @startedAt, @endedAt, @commander, @version)`);
  const update = db.prepare(`
    UPDATE incidents SET title = @title, kind = @kind, tier = @tier, status = @status, flapping = @flapping,
      flap_count = @flapCount, resource = @resource, acknowledged_by = @acknowledgedBy,
      acknowledged_at = @acknowledgedAt, silence_id = @silenceId, silenced_by = @silencedBy,
      silenced_until = @silencedUntil, updated_at = @updatedAt, resolved_at = @resolvedAt,
      started_at = @startedAt, ended_at = @endedAt, commander = @commander, version = @version
    WHERE id = @id`);
  const get = db.prepare<[number], IncidentRow>('SELECT * FROM incidents WHERE id = ?');
  const latest = db.prepare<[string], IncidentRow>(
    'SELECT * FROM incidents WHERE group_key = ? ORDER BY id DESC LIMIT 1',
  );
  const open = db.prepare<[number], IncidentRow>(
    "SELECT * FROM incidents WHERE status = 'open' ORDER BY id DESC LIMIT ?",
  );
  const silenceExpired = db.prepare<[number], IncidentRow>(
    "SELECT * FROM incidents WHERE status = 'open' AND silenced_until IS NOT NULL AND silenced_until <= ?",
  );
  const listSince = db.prepare<[number, number], IncidentRow>(
    'SELECT * FROM incidents WHERE opened_at >= ? ORDER BY opened_at DESC, id DESC LIMIT ?',
  );
  const openedSince = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM incidents WHERE opened_at >= ?',
  );
  const addEvent = db.prepare(
    'INSERT INTO timeline_events (incident_id, at, type, actor, detail) VALUES (@incidentId, @at, @type, @actor, @detail)',
  );

  return {
    async create(i) {
      const { lastInsertRowid } = insert.run(toParams(i));
      return {
        ...i,
        startedAt: i.startedAt ?? null,
        endedAt: i.endedAt ?? null,
        commander: i.commander ?? null,
        id: Number(lastInsertRowid),
        stormId: null,
      };
    },
    async get(id) {
      const row = get.get(id);
      return row && toIncident(row);
    },
    async latestForGroup(groupKey) {
      const row = latest.get(groupKey);
      return row && toIncident(row);
    },
    async update(i) {
      update.run({ ...toParams(i), id: i.id });
    },
    async listOpen(limit) {
      return open.all(limit).map(toIncident);
    },
    async listSilenceExpired(now) {
      return silenceExpired.all(now).map(toIncident);
    },
    async listOpenedSince(since, limit) {
      return listSince.all(since, limit).map(toIncident);
    },
    async countOpenedSince(since) {
      return openedSince.get(since)?.n ?? 0;
    },
    async addEvent(event) {
      addEvent.run(event);
    },
  };
}
