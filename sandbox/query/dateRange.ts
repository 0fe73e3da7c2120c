// The date-range filter of the lists: createdBefore, createdOnOrAfter, modifiedBefore,
// modifiedOnOrAfter, as ms (binding turns the query's date-times into ms).

export interface DateRange {
  createdBefore?: number;
  createdOnOrAfter?: number;
  modifiedBefore?: number;
  modifiedOnOrAfter?: number;
}

/** Whether a time (ms) is on or after `from` and before `before`; absent bounds hold, and NaN is in no bounded range. */
export function inRange(ms: number, from: number | undefined, before: number | undefined): boolean {
  return (from === undefined || ms >= from) && (before === undefined || ms < before);
}

/** Whether a record's dates are in the range. Dates are parsed only for a bound that is set. */
export function inDateRange(range: DateRange, createdOn: string, modifiedOn: string): boolean {
  const createdBounded = range.createdOnOrAfter !== undefined || range.createdBefore !== undefined;
  if (createdBounded && !inRange(Date.parse(createdOn), range.createdOnOrAfter, range.createdBefore)) return false;
  const modifiedBounded = range.modifiedOnOrAfter !== undefined || range.modifiedBefore !== undefined;
  return !modifiedBounded || inRange(Date.parse(modifiedOn), range.modifiedOnOrAfter, range.modifiedBefore);
}
