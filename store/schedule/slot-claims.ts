/**
 * Once per slot across replicas: scheduled work (the hourly executive digest …) claims its slot
 * before it runs, and of every replica and tick exactly one claim succeeds.
 */
export interface SlotClaims {
  /** True for the first claim of (`job`, `slot`), false for every later one. */
  claim(job: string, slot: number, now: number): Promise<boolean>;
  close(): Promise<void>;
}
