import type { Page } from '../api/paging';

export type PageLoader<T> = (page: number, pageSize: number) => Promise<Page<T>>;

/**
 * The loaded part of one paged list (customers, a customer's contacts …). Loads append in
 * place; concurrent loads share one request; paging always ends, even against a server that
 * says `hasMore` forever with empty pages. Items are keyed, so an item that was added by hand
 * (a new record revealed before its page loads) or that moved pages is never shown twice.
 */
export class PagedList<T> {
  private loaded: T[] = [];
  private keys = new Set<string>();
  private nextPage = 1;
  private more = true;
  private total: number | undefined;
  private inFlight: Promise<void> | undefined;
  private removedSinceLoad = 0;
  private lastSize = 0;

  constructor(
    private readonly load: PageLoader<T>,
    private readonly pageSize: () => number,
    private readonly key: (item: T) => string,
  ) {}

  keyOf(item: T): string {
    return this.key(item);
  }

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

  /** Loads the next page; callers during a load share it. Rejects with the load's error and keeps what was loaded. */
  loadNext(): Promise<void> {
    if (!this.more) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    const size = this.pageSize();
    // Rows deleted here moved the server's later rows up: step back so none is skipped
    // (the rows seen again are dropped by key).
    if (this.removedSinceLoad > 0 && this.lastSize > 0) this.nextPage = Math.max(1, this.nextPage - Math.ceil(this.removedSinceLoad / this.lastSize));
    this.removedSinceLoad = 0;
    const request = this.load(this.nextPage, size).then((page) => {
      let added = 0;
      for (const item of page.data) if (this.add(item)) added += 1;
      this.total = page.totalCount ?? this.total;
      this.nextPage += 1;
      this.lastSize = size;
      const reachedTotal = this.total !== undefined && this.serverCount >= this.total;
      // A page with nothing new ends the list too: a server that ignores `page` must not loop.
      this.more = page.hasMore && added > 0 && !reachedTotal;
    });
    const tracked: Promise<void> = request.finally(() => {
      if (this.inFlight === tracked) this.inFlight = undefined;
    });
    this.inFlight = tracked;
    return tracked;
  }

  /** Shows an item that is not loaded yet (a record just created), without disturbing paging. */
  include(item: T): void {
    const key = this.keyOf(item);
    if (this.keys.has(key)) {
      this.replace(item);
      return;
    }
    this.keys.add(key);
    this.loaded.push(item);
    this.extra.add(key);
  }

  /** Replaces the item with the same key in place (after an update) without reloading the page. */
  replace(next: T): boolean {
    const key = this.keyOf(next);
    const index = this.loaded.findIndex((item) => this.keyOf(item) === key);
    if (index < 0) return false;
    this.loaded[index] = next;
    return true;
  }

  /** Drops an item (after a delete) and counts it out of the total. */
  remove(key: string): boolean {
    if (!this.keys.delete(key)) return false;
    this.loaded = this.loaded.filter((item) => this.keyOf(item) !== key);
    if (this.extra.delete(key)) return true;
    if (this.total !== undefined) this.total = Math.max(0, this.total - 1);
    this.removedSinceLoad += 1;
    return true;
  }

  /** Keys added with `include` that no page has delivered yet: they do not count towards the total. */
  private readonly extra = new Set<string>();

  private add(item: T): boolean {
    const key = this.keyOf(item);
    if (this.keys.has(key)) {
      // A page delivered an item that was included by hand: from now on it counts as loaded.
      this.extra.delete(key);
      this.replace(item);
      return false;
    }
    this.keys.add(key);
    this.loaded.push(item);
    return true;
  }

  /** Rows that pages delivered (records included by hand before their page arrived do not count). */
  get serverCount(): number {
    return this.loaded.length - this.extra.size;
  }
}
