/**
 * How deep a parsed JSON value nests, checked before anything recursive (schema checks,
 * JSON.stringify) walks it: a hostile value may nest a million levels and overflow the stack.
 */

/** Whether arrays and objects nest deeper than `limit` (walked with a stack: the value may be a million levels deep). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [item, depth] = top;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
