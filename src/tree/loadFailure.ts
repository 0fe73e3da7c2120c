import { AuthError, ForbiddenError, HttpError, NetworkError, ProblemError, TimeoutError } from '../api/errors';
import { errorMessage } from '../common/commands';

/**
 * Why a list could not load, in the terms the tree shows: credentials rejected (one node for the
 * whole view), a missing scope, the server out of reach (keep the old data, marked stale), or
 * anything else (an error node with Retry).
 */
export type LoadFailure =
  | { kind: 'auth'; message: string }
  | { kind: 'forbidden'; message: string; scope?: string }
  | { kind: 'offline'; message: string }
  | { kind: 'other'; message: string };

export function classifyLoadError(error: unknown): LoadFailure {
  const message = errorMessage(error);
  if (error instanceof AuthError) return { kind: 'auth', message };
  if (error instanceof ForbiddenError) return { kind: 'forbidden', message, scope: error.requiredScope };
  if (error instanceof NetworkError || error instanceof TimeoutError) return { kind: 'offline', message };
  if ((error instanceof HttpError || error instanceof ProblemError) && error.status >= 500) return { kind: 'offline', message };
  return { kind: 'other', message };
}
