// The paging envelope of every list ({page, pageSize, hasMore, totalCount?, data}) and the walk
// that fills it from rows a list has at hand. The large lists (lists/) build pages their own way
// (lists/mergedPage.ts) with the same envelope.

/** page (from 1), pageSize (1..5000, checked by binding) and includeTotal of a list request. */
export interface Paging {
  page: number;
  pageSize: number;
  includeTotal: boolean;
}

/** One page of a list; `totalCount` only when `includeTotal` was asked for. */
export interface Page<R> {
  page: number;
  pageSize: number;
  hasMore: boolean;
  totalCount?: number;
  data: R[];
}

/** Lazily walks `items`: stops one item past the page unless a total count is wanted. */
export function paginate<T, R>(items: Iterable<T>, paging: Paging, map: (item: T) => R, filter: (item: T) => boolean = () => true): Page<R> {
  const skip = (paging.page - 1) * paging.pageSize;
  const data: R[] = [];
  let matched = 0;
  let hasMore = false;
  for (const item of items) {
    if (!filter(item)) continue;
    matched++;
    if (matched <= skip) continue;
    if (data.length < paging.pageSize) {
      data.push(map(item));
      continue;
    }
    hasMore = true;
    if (!paging.includeTotal) break;
  }
  const { page, pageSize } = paging;
  // totalCount goes before data, where the document lists it.
  return paging.includeTotal ? { page, pageSize, hasMore, totalCount: matched, data } : { page, pageSize, hasMore, data };
}
