import type Database from 'better-sqlite3';
import { alertResource } from '../../handlers/alerts/alert.ts';
import { type Incident, incident } from '../../handlers/alerts/incident.ts';
import type { IncidentRepo, NewIncident } from '../store.ts';
import { fromJson, toJson } from './json.ts';

interface IncidentRow {
  id: number;
  group_key: string;
  source: string;
  title: string;
  kind: string;
  tier: string;
  status: string;
  flapping: number;
  flap_count: number;
  resource: string;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  silence_id: number | null;
  silenced_by: string | null;
  silenced_until: number | null;
  opened_at: number;
  updated_at: number;
  resolved_at: number | null;
  version: number;
}

function toIncident(row: IncidentRow): Incident {
  return incident.parse({
    id: row.id,
    groupKey: row.group_key,
    source: row.source,
    title: row.title,
    kind: row.kind,
    tier: row.tier,
    status: row.status,
    flapping: row.flapping === 1,
    flapCount: row.flap_count,
    resource: alertResource.parse(fromJson(row.resource)),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    silenceId: row.silence_id,
    silencedBy: row.silenced_by,
    silencedUntil: row.silenced_until,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    version: row.version,
  });
}

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
    version: i.version,
  };
}

export function createIncidentRepo(db: Database.Database): IncidentRepo {
  const insert = db.prepare(`
    INSERT INTO incidents (group_key, source, title, kind, tier, status, flapping, flap_count, resource,
      acknowledged_by, acknowledged_at, silence_id, silenced_by, silenced_until, opened_at, updated_at,
      resolved_at, version)
    VALUES (@groupKey, @source, @title, @kind, @tier, @status, @flapping, @flapCount, @resource,
      @acknowledgedBy, @acknowledgedAt, @silenceId, @silencedBy, @silencedUntil, @openedAt, @updatedAt,
      @resolvedAt, @version)`);
  const update = db.prepare(`
    UPDATE incidents SET title = @title, kind = @kind, tier = @tier, status = @status, flapping = @flapping,
      flap_count = @flapCount, resource = @resource, acknowledged_by = @acknowledgedBy,
      acknowledged_at = @acknowledgedAt, silence_id = @silenceId, silenced_by = @silencedBy,
      silenced_until = @silencedUntil, updated_at = @updatedAt, resolved_at = @resolvedAt, version = @version
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
  const addEvent = db.prepare(
    'INSERT INTO incident_events (incident_id, at, type, actor, detail) VALUES (@incidentId, @at, @type, @actor, @detail)',
  );

  return {
    async create(i) {
      const { lastInsertRowid } = insert.run(toParams(i));
      return { ...i, id: Number(lastInsertRowid) };
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
    async addEvent(event) {
      addEvent.run(event);
    },
  };
}
