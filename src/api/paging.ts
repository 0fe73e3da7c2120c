import * as z from 'zod';
import { CancelledError } from './errors';

/** ServiceTitan's `PaginatedResponse_Of_*` envelope. Pages start at 1. */
export interface Page<T> {
  page: number;
  pageSize: number;
  hasMore: boolean;
  totalCount?: number;
  data: T[];
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
    totalCount: z
      .number()
      .int()
      .nullish()
      .transform((v) => v ?? undefined),
    data: z.array(item),
  });
}

export interface PageQuery {
  page?: number;
  pageSize?: number;
  includeTotal?: boolean;
}

export interface IterateOptions {
  pageSize?: number;
  includeTotal?: boolean;
  /** Hard stop even if the server keeps saying `hasMore` (default 10,000 pages). */
  maxPages?: number;
  signal?: AbortSignal;
}

export type PageFetcher<T> = (query: Required<Pick<PageQuery, 'page' | 'pageSize'>> & PageQuery, signal?: AbortSignal) => Promise<Page<T>>;

const DEFAULT_MAX_PAGES = 10_000;

/**
 * Walks pages from 1 until the server says there is no more. Always terminates: it also stops
 * on an empty page, once `totalCount` items have been seen, and after `maxPages` pages, because
 * a faulty server can claim `hasMore` forever.
 */
export async function* iteratePages<T>(fetchPage: PageFetcher<T>, options: IterateOptions = {}): AsyncGenerator<Page<T>> {
  const pageSize = options.pageSize ?? 50;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let seen = 0;
  for (let page = 1; page <= maxPages; page++) {
    if (options.signal?.aborted) throw new CancelledError();
    const result = await fetchPage({ page, pageSize, includeTotal: options.includeTotal ?? false }, options.signal);
    seen += result.data.length;
    yield result;
    if (!result.hasMore || result.data.length === 0) return;
    if (result.totalCount !== undefined && seen >= result.totalCount) return;
  }
}

/** Every item of every page, in order. */
export async function* iterateItems<T>(fetchPage: PageFetcher<T>, options: IterateOptions = {}): AsyncGenerator<T> {
  for await (const page of iteratePages(fetchPage, options)) yield* page.data;
}
