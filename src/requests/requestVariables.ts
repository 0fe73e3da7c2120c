/**
 * `{{name}}` in request files (`*.stcrm.json`): the variables of `stcrm.env.json` for the active
 * profile and the built-ins (`{{$uuid}}`, `{{$timestamp}}`, …), resolved as suite steps resolve
 * them (src/suites/templates.ts: a string that is exactly one reference keeps the value's type).
 * A name the environment does not define is a problem at its place in the file, and nothing is
 * sent. Plain Node: no vscode.
 */
import type { OperationInput } from '../api/client';
import type { PathSegment } from '../api/fieldPath';
import { SHARED } from '../suites/environment';
import { defaultBuiltIns, resolveValue, type BuiltIns, type Scope } from '../suites/templates';
import type { RequestFileError, RequestFileRequest } from './requestFile';

export type ResolvedRequest = { ok: true; request: RequestFileRequest; input: OperationInput } | { ok: false; errors: RequestFileError[] };

/** The request with its references resolved from `variables` (those `profile` sees), or every reference that cannot be. */
export function resolveRequestVariables(
  request: RequestFileRequest,
  variables: ReadonlyMap<string, unknown>,
  profile: string | undefined,
  builtIns: BuiltIns = defaultBuiltIns(),
): ResolvedRequest {
  const scope: Scope = { lookup: (name) => (variables.has(name) ? { value: variables.get(name) } : undefined), builtIns };
  const errors: RequestFileError[] = [];
  const part = (key: 'path' | 'query' | 'body', value: unknown): unknown => {
    const resolved = resolveValue(value, scope);
    if (resolved.ok) return resolved.value;
    for (const problem of resolved.problems) {
      const path: PathSegment[] = [key, ...problem.path];
      errors.push({ path, message: problem.missing !== undefined ? unknownMessage(problem.missing, profile) : problem.message });
    }
    return value;
  };
  const path = part('path', request.path) as Record<string, unknown>;
  const query = part('query', request.query) as Record<string, unknown>;
  const hasBody = Object.prototype.hasOwnProperty.call(request, 'body');
  const body = hasBody ? part('body', request.body) : undefined;
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: { operation: request.operation, path, query, ...(hasBody ? { body } : {}) },
    input: { path, query, ...(hasBody ? { body } : {}) },
  };
}

/** Whether a value holds a `{{…}}` anywhere (a request without one needs no environment). */
export function holdsReferences(value: unknown): boolean {
  return JSON.stringify(value)?.includes('{{') === true;
}

function unknownMessage(name: string, profile: string | undefined): string {
  const where = profile === undefined ? `"${SHARED}"` : `${JSON.stringify(profile)} or "${SHARED}"`;
  return `Unknown variable {{${name}}}: give it in stcrm.env.json at the workspace root, under ${where}.`;
}
