// Export change feeds (ExportResponse_Of_…: { hasMore, continueFrom, data }), generic over the
// record kind so customers, locations, contacts, leads and bookings all page the same way.
//
// Order: seeded records first, in (modifiedOn, key) order, then every record changed through the
// API in the order of the store-wide revision stamped on each change. A record changed after it
// was seeded leaves the seeded part and shows up once, at its latest change; a record changed
// twice before a client reads it shows up once, with its latest state. So reading a feed to its
// end sees each change exactly once, and reading it again from the last `continueFrom` sees only
// what changed since.
//
// Use: keep one `ChangeLog` per feed next to the records, call `touch(key)` on every change
// (create, update, delete: a deleted record should still resolve, e.g. with `active: false`),
// persist `entries()` and the shared `Revisions.value`, and build a `ChangeFeed` over them.
import { addError, badRequest, type ErrorMap } from './errors';

/** The store-wide revision counter every change log stamps from (persist `value`). */
export class Revisions {
  constructor(public value = 0) {}
  next(): number {
    return ++this.value;
  }
}

/** Which records changed, and at which revision (only the latest revision of a key counts). */
export class ChangeLog<K extends string | number> {
  private readonly stamps = new Map<K, number>();
  /** Ascending by revision; may hold superseded entries (skipped when read). */
  private log: Array<{ rev: number; key: K }> = [];

  constructor(readonly revisions: Revisions) {}

  /** Records a change of `key` and returns its new revision. */
  touch(key: K): number {
    const rev = this.revisions.next();
    this.stamps.set(key, rev);
    this.log.push({ rev, key });
    // Keep superseded entries from piling up without bound.
    if (this.log.length > 1024 && this.log.length > this.stamps.size * 2) {
      this.log = this.log.filter((entry) => this.stamps.get(entry.key) === entry.rev);
    }
    return rev;
  }

  has(key: K): boolean {
    return this.stamps.has(key);
  }

  /** Index of the first log entry with a revision above `rev`. */
  private firstAfter(rev: number): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.log[middle] as { rev: number }).rev <= rev) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The latest change of every key changed after revision `rev`, in revision order. */
  *since(rev: number): Generator<{ rev: number; key: K }> {
    for (let i = this.firstAfter(rev); i < this.log.length; i++) {
      const entry = this.log[i] as { rev: number; key: K };
      if (this.stamps.get(entry.key) === entry.rev) yield entry;
    }
  }

  /** [key, revision] pairs in revision order, for the data file. */
  entries(): Array<[K, number]> {
    return [...this.since(0)].map((entry) => [entry.key, entry.rev]);
  }

  /** Restores `entries()` (any order); revisions must not exceed `revisions.value`. */
  load(entries: ReadonlyArray<readonly [K, number]>): void {
    const sorted = [...entries].sort((a, b) => a[1] - b[1]);
    for (const [key, rev] of sorted) {
      this.stamps.set(key, rev);
      this.log.push({ rev, key });
    }
  }
}

/** The seeded records in (modifiedOn, key) order: the key and seeded modifiedOn (ms) at each position. */
export interface SeededOrder<K> {
  count: number;
  key(position: number): K;
  modifiedMs(position: number): number;
}

/** A SeededOrder of keys with their seeded modifiedOn in ms, given in any order. */
export function seededOrder<K extends string | number>(items: Iterable<readonly [K, number]>): SeededOrder<K> {
  const sorted = [...items].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    count: sorted.length,
    key: (position) => (sorted[position] as readonly [K, number])[0],
    modifiedMs: (position) => (sorted[position] as readonly [K, number])[1],
  };
}

export interface FeedSource<K extends string | number, R> {
  log: ChangeLog<K>;
  /** The seeded records in export order. Called once, on the first read. */
  seeded(): SeededOrder<K>;
  /** What the export shows for a key now (seeded or changed), or undefined to leave it out. */
  resolve(key: K): R | undefined;
  /** modifiedOn of a resolved record, in ms (for `from=<date>`). */
  modifiedMs(record: R): number;
}

export interface ExportPage<T> {
  hasMore: boolean;
  continueFrom: string;
  data: T[];
}

interface Position {
  /** Next index into the seeded order (== seeded count once the seeded part is done). */
  s: number;
  /** Last revision read in the changes part (0 while in the seeded part). */
  r: number;
  /** Only records modified on or after this instant (ms), from `from=<date>`; 0 for all. */
  m: number;
}

/** Records per export page (the API has no page size parameter). */
export const EXPORT_PAGE_SIZE = 50;
const TOKEN_PREFIX = 'cf1.';
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

function encode(p: Position): string {
  return TOKEN_PREFIX + Buffer.from(`${p.s}.${p.r}.${p.m}`, 'utf8').toString('base64url');
}

/** A continuation token, or a date; undefined when it is neither. */
function decode(raw: string): Position | 'date' | undefined {
  const t = raw.trim();
  if (t.startsWith(TOKEN_PREFIX)) {
    const body = t.slice(TOKEN_PREFIX.length);
    if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
    const parts = Buffer.from(body, 'base64url').toString('utf8').split('.');
    if (parts.length !== 3 || !parts.every((x) => /^\d{1,16}$/.test(x))) return undefined;
    const [s, r, m] = parts.map(Number) as [number, number, number];
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(r) || !Number.isSafeInteger(m)) return undefined;
    return { s, r, m };
  }
  return DATE_RE.test(t) && !Number.isNaN(Date.parse(t)) ? 'date' : undefined;
}

export function invalidFrom(raw: string): ErrorMap {
  const errors: ErrorMap = {};
  addError(errors, 'from', `The value '${raw}' is not valid for from: pass the continueFrom of an earlier export response, or a date such as 2020-01-01.`);
  return errors;
}

export class ChangeFeed<K extends string | number, R> {
  private seededValue: SeededOrder<K> | undefined;

  constructor(private readonly source: FeedSource<K, R>) {}

  private order(): SeededOrder<K> {
    return (this.seededValue ??= this.source.seeded());
  }

  /** The first seeded position modified at or after `value`. */
  private lowerBound(order: SeededOrder<K>, value: number): number {
    let low = 0;
    let high = order.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (order.modifiedMs(middle) < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Parses `from` (absent: the start); throws a 400 keyed `from` for anything else. */
  position(from: string | undefined): Position {
    if (from === undefined || from.trim() === '') return { s: 0, r: 0, m: 0 };
    const d = decode(from);
    if (d === undefined) throw badRequest(invalidFrom(from));
    const order = this.order();
    if (d === 'date') {
      const m = Date.parse(from.trim());
      return { s: this.lowerBound(order, m), r: 0, m };
    }
    const current = this.source.log.revisions.value;
    // A token is only ever handed out with s <= seeded count, r <= the revision counter, and r = 0 inside the seeded part.
    if (d.s > order.count || d.r > current || (d.s < order.count && d.r !== 0)) throw badRequest(invalidFrom(from));
    return d;
  }

  /** One page of at most `limit` records after `from`. */
  read<T>(from: string | undefined, limit: number, map: (record: R) => T): ExportPage<T> {
    const pos = this.position(from);
    const order = this.order();
    const { log } = this.source;
    const data: T[] = [];
    let hasMore = false;
    const wanted = (rec: R | undefined): rec is R => rec !== undefined && (pos.m === 0 || this.source.modifiedMs(rec) >= pos.m);

    let s = pos.s;
    while (s < order.count) {
      const key = order.key(s);
      // Changed records are read in the changes part, at their latest revision.
      const rec = log.has(key) ? undefined : this.source.resolve(key);
      if (wanted(rec)) {
        if (data.length >= limit) {
          hasMore = true;
          break;
        }
        data.push(map(rec));
      }
      s++;
    }
    let r = pos.r;
    if (!hasMore) {
      for (const e of log.since(pos.r)) {
        const rec = this.source.resolve(e.key);
        if (wanted(rec)) {
          if (data.length >= limit) {
            hasMore = true;
            break;
          }
          data.push(map(rec));
        }
        r = e.rev;
      }
    }
    return { hasMore, continueFrom: encode({ s, r, m: pos.m }), data };
  }
}
