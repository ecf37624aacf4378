/** A store whose dead records the pruner deletes, batch by batch. */
export interface PrunableStore {
  /**
   * Deletes at most `limit` records dead at `now` (ms since the epoch), whatever retention the feature needs;
   * returns how many it deleted (fewer than `limit`: nothing is left for now). Idempotent: instances may prune at once.
   * Optional in the type only: with pruning on (`pruneInterval` > 0) a store the pruner covers without it fails the
   * boot (`StoreContract`).
   */
  pruneExpired?(now: number, limit: number): Promise<number>;
}

/** Injection token of the registered features' prunables, resolved: `{ what, store }` with the store's instance. */
export const AUTH_PRUNABLES = Symbol('AuthPrunables');

/** A {@link FeaturePrunable} with its store resolved. */
export interface ResolvedPrunable {
  readonly what: string;
  readonly store: PrunableStore;
}
