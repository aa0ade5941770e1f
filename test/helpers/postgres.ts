import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type pg from 'pg';
import { requireBinary } from './require-binary.ts';

const SOCKET_DIR = '/var/run/postgresql';

/** A database of its own for one test file; `reset` empties it between tests. */
export interface TestDatabase {
  url: string;
  name: string;
  /** The server's unix socket when it is the local cluster (tests can put a proxy in front). */
  socketPath: string | undefined;
  /** Empties every table (ids keep counting up; tests use the ids they are given). */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

function skipOrFail(reason: string): undefined {
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must provide it`);
  console.warn(`SKIPPED: ${reason}`);
  return undefined;
}

/** Starts the Debian cluster if it is down and makes sure the current OS user may log in. */
function startLocalCluster(): string | undefined {
  if (!requireBinary('/usr/bin/pg_ctlcluster', 'apt-get install postgresql')) return undefined;
  const online = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  if (!/^15\s+main\s+\d+\s+online/m.test(online)) {
    execFileSync('pg_ctlcluster', ['15', 'main', 'start'], { stdio: 'inherit' });
  }
  const user = userInfo().username;
  // Local sockets use peer authentication: the database role must be named like the OS user.
  // As root, create that role through the postgres account (once; harmless when it exists).
  if (user === 'root') {
    const sql = `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'root')
      THEN CREATE ROLE root SUPERUSER LOGIN; END IF; END $$`;
    execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-qXc', sql], { stdio: 'inherit' });
  }
  return `postgresql://${encodeURIComponent(user)}@/postgres?host=${SOCKET_DIR}`;
}

async function loadPg(): Promise<typeof pg | undefined> {
  try {
    return (await import('pg')).default;
  } catch {
    return skipOrFail('the "pg" package is not installed (npm install pg)');
  }
}

/** The same server URL with another database; `URL` cannot parse socket URLs with no host. */
function withDatabase(url: string, name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error('DATABASE_URL is not a postgresql:// URL');
  return `${m[1]}/${name}${m[3] ?? ''}`;
}

async function runAdmin(pgModule: typeof pg, url: string, sql: string): Promise<void> {
  const client = new pgModule.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates a uniquely named database on `DATABASE_URL` (an admin connection) or, without it, on the
 * machine's PostgreSQL 15 cluster (started if needed). Returns undefined — after printing why —
 * when PostgreSQL or the driver is missing; under `CI=true` that fails the run instead.
 */
export async function createTestDatabase(): Promise<TestDatabase | undefined> {
  const pgModule = await loadPg();
  if (!pgModule) return undefined;
  const admin = process.env.DATABASE_URL ?? startLocalCluster();
  if (!admin) return undefined;
  const name = `oncall_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await runAdmin(pgModule, admin, `CREATE DATABASE ${name}`);
  const url = withDatabase(admin, name);
  return {
    url,
    name,
    socketPath: process.env.DATABASE_URL ? undefined : `${SOCKET_DIR}/.s.PGSQL.5432`,
    async reset() {
      await runAdmin(
        pgModule,
        url,
        // DELETE, not TRUNCATE: several times faster on tables this small. The replica role
        // skips foreign-key triggers, so the order of the tables does not matter.
        `SET session_replication_role = replica;
         DO $$ DECLARE t text; BEGIN
           FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '%schema_migrations'
           LOOP EXECUTE format('DELETE FROM %I', t); END LOOP; END $$`,
      );
    },
    async drop() {
      await runAdmin(pgModule, admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
