// Response values handlers return (the server writes them, possibly through a fault) and the
// small route table used for the tenant API.
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, PROBLEM_CONTENT_TYPE, problem, type ErrorMap } from './errors';

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function json(value: unknown, status = 200): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/** `schema: null` responses (DELETE, relationship POST): 200 with an empty body, like `return Ok()`. */
export function empty(status = 200): SandboxResponse {
  return { status, headers: {}, body: '' };
}

export function problemResponse(status: number, title: string, errors: ErrorMap = {}, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers }, body: JSON.stringify(problem(status, title, errors)) };
}

export function errorResponse(e: HttpError): SandboxResponse {
  return problemResponse(e.status, e.title, e.errors, e.headers);
}

export interface RequestContext {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (ctx: RequestContext) => SandboxResponse;

export interface Route {
  method: string;
  pattern: string;
  scope: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: string[];
  literals: number;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(route: Route): void {
    const segments = route.pattern.split('/').filter((s) => s !== '');
    this.routes.push({ ...route, segments, literals: segments.filter((s) => !s.startsWith('{')).length });
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter((s) => s !== '');
    const matches: Array<{ route: CompiledRoute; params: Record<string, string> }> = [];
    for (const r of this.routes) {
      if (r.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = r.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith('{')) params[seg.slice(1, -1)] = safeDecode(part);
        else ok = seg.toLowerCase() === part.toLowerCase();
      }
      if (ok) matches.push({ route: r, params });
    }
    if (matches.length === 0) return { kind: 'none' };
    // Literal segments beat parameters: only the most specific shape counts.
    const top = Math.max(...matches.map((m) => m.route.literals));
    const shape = matches.filter((m) => m.route.literals === top);
    const hit = shape.find((m) => m.route.method === method);
    if (hit) return { kind: 'found', route: hit.route, params: hit.params };
    return { kind: 'method', allow: shape.map((m) => m.route.method) };
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

export function handleSafely(fn: () => SandboxResponse): SandboxResponse {
  try {
    return fn();
  } catch (e) {
    if (e instanceof HttpError) return errorResponse(e);
    throw e;
  }
}
