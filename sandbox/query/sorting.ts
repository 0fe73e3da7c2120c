// The one sort of every list: by id or by a date field, ascending or descending, ties in id order.
// `sort=+Field` / `-Field` is parsed by binding.ts; the fields an operation takes come from the
// document (specSchemas.ts checks at startup that they are among the ones handled here).

/** A parsed `sort` query value. */
export interface Sort {
  field: string;
  descending: boolean;
}

/** What `sort` can order: an id (number or GUID) and its dates; rows without `modifiedOn` use `createdOn`. */
export interface Sortable {
  id: number | string;
  createdOn: string;
  modifiedOn?: string;
}

/** The date fields `sort` orders by (lower-case), besides the id. */
export type DateSortField = 'createdon' | 'modifiedon';

/** The lower-case date field of a sort, or undefined for a sort by id; throws for any other field. */
export function dateSortField(sort: Sort): DateSortField | undefined {
  const field = sort.field.toLowerCase();
  if (field === 'id') return undefined;
  if (field !== 'createdon' && field !== 'modifiedon') throw new Error(`no sort by ${sort.field}`);
  return field;
}

/** A row's sort key in ms for a date field. */
export function dateSortKey(row: Sortable, field: DateSortField): number {
  return Date.parse(field === 'createdon' ? row.createdOn : (row.modifiedOn ?? row.createdOn));
}

/** Id order (numbers, or GUID text as JavaScript compares strings): the tie-break of every sort. */
export function compareIds(a: number | string, b: number | string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Id order, ascending: how the stores walk their rows. */
export const ID_ORDER: Sort = { field: 'Id', descending: false };

/**
 * `sort` over `rows` (stable, ties in id order), or the rows as they are without a sort. Field
 * names compare case-insensitively (the document spells `ID` once). Dates are parsed once per
 * row, not in the comparator.
 */
export function sortRows<T extends Sortable>(rows: readonly T[], sort: Sort | undefined): readonly T[] {
  if (!sort) return rows;
  const direction = sort.descending ? -1 : 1;
  const field = dateSortField(sort);
  if (field === undefined) return [...rows].sort((a, b) => compareIds(a.id, b.id) * direction);
  const keyed = rows.map((row) => ({ row, key: dateSortKey(row, field) }));
  keyed.sort((a, b) => (a.key - b.key || compareIds(a.row.id, b.row.id)) * direction);
  return keyed.map((entry) => entry.row);
}
