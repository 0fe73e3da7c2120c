// Loopback-only control routes for tests and demos. Not part of the ServiceTitan API.
import type * as http from 'node:http';
import * as z from 'zod';
import type { ErrorMap } from '../errors';
import { empty, json, problemResponse, type SandboxResponse } from '../http';
import { faultRuleSchema, type FaultSet } from '../faults';
import { isJsonContentType } from '../validation';

export interface AdminContext {
  req: http.IncomingMessage;
  url: URL;
  method: string;
  body: string;
  faults: FaultSet;
  /** Revokes every token issued so far (and persists that when there is a data file). */
  revokeTokens: () => void;
  stats: { tokenRequests: number; apiRequests: number };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function adminResponse(ctx: AdminContext): SandboxResponse {
  const { req, url, method } = ctx;
  // The server has already checked the Host header (DNS rebinding) for every route.
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return problemResponse(403, 'Admin routes are loopback-only');
  // A JSON content type forces a CORS preflight from browsers, which this server never answers.
  if (method === 'POST' && !isJsonContentType(req.headers['content-type'])) {
    return problemResponse(415, 'Admin POST requests must be application/json');
  }
  const path = url.pathname.replace(/\/+$/, '');
  switch (`${method} ${path}`) {
    case 'GET /__sandbox/faults':
      return json(ctx.faults.list());
    case 'DELETE /__sandbox/faults':
      ctx.faults.clear();
      return json([]);
    case 'POST /__sandbox/faults':
      return addFaults(ctx);
    case 'POST /__sandbox/revoke-tokens':
      ctx.revokeTokens();
      return empty();
    case 'GET /__sandbox/stats':
      return json({ ...ctx.stats });
    case 'DELETE /__sandbox/stats':
      ctx.stats.tokenRequests = 0;
      ctx.stats.apiRequests = 0;
      return json({ ...ctx.stats });
    default:
      return problemResponse(404, 'Not Found');
  }
}

/** POST /__sandbox/faults: one rule or an array of rules, all valid or none added. */
function addFaults(ctx: AdminContext): SandboxResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body || 'null');
  } catch {
    return problemResponse(400, 'Body must be JSON', { $: ['Invalid JSON.'] });
  }
  const result = (Array.isArray(parsed) ? z.array(faultRuleSchema) : faultRuleSchema).safeParse(parsed);
  if (!result.success) {
    const errors: ErrorMap = {};
    for (const issue of result.error.issues) (errors[issue.path.join('.') || '$'] ??= []).push(issue.message);
    return problemResponse(400, 'Invalid fault rule', errors);
  }
  for (const rule of Array.isArray(result.data) ? result.data : [result.data]) ctx.faults.add(rule);
  return json(ctx.faults.list());
}
