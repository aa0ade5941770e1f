import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../core/errors.ts';
import type { Store } from '../../../core/store.ts';
import { openPostgresStore } from '../../../store/postgres/postgres-store.ts';
import type { TestDatabase } from '../../helpers/postgres.ts';
import { anIncident } from './store-fixtures.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** The database going away and coming back, simulated by cutting a proxy in front of it. */
export function describePostgresOutage(db: () => TestDatabase): void {
  describe('postgres: database outage', () => {
    let proxy: TcpProxy;
    let store: Store;
    beforeEach(async (ctx) => {
      const socketPath = db().socketPath;
      if (!socketPath) return ctx.skip('needs the local cluster (DATABASE_URL is set)');
      proxy = await startTcpProxy({ path: socketPath });
      const user = new URL(db().url.replace('@/', '@localhost/')).username;
      store = await openPostgresStore({
        connectionString: `postgresql://${user}@127.0.0.1:${proxy.port}/${db().name}`,
        poolSize: 2,
        connectTimeoutMs: 2_000,
      });
    });
    afterEach(async () => {
      await store?.close();
      await proxy?.close();
      await db().reset();
    });

    it('reports the store unavailable while the database is gone, then carries on', async () => {
      await store.ping();
      await proxy.cut();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.incidents.listOpen(10)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.transaction((tx) => tx.incidents.create(anIncident()))).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      await proxy.restore();
      await store.ping();
      await store.transaction((tx) => tx.incidents.create(anIncident()));
      expect(await store.incidents.listOpen(10)).toHaveLength(1);
    });

    it('fails a transaction whose connection drops midway, and writes nothing', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.incidents.create(anIncident());
          await proxy.cut();
          await tx.incidents.create(anIncident({ groupKey: 'b' }));
        }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      await proxy.restore();
      expect(await store.incidents.listOpen(10)).toEqual([]);
    });
  });
}
