import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract(
  'sqlite',
  async () => openSqliteStore({ path: ':memory:' }),
  (store) => store.close(),
);
