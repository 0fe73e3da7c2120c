// What every route module is built with, and the stamps a write puts on the records it makes.
import type { SalesStore } from '../../salesStore';
import type { Store } from '../../store';

/**
 * Route dependencies. Handlers read `store` and `sales` on every call: a failed save swaps in the
 * state that is on disk. `commit` persists after a successful mutation (no-op without a data file).
 */
export interface RouteDeps {
  store: Store;
  /** Leads, bookings and booking provider tags. */
  sales: SalesStore;
  commit(): void;
}

/** User id recorded as createdBy/modifiedBy for writes made through the API. */
export const API_USER_ID = 1;

export function nowIso(): string {
  return new Date().toISOString();
}
