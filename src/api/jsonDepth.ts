/**
 * How deep JSON nests, found without recursion: as text (one loop over the characters) or as a
 * parsed value (a walk with an explicit stack), so any depth costs time linear in its size and no
 * stack. JSON.parse copes with any depth, but every walk after it (jsonc-parser's tree, zod,
 * redaction, JSON.stringify) recurses: input nested too deep is refused before those run.
 */

/** The offset of the first `{` or `[` nested deeper than `maxDepth` (strings skipped), or -1. Any text, JSON or not. */
export function tooDeepAt(text: string, maxDepth: number): number {
  // Every response body passes here: one with no more brackets than the limit cannot nest past it,
  // and counting them with indexOf costs a fraction of the walk below.
  if (openingsAtMost(text, maxDepth)) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22 || c === 0x0a) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

/** Whether `text` holds at most `most` of `{` and `[` together (strings included). */
function openingsAtMost(text: string, most: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) {
      if (++count > most) return false;
    }
  }
  return true;
}

/** Whether the arrays and objects of a parsed value nest deeper than `limit`. */
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

/**
 * Deepest nesting handed to a recursive reader (jsonc-parser's parseTree, a walk of a parsed
 * value): far beyond any CRM document or file of ours (fewer than 10 levels), far short of the stack.
 */
export const MAX_WALK_DEPTH = 1_000;
