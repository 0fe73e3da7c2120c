// Response values handlers return (the server writes them, possibly through a fault) and the
// route table of the tenant API, built from CRM_SPEC.
import type { IncomingHttpHeaders } from 'node:http';
import type { Bound } from './binding';
import { PROBLEM_CONTENT_TYPE, problem, type HttpError, type ErrorMap } from './errors';
import type { SpecOperation } from './specTypes';
import type { JsonObject } from './validation';

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A JSON answer. It keeps its value and writes the body when it is read, so that the gateway can
 * write an operation's answer with the live API's nulls instead (liveNulls.ts) at no extra cost.
 */
export class JsonResponse implements SandboxResponse {
  readonly headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  private text: string | undefined;

  constructor(
    readonly value: unknown,
    readonly status: number,
  ) {}

  get body(): string {
    this.text ??= JSON.stringify(this.value);
    return this.text;
  }
}

export function json(value: unknown, status = 200): JsonResponse {
  return new JsonResponse(value, status);
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

/** What a handler gets: the raw request plus the values bound (and validated) from the operation's spec. */
export interface RequestContext {
  method: string;
  operation: SpecOperation;
  /** Raw (percent-decoded) path values. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Path parameters, typed by the spec (int64 -> number, guid -> canonical lower-case string). */
  path: Bound;
  /** Query parameters, typed by the spec plus the sandbox's overlay (ranges, lists, enums, sort). */
  q: Bound;
  /** The validated JSON body; `{}` for operations without one. */
  json: JsonObject;
}

export type Handler = (ctx: RequestContext) => SandboxResponse;

/** A route names its operation; method, path pattern and scope come from CRM_SPEC. */
export interface OperationRoute {
  operationId: string;
  handler: Handler;
}

interface CompiledOperation {
  op: SpecOperation;
  segments: string[];
  /** One char per segment, '1' (literal) or '0' (parameter): literal beats parameter, left to right. */
  rank: string;
  handler: Handler | undefined;
}

export type RouteMatch =
  | { kind: 'found'; operation: SpecOperation; handler: Handler | undefined; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none'; closest: SpecOperation | undefined };

const isParam = (seg: string): boolean => seg.startsWith('{') && seg.endsWith('}');

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/** How many segments, and characters of each, `Router.closest` compares: its cost is bounded for any path. */
export const CLOSEST_LIMITS = { segments: 12, chars: 64 } as const;

/** The part of a request path `Router.closest` looks at: the first segments, each cut short and lower-cased. */
export function closestInput(parts: readonly string[]): string[] {
  return parts.slice(0, CLOSEST_LIMITS.segments).map((part) => part.slice(0, CLOSEST_LIMITS.chars).toLowerCase());
}

/** How far a (lower-cased, cut short) request segment is from a template segment: 0 (same) .. 1 (nothing alike). */
function segmentCost(template: string, part: string): number {
  if (isParam(template)) return /^[\w.{}()-]+$/.test(part) && !/^[a-z-]+$/.test(part) ? 0 : 0.6;
  const literal = template.toLowerCase();
  if (literal === part) return 0;
  return Math.min(1, levenshtein(literal, part) / Math.max(literal.length, part.length));
}

/** Segment-wise edit distance (insert/delete 1, substitute by segmentCost). */
function pathDistance(template: string[], parts: string[]): number {
  const prev = Array.from({ length: parts.length + 1 }, (_, j) => j);
  for (let i = 1; i <= template.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= parts.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + segmentCost(template[i - 1] as string, parts[j - 1] as string));
      diag = up;
    }
  }
  return prev[parts.length] as number;
}

/** The tenant API's route table: every operation of the document, with or without a handler. */
export class Router {
  private readonly ops: CompiledOperation[];
  private readonly byId = new Map<string, CompiledOperation>();

  constructor(operations: readonly SpecOperation[]) {
    this.ops = operations.map((op) => {
      const segments = op.path.split('/').filter((segment) => segment !== '');
      return { op, segments, rank: segments.map((segment) => (isParam(segment) ? '0' : '1')).join(''), handler: undefined };
    });
    for (const compiled of this.ops) this.byId.set(compiled.op.operationId, compiled);
  }

  add(route: OperationRoute): void {
    const compiled = this.byId.get(route.operationId);
    if (!compiled) throw new Error(`route for ${route.operationId}, which CRM_SPEC does not define`);
    if (compiled.handler) throw new Error(`two routes for ${route.operationId}`);
    compiled.handler = route.handler;
  }

  /** Operations of the document that have no handler (startSandbox refuses to start with any). */
  missing(): string[] {
    return this.ops.filter((compiled) => !compiled.handler).map((compiled) => compiled.op.operationId);
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter((part) => part !== '');
    const matches: Array<{ compiled: CompiledOperation; params: Record<string, string> }> = [];
    for (const compiled of this.ops) {
      if (compiled.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = compiled.segments[i] as string;
        const part = parts[i] as string;
        if (isParam(segment)) params[segment.slice(1, -1)] = safeDecode(part);
        else ok = segment.toLowerCase() === part.toLowerCase();
      }
      if (ok) matches.push({ compiled, params });
    }
    if (matches.length === 0) return { kind: 'none', closest: this.closest(method, parts) };
    // Literal segments beat parameters, segment by segment: only the most specific template counts.
    const top = matches.reduce((best, match) => (match.compiled.rank > best ? match.compiled.rank : best), '');
    const shape = matches.filter((match) => match.compiled.rank === top);
    const hit = shape.find((match) => match.compiled.op.method === method);
    if (hit) return { kind: 'found', operation: hit.compiled.op, handler: hit.compiled.handler, params: hit.params };
    return { kind: 'method', allow: [...new Set(shape.map((match) => match.compiled.op.method))] };
  }

  /**
   * The operation nearest to a method and path that none has (segment-wise edit distance, then
   * method). Only `closestInput(parts)` is compared, so a 12 KB path costs what a short one does.
   */
  closest(method: string, parts: readonly string[]): SpecOperation | undefined {
    const input = closestInput(parts);
    let best: { compiled: CompiledOperation; score: number } | undefined;
    for (const compiled of this.ops) {
      const score = pathDistance(compiled.segments, input) + (compiled.op.method === method ? 0 : 0.5);
      if (!best || score < best.score) best = { compiled, score };
    }
    return best?.compiled.op;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
