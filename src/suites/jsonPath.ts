/**
 * JSONPath (RFC 9535) for suite captures and `expect.paths`, by jsonpath-rfc9535 (no eval). Bounded:
 * an expression has at most MAX_EXPRESSION characters, and the functions that take a regular
 * expression (`match`, `search`) are refused, so no expression can cost more than a walk of the
 * answer. Own properties only: `$.constructor` finds nothing. Plain Node.
 */
import { query, type JsonValue } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';

export const MAX_EXPRESSION = 500;
const REGEX_FUNCTIONS: ReadonlySet<string> = new Set(['match', 'search']);

/** Why `expression` is not a JSONPath this engine runs, or undefined when it is. */
export function jsonPathProblem(expression: string): string | undefined {
  if (expression.length > MAX_EXPRESSION) return `This JSONPath has ${expression.length} characters; at most ${MAX_EXPRESSION}.`;
  let ast: unknown;
  try {
    ast = parseJsonPath(expression);
  } catch (error) {
    return `Not a JSONPath (RFC 9535), like $.id or $.data[0].id: ${syntaxProblem(error, expression)}`;
  }
  const name = regexFunction(ast);
  if (name !== undefined)
    return `${name}() is not supported here: its regular expression could take unbounded time. Compare with == instead, or check the value in "paths".`;
  return undefined;
}

/** The values `expression` selects in `value` (checked with jsonPathProblem first), in document order. */
export function selectAll(value: unknown, expression: string): unknown[] {
  if (value === undefined) return [];
  return query(value as JsonValue, expression);
}

/** Where the parser stopped, in words (its own message lists every character class it expected, half characters included). */
function syntaxProblem(error: unknown, expression: string): string {
  const { found, location } = error as { found?: unknown; location?: { start?: { offset?: unknown } } };
  const offset = typeof location?.start?.offset === 'number' ? location.start.offset : undefined;
  if (offset === undefined) return 'it cannot be read.';
  if (typeof found !== 'string') return `it ends too soon (after ${JSON.stringify(expression)}).`;
  return `unexpected ${JSON.stringify(found)} at character ${offset + 1}${expression.startsWith('$') ? '' : ' (a JSONPath starts with $)'}.`;
}

/** The name of the first regex function call in a parsed expression, if any. Iterative: the tree is as deep as the expression is long. */
function regexFunction(ast: unknown): string | undefined {
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const record = node as { type?: unknown; name?: unknown };
    if (record.type === 'FunctionExpr' && typeof record.name === 'string' && REGEX_FUNCTIONS.has(record.name)) return record.name;
    stack.push(...(Object.values(node) as unknown[]));
  }
  return undefined;
}
