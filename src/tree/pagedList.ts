import type { Page } from '../api/paging';

export type PageLoader<T> = (page: number, pageSize: number) => Promise<Page<T>>;

/**
 * The loaded part of one paged list (customers, a customer's contacts …). Loads append in
 * place; concurrent loads share one request; paging always ends, even against a server that
 * says `hasMore` forever with empty pages. A failed load keeps what was already loaded.
 */
export class PagedList<T> {
  private loaded: T[] = [];
  private nextPage = 1;
  private more = true;
  private total: number | undefined;
  private inFlight: Promise<void> | undefined;
  private generation = 0;

  constructor(
    private readonly load: PageLoader<T>,
    private readonly pageSize: () => number,
  ) {}

  get items(): readonly T[] {
    return this.loaded;
  }
  get hasMore(): boolean {
    return this.more;
  }
  /** Total the server reported with `includeTotal`, when it did. */
  get totalCount(): number | undefined {
    return this.total;
  }
  get started(): boolean {
    return this.nextPage > 1 || !this.more;
  }

  /** Loads the next page; callers during a load share it. Rejects with the load's error. */
  loadNext(): Promise<void> {
    if (!this.more) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    const generation = this.generation;
    const request = this.load(this.nextPage, this.pageSize()).then((page) => {
      if (generation !== this.generation) return; // reset while loading: drop the stale page
      this.loaded.push(...page.data);
      this.total = page.totalCount ?? this.total;
      this.nextPage += 1;
      const reachedTotal = this.total !== undefined && this.loaded.length >= this.total;
      this.more = page.hasMore && page.data.length > 0 && !reachedTotal;
    });
    const tracked: Promise<void> = request.finally(() => {
      if (this.inFlight === tracked) this.inFlight = undefined;
    });
    this.inFlight = tracked;
    return tracked;
  }

  /** Makes the list load again from page 1, keeping the old items until the caller replaces them. */
  reset(): void {
    this.generation += 1;
    this.loaded = [];
    this.nextPage = 1;
    this.more = true;
    this.total = undefined;
    this.inFlight = undefined;
  }

  /** Replaces one item in place (after an update) without reloading the page. */
  replace(predicate: (item: T) => boolean, next: T): boolean {
    const index = this.loaded.findIndex(predicate);
    if (index < 0) return false;
    this.loaded[index] = next;
    return true;
  }

  remove(predicate: (item: T) => boolean): boolean {
    const before = this.loaded.length;
    this.loaded = this.loaded.filter((item) => !predicate(item));
    if (this.total !== undefined) this.total -= before - this.loaded.length;
    return this.loaded.length !== before;
  }
}
