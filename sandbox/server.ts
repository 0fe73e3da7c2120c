// HTTP server: token endpoint, tenant API gateway (routing, faults, auth, scopes), admin routes.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Auth } from './auth';
import { bind } from './binding';
import { DataFileLock } from './dataFileLock';
import type { DataFileContent } from './dataFileSchema';
import { HttpError } from './errors';
import { FaultSet } from './faults';
import { CRM_SPEC } from './generated/spec.gen';
import { errorResponse, json, JsonResponse, problemResponse, Router, type OperationRoute, type SandboxResponse } from './http';
import { withLiveNulls } from './liveNulls';
import { contentOf, Persistence, type SandboxState } from './persistence';
import { checkRateLimit, SandboxRateLimiter } from './rateLimit';
import { adminResponse } from './routes/admin';
import type { RouteDeps } from './routes/shared/routeDeps';
import { contactMethodRoutes } from './routes/contactMethods';
import { contactRoutes } from './routes/contacts';
import { customFieldRoutes } from './routes/customFields';
import { customerRoutes } from './routes/customers';
import { exportRoutes } from './routes/exports';
import { bookingProviderTagRoutes } from './routes/bookingProviderTags';
import { bookingRoutes } from './routes/bookings';
import { leadRoutes } from './routes/leads';
import { locationRoutes } from './routes/locations';
import { noteRoutes } from './routes/notes';
import { tagRoutes } from './routes/tags';
import { MAX_CUSTOMERS, MAX_SEED, SeedData } from './seed';
import { SalesStore } from './salesStore';
import { Store } from './store';
import { nextTokenGeneration } from './tokenGeneration';
import type { FaultRule, RunningSandbox, SandboxOptions } from './types';

const MAX_BODY_BYTES = 1024 * 1024;
const API_PREFIX = /^\/crm\/v2\/tenant\/([^/]+)(\/.*)?$/i;
const FAULT_TITLES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Every route of the tenant API; each names its CRM_SPEC operation. */
export function operationRoutes(deps: RouteDeps): OperationRoute[] {
  return [
    ...customerRoutes(deps),
    ...locationRoutes(deps),
    ...contactRoutes(deps),
    ...contactMethodRoutes(deps),
    ...noteRoutes(deps),
    ...tagRoutes(deps),
    ...customFieldRoutes(),
    ...exportRoutes(deps),
    ...leadRoutes(deps),
    ...bookingRoutes(deps),
    ...bookingProviderTagRoutes(deps),
  ];
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The loopback names a Host header may carry: localhost, 127.x.y.z and [::1], with any port or
 * none. The port is not checked, so that port forwarding works (VS Code Remote, `ssh -L`, a
 * container's `-p`), where the client's port is not the sandbox's.
 */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * DNS rebinding guard: a page in the user's browser can reach 127.0.0.1 under a host name of its
 * own (which then is its Host), but it cannot make the browser send a loopback name.
 */
function isLoopbackHost(host: string | undefined): boolean {
  return LOOPBACK_HOST.test(host ?? '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}

/** The path and query for the log, with the app key of the query replaced by ***. */
function redactedPath(url: URL): string {
  const query = new URLSearchParams(url.search);
  for (const name of [...query.keys()]) {
    if (name.toLowerCase() === 'servicetitanapplicationkey') query.set(name, '***');
  }
  const text = query.toString();
  return text ? `${url.pathname}?${text}` : url.pathname;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The app key a call is counted under, as the gateway reads it (header first, like Auth); '' when missing. */
function appKeyOf(req: http.IncomingMessage, url: URL): string {
  const header = req.headers['st-app-key'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined) return value;
  for (const [name, queryValue] of url.searchParams) {
    if (name.toLowerCase() === 'servicetitanapplicationkey') return queryValue;
  }
  return '';
}

/**
 * The line that says a data file's own seed and customer count win over the ones `options` asked
 * for, naming those that differ; undefined when none does (or none was asked for).
 */
function seedOverrideNotice(options: SandboxOptions, fileSeed: number, fileCustomers: number): string | undefined {
  const unused: string[] = [];
  if (options.seed !== undefined && options.seed !== fileSeed) unused.push(`seed ${options.seed}`);
  if (options.customers !== undefined && options.customers !== fileCustomers) unused.push(`${options.customers} customers`);
  if (unused.length === 0) return undefined;
  return (
    `data file ${options.dataFile ?? ''} holds data seeded with seed ${fileSeed} and ${fileCustomers} customers, which it keeps: ` +
    `${unused.join(' and ')} ${unused.length === 1 ? 'is' : 'are'} not used (start with another data file for other seeded data)`
  );
}

/**
 * Starts the sandbox. With a data file only while no other sandbox uses it: a DataFileInUseError
 * (dataFileLock.ts) names the one that does. A failed start gives the data file back.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const lock = options.dataFile ? DataFileLock.acquire(options.dataFile, options.log ?? ((): void => undefined)) : undefined;
  try {
    return await startHoldingLock(options, lock);
  } catch (e) {
    lock?.release();
    throw e;
  }
}

/**
 * Throws an Error naming the first option out of range (tenant, customers, seed, token lifetime,
 * rate limit). The command line calls it before starting, so a bad flag is a usage error.
 */
export function checkSandboxOptions(options: SandboxOptions): void {
  const rawTenant = options.tenant ?? '1000';
  if (!/^\d+$/.test(rawTenant) || BigInt(rawTenant) > 9223372036854775807n) {
    throw new Error(`tenant must be a positive int64 number such as 1000, got '${rawTenant}'`);
  }
  const customers = options.customers ?? 100;
  if (!Number.isInteger(customers) || customers < 0 || customers > MAX_CUSTOMERS) {
    throw new Error(`customers must be an integer between 0 and ${MAX_CUSTOMERS}, got ${customers}`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new Error(`seed must be an integer between 0 and ${MAX_SEED}, got ${seed}`);
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 900;
  if (!Number.isFinite(tokenLifetimeSeconds) || tokenLifetimeSeconds <= 0) {
    throw new Error(`tokenLifetimeSeconds must be a number of seconds above 0, got ${tokenLifetimeSeconds}`);
  }
  checkRateLimit(options.rateLimitPerSecond);
}

async function startHoldingLock(options: SandboxOptions, lock: DataFileLock | undefined): Promise<RunningSandbox> {
  checkSandboxOptions(options);
  // The gateway compares tenants without leading zeros, so the token's tenant must not have any.
  const tenant = BigInt(options.tenant ?? '1000').toString();
  const credentials = {
    clientId: options.clientId ?? 'sandbox-client',
    clientSecret: options.clientSecret ?? 'sandbox-secret',
    appKey: options.appKey ?? 'sandbox-app-key',
    readOnlyClientId: options.readOnlyClientId ?? 'sandbox-readonly-client',
    readOnlyClientSecret: options.readOnlyClientSecret ?? 'sandbox-readonly-secret',
  };
  const customers = options.customers ?? 100;
  const seed = options.seed ?? 1;
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 900;
  const ratePerSecond = checkRateLimit(options.rateLimitPerSecond);
  const log = options.log ?? ((): void => undefined);
  const liveNulls = options.liveNulls ?? true;
  const faults = new FaultSet(options.faults ?? []);
  const rateLimit = ratePerSecond === undefined ? undefined : new SandboxRateLimiter(ratePerSecond);
  const stats = { tokenRequests: 0, apiRequests: 0 };

  // ---- state and persistence ---------------------------------------------------------------
  // The data file holds the stores and the token revocation generation; see persistence.ts.
  const persistence = options.dataFile ? new Persistence(options.dataFile, log) : undefined;
  const loaded = persistence?.load();
  const notice = loaded && seedOverrideNotice(options, loaded.store.seed, loaded.store.customerCount);
  if (notice) log(notice);
  const auth = new Auth({
    tenant,
    ...credentials,
    clients: options.clients?.map((client) => ({ ...client, scopes: [...client.scopes] })),
    tokenLifetimeSeconds,
    // Without a data file the generation is random per run (see Auth); a new file gets a random one too.
    generation: loaded?.tokenGeneration,
  });
  const deps: RouteDeps = {
    store: loaded?.store ?? new Store(seed, customers),
    sales: loaded?.sales ?? SalesStore.seeded(new SeedData(seed, customers)),
    commit(): void {
      persist();
    },
  };
  const state = (): SandboxState => ({ store: deps.store, sales: deps.sales, tokenGeneration: auth.generation });
  const content = (): DataFileContent => contentOf(state());
  persistence?.start(state(), !loaded);
  function persist(): void {
    if (!persistence) return;
    try {
      persistence.commit(state());
    } catch (e) {
      // Roll memory back to what is on disk so the failed write is not acknowledged anywhere.
      const saved = persistence.restore();
      deps.store = saved.store;
      deps.sales = saved.sales;
      auth.generation = saved.tokenGeneration;
      log(`persisting ${persistence.file} failed: ${(e as Error).message}`);
      throw new HttpError(500, 'The change could not be saved');
    }
  }
  /** A revocation is saved like any write, so a restart does not bring revoked tokens back. */
  function revokeTokens(): void {
    auth.generation = nextTokenGeneration(auth.generation);
    persistence?.recordRevocation(auth.generation);
    persist();
  }

  const router = new Router(CRM_SPEC.operations);
  for (const route of operationRoutes(deps)) router.add(route);
  // Every operation of the document has a handler, so a routed request always reaches one.
  const missing = router.missing();
  if (missing.length > 0) throw new Error(`the sandbox has no handler for ${missing.join(', ')}`);

  function api(req: http.IncomingMessage, url: URL, method: string, body: string): SandboxResponse {
    const prefix = API_PREFIX.exec(url.pathname);
    if (!prefix) return problemResponse(404, 'Not Found');
    const urlTenant = safeDecode(prefix[1] ?? '');
    const sub = prefix[2] ?? '/';
    // {tenant} is an int64 route parameter: anything else matches no route.
    if (!/^\d+$/.test(urlTenant)) return problemResponse(404, 'Not Found');
    const match = router.match(method, sub);
    if (match.kind === 'none') {
      const closest = match.closest;
      const hint = closest ? ` Did you mean ${closest.method} ${closest.path} (${closest.operationId})?` : '';
      return problemResponse(404, `Not Found: no CRM v2 operation has the method and path ${method} ${sub.slice(0, 200)}.${hint}`);
    }
    if (match.kind === 'method') return problemResponse(405, 'Method Not Allowed', {}, { allow: match.allow.join(', ') });
    const op = match.operation;
    const handler = match.handler;
    if (!handler) throw new Error(`no handler for ${op.operationId}, which router.missing() did not report`);
    auth.authorize(req.headers, url.searchParams, urlTenant.replace(/^0+(?=\d)/, ''), op.scope);
    const raw = { params: match.params, query: url.searchParams, headers: req.headers, body };
    const bound = bind(op, raw);
    const response = handler({ method, operation: op, ...raw, ...bound });
    // An answer of the operation's 200 schema carries the live API's nulls, unless they are off.
    if (!liveNulls || !(response instanceof JsonResponse) || response.status !== 200 || !op.response) return response;
    return json(withLiveNulls(op.response, response.value));
  }

  function failureResponse(rule: FaultRule): SandboxResponse {
    if (rule.kind === 'rateLimit') {
      const headers: Record<string, string> = {};
      const retryAfter = rule.retryAfter ?? 1;
      if (retryAfter === 'http-date') headers['retry-after'] = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toUTCString();
      else if (retryAfter !== 'none') headers['retry-after'] = String(retryAfter);
      return problemResponse(429, 'Too Many Requests', {}, headers);
    }
    const status = rule.status ?? 503;
    return problemResponse(status, FAULT_TITLES[status] ?? 'Server Error');
  }

  function send(res: http.ServerResponse, response: SandboxResponse, truncate: boolean): void {
    const body = Buffer.from(response.body, 'utf8');
    if (truncate) {
      // Promise more bytes than we send, then drop the connection mid-body.
      res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length + 64) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
        res.socket?.destroy();
      });
      return;
    }
    res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
    res.end(body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    if (!isLoopbackHost(req.headers.host)) {
      // Nothing runs for a foreign Host: no body is read, no fault, no stats, no token, no API.
      const got = (req.headers.host ?? '').slice(0, 300);
      send(
        res,
        problemResponse(
          403,
          `Forbidden: the Host header must name this computer's loopback address: localhost, 127.0.0.1 (any 127.x.y.z) or [::1], with any port, ` +
            `such as 127.0.0.1:${actualPort} (got '${got}'). Call the sandbox by the URL it printed, or through a port forwarded to it.`,
        ),
        false,
      );
      req.resume();
      log(`${method} (Host ${req.headers.host ?? 'missing'}) -> 403 (foreign Host)`);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      req.resume();
      send(res, problemResponse(400, 'Bad Request: the request target is not a valid URL'), false);
      return;
    }
    const isToken = url.pathname.toLowerCase() === '/connect/token';
    const isApi = !isToken && url.pathname.toLowerCase().startsWith('/crm/v2/');
    const apiMatch = API_PREFIX.exec(url.pathname);
    // The gateway's limit comes first and counts the call when it arrives: before its body, any
    // fault, authentication or handler. Only API calls count (not the token endpoint or admin).
    const tenantOfPath = apiMatch ? safeDecode(apiMatch[1] ?? '').replace(/^0+(?=\d)/, '') : '';
    const admission = isApi && rateLimit ? rateLimit.admit(appKeyOf(req, url), tenantOfPath) : undefined;
    const body = await readBody(req);
    let faultPath: string | undefined;
    if (isToken) {
      stats.tokenRequests++;
      faultPath = '/connect/token';
    } else if (isApi) {
      stats.apiRequests++;
      faultPath = apiMatch ? (apiMatch[2] ?? '/') : url.pathname;
    }
    const done = (status: number | string): void => log(`${method} ${redactedPath(url)} -> ${status} (${Date.now() - started} ms)`);

    if (admission && !admission.ok) {
      // Not processed: no fault, no state change, no handler; it does not use the window either.
      send(
        res,
        problemResponse(
          429,
          'Too Many Requests: more than ' +
            `${rateLimit?.limit ?? 0} calls per second for this app key and tenant. Retry after ${admission.retryAfterSeconds} s.`,
          {},
          { 'retry-after': String(admission.retryAfterSeconds) },
        ),
        false,
      );
      done('429 (rate limit)');
      return;
    }

    let truncate = false;
    if (faultPath !== undefined) {
      const decision = faults.decide(method, faultPath, isToken ? 'token' : 'api');
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      const failure = decision.failure;
      if (failure?.kind === 'reset') {
        req.socket.destroy();
        done('reset (fault)');
        return;
      }
      if (failure && (failure.kind === 'error5xx' || failure.kind === 'rateLimit')) {
        const response = failureResponse(failure);
        send(res, response, false);
        done(`${response.status} (fault)`);
        return;
      }
      truncate = failure?.kind === 'truncate';
    }

    let response: SandboxResponse;
    try {
      if (body === undefined) response = problemResponse(413, 'Payload Too Large');
      else if (isToken) response = auth.tokenEndpoint(method, req.headers, body);
      else if (url.pathname.startsWith('/__sandbox/') || url.pathname === '/__sandbox') {
        response = adminResponse({ req, url, method, body, faults, revokeTokens, stats });
      } else response = api(req, url, method, body);
    } catch (e) {
      if (e instanceof HttpError) response = errorResponse(e);
      else {
        log(`internal error: ${(e as Error).stack ?? String(e)}`);
        response = problemResponse(500, 'Internal Server Error');
      }
    }
    send(res, response, truncate);
    done(truncate ? `${response.status} (truncated, fault)` : response.status);
  }

  const sockets = new Set<Socket>();
  // Our own Host check answers a missing Host too (as an ApiErrorResponse, not Node's bare 400).
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`request failed: ${String(e)}`);
      res.destroy();
    });
  });
  // Requests Node's parser rejects (unknown method, malformed headers) still get an ApiErrorResponse.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const title = status === 431 ? 'Request Header Fields Too Large' : `Bad Request: the request could not be parsed (${err.code ?? err.message})`;
    const response = problemResponse(status, title);
    const head = [
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`,
      ...Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`),
      `content-length: ${Buffer.byteLength(response.body)}`,
      'connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${response.body}`);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${actualPort}`;

  return {
    url,
    port: actualPort,
    tenant,
    seed: deps.store.seed,
    customers: deps.store.customerCount,
    credentials: { ...credentials },
    stats: () => ({ ...stats }),
    resetStats: () => {
      stats.tokenRequests = 0;
      stats.apiRequests = 0;
    },
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear(), list: () => faults.list() },
    rateLimit: rateLimit && { stats: () => rateLimit.stats(), acceptedTimes: () => rateLimit.acceptedTimes(), reset: () => rateLimit.reset() },
    revokeTokens,
    snapshot: () => JSON.stringify(content()),
    close: () =>
      new Promise<void>((resolve) => {
        // FILE alone holds the state after a clean stop (the journal is folded into it).
        persistence?.close(state());
        lock?.release();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}
