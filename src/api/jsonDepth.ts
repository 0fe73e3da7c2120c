/**
 * How deep a JSON text nests, found without parsing it: one loop over the characters, no recursion,
 * so any depth costs time linear in the text and no stack. JSON.parse copes with any depth, but
 * every walk of the value after it (jsonc-parser's tree, zod, redaction, JSON.stringify) recurses:
 * text nested too deep is refused before those run.
 */

/** The offset of the first `{` or `[` nested deeper than `maxDepth` (strings skipped), or -1. Any text, JSON or not. */
export function tooDeepAt(text: string, maxDepth: number): number {
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

/**
 * Deepest nesting handed to a recursive reader (jsonc-parser's parseTree, a walk of a parsed
 * value): far beyond any CRM document or file of ours (fewer than 10 levels), far short of the stack.
 */
export const MAX_WALK_DEPTH = 1_000;
