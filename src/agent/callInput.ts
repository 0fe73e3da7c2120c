/**
 * What a tool input holds beyond its schema's reach: `__proto__` keys (which parsing drops
 * silently, so they must be found in the raw input), path keys the operation does not take, and
 * path ids written as text (`"10000001"`), which are taken as the number they spell. No vscode.
 */
import type { FieldError } from '../api/errors';
import { CRM_OPERATIONS, type CrmOperationId } from '../api/schemas/operations';

const issue = (field: string, message: string): FieldError => ({ field, message, location: 'body', path: [field] });

/** Every own `__proto__` key in `raw` (a parsed JSON value, already known to nest at most 64 levels). */
export function prototypeKeys(raw: unknown): FieldError[] {
  const found: FieldError[] = [];
  const stack: [unknown, string][] = [[raw, '']];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [value, at] = top;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) value.forEach((item, index) => stack.push([item, `${at}[${index}]`]));
    else
      for (const [key, item] of Object.entries(value)) {
        const field = at ? `${at}.${key}` : key;
        if (key === '__proto__') found.push(issue(field, 'Unknown key __proto__: no input or CRM field has this name; leave it out.'));
        else stack.push([item, field]);
      }
  }
  return found;
}

/**
 * The path values of `operation` as the client takes them: a number written as text becomes that
 * number where the parameter takes numbers; a key the operation does not take is an issue naming
 * the keys it does.
 */
export function pathValues(
  operation: CrmOperationId,
  path: Record<string, string | number> | undefined,
): { ok: true; path: Record<string, string | number> | undefined } | { ok: false; issues: FieldError[] } {
  if (path === undefined) return { ok: true, path };
  const params = CRM_OPERATIONS[operation].pathParams as Readonly<Record<string, { safeParse(value: unknown): { success: boolean } }>>;
  const names = Object.keys(params);
  const takes = names.length === 0 ? 'this operation takes no path values' : `this operation takes ${names.join(', ')}`;
  const issues: FieldError[] = [];
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(path)) {
    const schema = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined;
    if (!schema) {
      issues.push(issue(`path.${key}`, `Unknown path key ${key}; ${takes}.`));
      continue;
    }
    const number = typeof value === 'string' && /^\s*\d{1,16}\s*$/.test(value) ? Number(value) : undefined;
    out[key] = number !== undefined && !schema.safeParse(value).success && schema.safeParse(number).success ? number : value;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, path: out };
}
