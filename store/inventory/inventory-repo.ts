/** An inventory as it was discovered: its JSON (parsed by the reader, at its edge) and when. */
export interface StoredInventory {
  json: string;
  discoveredAt: number;
}

/**
 * The inventory the replicas share: the last one any replica discovered, so one replica's
 * discovery serves all of them and a restarted bot knows the names before it asks again.
 */
export interface InventoryRepo {
  /** Keeps this discovery unless a later one is already stored (replicas race harmlessly). */
  save(inventory: StoredInventory): Promise<void>;
  latest(): Promise<StoredInventory | undefined>;
  close(): Promise<void>;
}
