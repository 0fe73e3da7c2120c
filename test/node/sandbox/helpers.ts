// Test helpers: start a sandbox, talk to it over real loopback HTTP, check bodies against the
// official 2026 CRM v2 document (openapi/tenant-crm-v2.2026-05.json, components.schemas), with
// the live API's nulls (openapi/overlay.json) or without.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../sandbox/index';

/** Compiled (out/test/node/sandbox) or run from source with tsx (test/node/sandbox). */
const FROM_SOURCE = __filename.endsWith('.ts');
export const REPO_ROOT = path.resolve(__dirname, FROM_SOURCE ? '../../..' : '../../../..');
/** Node arguments that run the sandbox CLI: the compiled file, or the source through tsx. */
export const CLI_ARGS = FROM_SOURCE ? ['--import', 'tsx', path.join(REPO_ROOT, 'sandbox/cli.ts')] : [path.resolve(__dirname, '../../../sandbox/cli.js')];

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // Parsed JSON body (undefined when empty or not JSON). Typed loosely on purpose for assertions.
  body: Json;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions walk arbitrary JSON
export type Json = any;

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  token?: string | null;
  appKey?: string | null;
  headers?: Record<string, string>;
}

export class Client {
  private cached: string | undefined;
  constructor(readonly sb: RunningSandbox) {}

  /** Drops the cached token (e.g. after revokeTokens()). */
  forgetToken(): void {
    this.cached = undefined;
  }

  get base(): string {
    return `${this.sb.url}/crm/v2/tenant/${this.sb.tenant}`;
  }

  async tokenReply(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    return send(`${this.sb.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  async token(clientId = this.sb.credentials.clientId, clientSecret = this.sb.credentials.clientSecret): Promise<string> {
    const r = await this.tokenReply({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    assert.equal(r.status, 200, r.text);
    return (r.body as { access_token: string }).access_token;
  }

  async readOnlyToken(): Promise<string> {
    return this.token(this.sb.credentials.readOnlyClientId, this.sb.credentials.readOnlyClientSecret);
  }

  /** Calls the tenant API; `path` is relative to /crm/v2/tenant/{tenant} unless it starts with http. */
  async call(method: string, p: string, o: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token !== null) headers.authorization = `Bearer ${o.token ?? (this.cached ??= await this.token())}`;
    if (o.appKey !== null) headers['st-app-key'] = o.appKey ?? this.sb.credentials.appKey;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    return send(p.startsWith('http') ? p : `${this.base}${p}`, { method, headers, body });
  }

  get(p: string, o?: CallOptions): Promise<Reply> {
    return this.call('GET', p, o);
  }
  post(p: string, body?: unknown, o: CallOptions = {}): Promise<Reply> {
    return this.call('POST', p, { ...o, body });
  }
  patch(p: string, body?: unknown, o: CallOptions = {}): Promise<Reply> {
    return this.call('PATCH', p, { ...o, body });
  }
  put(p: string, body?: unknown, o: CallOptions = {}): Promise<Reply> {
    return this.call('PUT', p, { ...o, body });
  }
  del(p: string, o?: CallOptions): Promise<Reply> {
    return this.call('DELETE', p, o);
  }
}

export async function send(url: string, init: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the one place a body becomes permissive Json
  return { status: res.status, headers: res.headers, text, body: body as Json };
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The Host header to send instead of the URL's; null sends none. fetch cannot set Host at all. */
  host?: string | null;
  agent?: http.Agent;
}

/** A request through node:http, for what fetch refuses to send (Host headers, odd methods). */
export function rawRequest(url: string, o: RawOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (typeof o.host === 'string') headers.host = o.host;
    if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
    const req = http.request(url, { method: o.method ?? 'GET', headers, setHost: o.host !== null, agent: o.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? (JSON.parse(text) as unknown) : undefined;
        } catch {
          body = undefined;
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the one place a raw body becomes permissive Json
        resolve({ status: res.statusCode ?? 0, headers: h, text, body: body as Json });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/**
 * Asserts that a start is refused with this message and returns the error. A sandbox that starts
 * anyway is closed, so that the failing test does not keep the process running.
 */
export async function assertStartRefused(start: Promise<RunningSandbox>, message: RegExp, what = ''): Promise<Error> {
  let started: RunningSandbox;
  try {
    started = await start;
  } catch (e) {
    assert.ok(e instanceof Error, what);
    assert.match(e.message, message, what);
    return e;
  }
  await started.close();
  assert.fail(`${what}: the sandbox started`);
}

/** A CLI sandbox (`npm run sandbox`) in a child process. */
export interface CliChild {
  proc: ChildProcess;
  url: string;
  /** Everything it printed on stdout so far. */
  stdout: () => string;
}

/**
 * Runs the CLI with --quiet and these arguments; resolves once it has printed its banner (the
 * listening line through the seeded-data line), rejects when it exits before.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliChild> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...CLI_ARGS, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    // A CLI that never prints the whole banner fails the test instead of hanging it.
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`cli printed no whole banner within 30 s: ${out}${err}`));
    }, 30_000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const listening = /^CRM sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (listening?.[1] && /^ {2}seeded data: .*$/m.test(out)) {
        clearTimeout(timer);
        resolve({ proc, url: listening[1], stdout: () => out });
      }
    });
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cli exited (${String(code)}) before listening: ${err}`));
    });
  });
}

/** Resolves with the exit code once the process has exited (at once when it has already). */
export function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve(proc.exitCode);
    else proc.once('exit', (code) => resolve(code));
  });
}

/** A token of the default full-access client. */
export async function tokenFor(url: string): Promise<string> {
  const r = await send(`${url}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret',
  });
  return (r.body as { access_token: string }).access_token;
}

export async function withSandbox(opts: SandboxOptions = {}): Promise<{ sb: RunningSandbox; c: Client }> {
  const sb = await startSandbox({ customers: 40, seed: 7, ...opts });
  return { sb, c: new Client(sb) };
}

// ---- official spec conformance ---------------------------------------------------------------
/** The JSON Schema subset of the 2026 OpenAPI 3.1 document (openapi/tenant-crm-v2.2026-05.json). */
interface SpecSchema {
  $ref?: string;
  allOf?: SpecSchema[];
  oneOf?: SpecSchema[];
  anyOf?: SpecSchema[];
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, SpecSchema>;
  additionalProperties?: boolean | SpecSchema;
  items?: SpecSchema;
}
export const SPEC_FILE = 'openapi/tenant-crm-v2.2026-05.json';
const REF_PREFIX = '#/components/schemas/';
let defs: Record<string, SpecSchema> | undefined;
function definitions(): Record<string, SpecSchema> {
  if (!defs) {
    const doc = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, SPEC_FILE), 'utf8')) as { components: { schemas: Record<string, SpecSchema> } };
    defs = doc.components.schemas;
  }
  return defs;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which nulls a body may carry: `live` (the default, and a sandbox's unless `liveNulls: false`) is
 * the document with the live API's nulls, as openapi/overlay.json records them for the client's
 * response schemas: any optional property, and the required ones `nullableInResponses` names;
 * `document` is the document alone.
 */
export type Nulls = 'live' | 'document';
let overlayNulls: Set<string> | undefined;
/** openapi/overlay.json's nullableInResponses: `Component.property` keys. */
function nullableInResponses(): Set<string> {
  overlayNulls ??= new Set(
    Object.keys((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'openapi/overlay.json'), 'utf8')) as { nullableInResponses: object }).nullableInResponses),
  );
  return overlayNulls;
}

function check(value: unknown, schema: SpecSchema, at: string, problems: string[], nulls: Nulls, component?: string): void {
  if (schema.$ref) {
    const name = schema.$ref.replace(REF_PREFIX, '');
    const target = definitions()[name];
    if (!target) {
      problems.push(`${at}: unknown $ref ${schema.$ref}`);
      return;
    }
    check(value, target, at, problems, nulls, name);
    return;
  }
  if (schema.allOf) for (const s of schema.allOf) check(value, s, at, problems, nulls, component);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    // Nullable spellings: oneOf [{$ref}, {type: 'null'}], or a plain [{$ref}] wrapper.
    const results = alternatives.map((s) => {
      const p: string[] = [];
      check(value, s, at, p, nulls, component);
      return p;
    });
    if (!results.some((p) => p.length === 0)) problems.push(...(results.find((p) => p.length > 0) ?? []));
    return;
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (value === null) {
    if (!types.includes('null') && schema.nullable !== true && types.length > 0) problems.push(`${at}: null is not allowed`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  const type = types.find((t) => t !== 'null');
  switch (type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${at}: not an object`);
        return;
      }
      const obj = value as Record<string, unknown>;
      const required = schema.required ?? [];
      for (const r of required) if (!(r in obj)) problems.push(`${at}.${r}: required but missing`);
      for (const [k, v] of Object.entries(obj)) {
        const prop = schema.properties?.[k];
        const liveNull = nulls === 'live' && v === null && (!required.includes(k) || nullableInResponses().has(`${component ?? ''}.${k}`));
        if (prop) {
          if (!liveNull) check(v, prop, `${at}.${k}`, problems, nulls);
        } else if (schema.additionalProperties === false) problems.push(`${at}.${k}: not in the spec`);
        else if (typeof schema.additionalProperties === 'object') check(v, schema.additionalProperties, `${at}.${k}`, problems, nulls);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        problems.push(`${at}: not an array`);
        return;
      }
      value.forEach((v, i) => schema.items && check(v, schema.items, `${at}[${i}]`, problems, nulls));
      return;
    case 'string':
      if (typeof value !== 'string') {
        problems.push(`${at}: not a string (${JSON.stringify(value)})`);
        return;
      }
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) problems.push(`${at}: bad date-time`);
      if ((schema.format === 'guid' || schema.format === 'uuid') && !GUID.test(value)) problems.push(`${at}: bad guid`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${at}: not an integer`);
      else if (schema.format === 'int32' && ((value as number) < -2147483648 || (value as number) > 2147483647)) problems.push(`${at}: not an int32`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: not a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: not a boolean`);
      return;
    default:
      return;
  }
}

/** Problems of `value` against a schema of the 2026 document (`{ $ref }` or inline); [] when it conforms. */
export function specProblems(value: unknown, schema: SpecSchema, nulls: Nulls = 'live'): string[] {
  const problems: string[] = [];
  check(value, schema, '$', problems, nulls);
  return problems;
}

/** Asserts `value` conforms to a component of the 2026 document (required, types, nullability, no extra fields). */
export function assertSpec(value: unknown, definition: string, nulls: Nulls = 'live'): void {
  assert.ok(definitions()[definition], `unknown definition ${definition}`);
  const problems = specProblems(value, { $ref: `${REF_PREFIX}${definition}` }, nulls);
  assert.deepEqual(problems, [], `${definition}: ${problems.join('; ')}`);
}

/** Asserts an ApiErrorResponse with the given status, problem+json, and returns its errors map. */
export function assertProblem(r: Reply, status: number): Record<string, string[]> {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assertSpec(r.body, 'ApiErrorResponse');
  const p = r.body as { status: number; traceId: string; errors: Record<string, string[]> };
  assert.equal(p.status, status);
  assert.match(p.traceId, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  return p.errors;
}

export interface FeedRead {
  rows: Json[];
  continueFrom: string;
  pages: number;
}

/**
 * Reads an export feed from `from` until `hasMore` is false, checking each page against
 * `definition` when given; fails when the feed does not end within `maxPages`.
 */
export async function readFeed(c: Client, p: string, from?: string, options: { definition?: string; maxPages?: number } = {}): Promise<FeedRead> {
  const rows: Json[] = [];
  let token = from;
  const maxPages = options.maxPages ?? 1000;
  for (let pages = 1; pages <= maxPages; pages++) {
    const r = await c.get(token === undefined ? p : `${p}?from=${encodeURIComponent(token)}`);
    assert.equal(r.status, 200, r.text);
    if (options.definition) assertSpec(r.body, options.definition);
    const body = r.body as { data: unknown[]; continueFrom: unknown; hasMore: boolean };
    rows.push(...body.data);
    assert.equal(typeof body.continueFrom, 'string');
    token = body.continueFrom as string;
    if (!body.hasMore) return { rows, continueFrom: token, pages };
    assert.ok(body.data.length > 0, 'a page with hasMore has data');
  }
  throw new Error(`${p} did not end within ${maxPages} pages`);
}

/** Asserts a problem of `status` that left the sandbox's state exactly as it was; returns its errors. */
export async function assertRejected(sb: RunningSandbox, status: number, call: Promise<Reply>): Promise<Record<string, string[]>> {
  const before = sb.snapshot();
  const errors = assertProblem(await call, status);
  assert.equal(sb.snapshot(), before, 'a rejected request changed the state');
  return errors;
}
