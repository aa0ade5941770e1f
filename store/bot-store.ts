import type { Repos, Store } from '../core/store.ts';
import type { EvidenceRepo } from './evidence/evidence-repo.ts';
import type { InventoryRepo } from './inventory/inventory-repo.ts';
import type { PagingRepo } from './paging/paging-repo.ts';
import type { RemediationRepo } from './remediation/remediation-repo.ts';
import type { SlotClaims } from './schedule/slot-claims.ts';

/** The modules' repositories, on the store's one database handle (closed with the store). */
export interface ModuleRepos {
  evidence: EvidenceRepo;
  paging: PagingRepo;
  remediation: RemediationRepo;
  inventory: InventoryRepo;
  slotClaims: SlotClaims;
}

/** What a transaction of the store holds: the core repos and the modules' that take part. */
export interface TxRepos extends Repos {
  remediation: RemediationRepo;
}

/**
 * A store whose transactions span modules: a remediation's state change and the incident's
 * timeline event and cards commit together or not at all.
 */
export interface SpanningStore extends Store {
  transaction<T>(fn: (tx: TxRepos) => Promise<T>): Promise<T>;
}

/** The store of every module: one database handle and one migration history per engine. */
export interface BotStore extends SpanningStore, ModuleRepos {}
