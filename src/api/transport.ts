import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createTokenProvider, IN_THE_PROFILE, retryAfterMs, type CredentialPlaces, type TokenProvider } from './auth';
import type { RequestDescription } from './curl';
import { createDispatcher, type CrmDispatcher, type ProxySettings } from './dispatcher';
import { tenantRoot, type Environment } from './environments';
import {
  AuthError,
  CancelledError,
  CrmError,
  ForbiddenError,
  HttpError,
  NetworkError,
  ProblemError,
  RateLimitError,
  ResponseShapeError,
  type ProblemDetails,
} from './errors';
import { safeEmitter, type CrmEvent } from './events';
import { anySignal, exchange, sleep, type ExchangeResponse } from './exchange';
import { formatFieldPath, parseFieldPath } from './fieldPath';
import { RESET_CODES } from './networkErrors';
import { describeNonProblem, parseJson, parseProblem, problemMessage, snippet, statusLine, tooDeepBody } from './problem';
import { parseInPlace } from './parseInPlace';
import { sharedBucket, type RateLimiter } from './rateLimit';
import { redact, redactDeep, redactSecrets } from './redact';
import type { CrmRequest, CrmRequester, HttpMethod, QueryValue, RawExchange, SchemaCheck } from './request';

export interface TransportOptions {
  environment: Environment;
  tenant: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
  /** Calls per second for this app key and tenant, shared by every transport in the process. Default 60. */
  rateLimitPerSecond?: number;
  /** Per attempt, covering connect, headers and body. Default 30,000. */
  timeoutMs?: number;
  /**
   * What a timeout's message offers besides trying again: the caller's knob for `timeoutMs`
   * (`raise "stcrm.requestTimeoutSeconds"`, `pass a longer --timeout`). Default: nothing more.
   */
  timeoutHint?: string;
  /** Where the user fixes what an auth error asks them to check (default: the profile; the command line names its ST_* variables). */
  places?: CredentialPlaces;
  proxy?: ProxySettings;
  onEvent?: (event: CrmEvent) => void;
  /** Retries after 429 (any method) and 502/503/504/connection resets (GET, PUT, DELETE only). Default 3. */
  maxRetries?: number;
  /** Clock for token expiry and Retry-After dates (tests move it forward). Default Date.now. */
  now?: () => number;
  /** First backoff delay when the server gives no Retry-After; doubles per retry, with jitter. Default 500. */
  retryBaseDelayMs?: number;
  /** A Retry-After longer than this is not waited out: the call fails with RateLimitError at once. Default 60,000. */
  maxRetryAfterMs?: number;
}

export interface CrmTransport extends CrmRequester {
  send<T>(request: CrmRequest<T>): Promise<T>;
  sendRaw<T>(request: CrmRequest<T>): Promise<RawExchange<T>>;
  /** Every secret value this transport knows (client id and secret, app key, tokens it received), for `redact`. */
  secrets(): readonly string[];
  /** `redact(text, this.secrets())`. */
  redact(text: string): string;
  /** The request as it would go on the wire, without auth headers (for the cURL builder). */
  describe(request: CrmRequest<unknown>): RequestDescription;
  /** Token requests sent so far. */
  readonly tokenRequests: number;
  /** Aborts calls in flight (they fail with CancelledError) and releases connections. */
  close(): Promise<void>;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);
/**
 * Methods whose failure after sending leaves an unknown outcome (`outcomeUnknown`). Only POST: it
 * creates, so a blind repeat can duplicate. Every PATCH here sets fields to given values, so
 * repeating it cannot duplicate anything; PATCH is still never retried automatically.
 */
const UNKNOWN_OUTCOME_METHODS: ReadonlySet<HttpMethod> = new Set(['POST']);
/** What each POST creates, for "the … may have been created". */
const CREATED_RECORD: Partial<Record<string, string>> = {
  Customers_Create: 'customer',
  Customers_CreateContact: 'customer contact',
  Contacts_Create: 'contact',
  Contacts_CreateContactRelationship: 'relationship',
  ContactMethods_CreateContactMethod: 'contact method',
  Locations_CreateContact: 'location contact',
  Locations_Create: 'location',
  Customers_CreateNote: 'note',
  Locations_CreateNote: 'note',
  Leads_Create: 'lead',
  Leads_CreateNote: 'note',
  Leads_CreateFollowUp: 'follow-up',
  Leads_SubmitLeadForm: 'lead',
  Bookings_Create: 'booking',
  Bookings_CreateContact: 'booking contact',
  BookingProviderTags_Create: 'booking provider tag',
};
const RETRYABLE_STATUS = new Set([502, 503, 504]);
const MAX_TOKENS_REMEMBERED = 8;
// ServiceTitan's gateway is Azure API Management: the app key is its "subscription key".
const APP_KEY_PATTERN = /app(lication)?[\s_-]?key|ST-App-Key|subscription key/i;

let requestCounter = 0;

/** `tenantRoot + path` plus the query: undefined/null dropped, arrays comma-joined, booleans as true/false. */
export function buildUrl(environment: Environment, tenant: string, path: string, query?: Record<string, QueryValue>): string {
  const base = `${tenantRoot(environment, tenant)}${path.startsWith('/') ? path : `/${path}`}`;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const encoded = Array.isArray(value)
      ? (value as readonly (string | number)[]).map((item) => encodeURIComponent(String(item))).join(',')
      : encodeURIComponent(String(value));
    parts.push(`${encodeURIComponent(name)}=${encoded}`);
  }
  return parts.length > 0 ? `${base}${base.includes('?') ? '&' : '?'}${parts.join('&')}` : base;
}

export function createTransport(options: TransportOptions): CrmTransport {
  return new Transport(options);
}

class Transport implements CrmTransport {
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly appKey: string;
  private readonly tenant: string;
  private readonly tokens: TokenProvider;
  private readonly net: CrmDispatcher;
  private readonly bucket: RateLimiter;
  private readonly emit: (event: CrmEvent) => void;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly knownTokens: string[] = [];
  /** `secrets()`, made again only when a token arrives: every call redacts with it, and redact caches by it. */
  private secretList: readonly string[] = [];
  /** The same, lowercased: header names arrive lowercased, a secret echoed in one too. */
  private lowercaseSecrets: readonly string[] = [];
  /** Whether anyone listens to events: without a listener the transport builds none. */
  private readonly listening: boolean;
  private readonly closing = new AbortController();

  constructor(private readonly options: TransportOptions) {
    // Pasted secrets often carry a trailing newline or space.
    this.clientId = options.clientId.trim();
    this.clientSecret = options.clientSecret.trim();
    this.appKey = options.appKey.trim();
    this.tenant = options.tenant.trim();
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 3);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    // Every call in flight listens on this signal; 100 concurrent calls are normal, not a leak.
    setMaxListeners(0, this.closing.signal);
    this.listening = options.onEvent !== undefined;
    this.emit = safeEmitter(options.onEvent, () => this.secrets());
    this.net = createDispatcher(options.proxy);
    this.bucket = sharedBucket(this.appKey, this.tenant, options.rateLimitPerSecond ?? 60);
    this.tokens = createTokenProvider({
      tokenUrl: options.environment.tokenUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      dispatcher: this.net.dispatcher,
      proxy: this.net.proxyFor(options.environment.tokenUrl),
      timeoutMs: this.timeoutMs,
      timeoutHint: options.timeoutHint,
      places: options.places,
      now: this.now,
      emit: this.emit,
      clean: (text) => this.redact(text),
      onToken: (token) => {
        this.knownTokens.push(token);
        if (this.knownTokens.length > MAX_TOKENS_REMEMBERED) this.knownTokens.shift();
        this.listSecrets();
      },
    });
    this.listSecrets();
  }

  get tokenRequests(): number {
    return this.tokens.requestCount;
  }

  secrets(): readonly string[] {
    return this.secretList;
  }

  private listSecrets(): void {
    this.secretList = [this.clientSecret, this.appKey, this.clientId, ...this.knownTokens].filter((value) => value.length > 0);
    this.lowercaseSecrets = this.secretList.map((secret) => secret.toLowerCase());
  }

  redact(text: string): string {
    return redact(text, this.secrets());
  }

  /** What will be sent, exactly: only the profile's own secrets are masked (no patterns), so a confirmation shows the real text. */
  describe(request: CrmRequest<unknown>): RequestDescription {
    const description: RequestDescription = {
      method: request.method,
      url: redactSecrets(buildUrl(this.options.environment, this.tenant, request.path, request.query), this.secrets()),
      headers: { Accept: 'application/json' },
    };
    if (request.body !== undefined) {
      description.headers = { ...description.headers, 'Content-Type': 'application/json' };
      description.body = redactSecrets(JSON.stringify(request.body), this.secrets());
    }
    return description;
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    await this.net.close().catch(() => undefined);
  }

  send<T>(request: CrmRequest<T>): Promise<T> {
    return this.sendWith(request, undefined);
  }

  sendRaw<T>(request: CrmRequest<T>): Promise<RawExchange<T>> {
    const started = performance.now();
    return this.sendWith(request, (response, state, cleanUrl) => this.rawExchange(request, response, state, cleanUrl, started));
  }

  /** With `finish`, the last answer (any status) is handed to it instead of parsed or thrown. */
  private async sendWith<T, R = T>(request: CrmRequest<T>, finish: Finish<R> | undefined): Promise<R> {
    const requestId = `r${++requestCounter}`;
    const url = buildUrl(this.options.environment, this.tenant, request.path, request.query);
    // Redacted only when something shows it (an event, an error, a raw exchange), not on every call.
    let redacted: string | undefined;
    const cleanUrl = (): string => (redacted ??= this.redact(url));
    const started = performance.now();
    // Without a caller's signal, the transport's own close signal is the call's: nothing to link.
    const linked = request.signal ? anySignal([request.signal, this.closing.signal]) : undefined;
    const state: AttemptState = { attempt: 0, throttledMs: 0, responseMs: 0 };
    try {
      return await this.run(request, requestId, url, cleanUrl, linked?.signal ?? this.closing.signal, state, finish);
    } catch (raw) {
      const error =
        raw instanceof CrmError ? raw : new NetworkError(this.redact(`Unexpected failure: ${raw instanceof Error ? raw.message : String(raw)}`), undefined);
      this.emit({
        type: 'error',
        requestId,
        operationId: request.operationId,
        method: request.method,
        url: cleanUrl(),
        attempt: state.attempt,
        kind: error.kind,
        message: error.message,
        status: 'status' in error && typeof error.status === 'number' ? error.status : undefined,
        traceId: error instanceof ProblemError ? error.traceId : undefined,
        durationMs: Math.round(performance.now() - started),
      });
      throw error;
    } finally {
      linked?.dispose();
    }
  }

  private async run<T, R>(
    request: CrmRequest<T>,
    requestId: string,
    url: string,
    cleanUrl: () => string,
    signal: AbortSignal,
    state: AttemptState,
    finish: Finish<R> | undefined,
  ): Promise<R> {
    if (this.closing.signal.aborted) throw new CancelledError('The connection was closed (the profile or settings changed); the request was not sent.');
    const { operationId, method } = request;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const proxy = this.net.proxyFor(url);
    const unknownOutcome = UNKNOWN_OUTCOME_METHODS.has(method)
      ? { label: `${method} ${request.path}`, record: CREATED_RECORD[operationId] ?? 'record' }
      : undefined;
    let retries = 0;
    let refreshedAfter401 = false;

    const retry = async (reason: string, delayMs: number, status?: number): Promise<void> => {
      retries++;
      this.emit({ type: 'retry', requestId, operationId, method, url: cleanUrl(), attempt: state.attempt, reason, status, delayMs: Math.round(delayMs) });
      await sleep(delayMs, signal);
    };

    for (;;) {
      state.attempt++;
      // The token first: a slot is a send time, and a call that then waits for a token leaves late.
      // With a valid token and a free slot nothing here waits, so nothing is awaited either.
      if (this.tokens.current() === undefined) await this.tokens.getToken(signal);
      if (signal.aborted) throw new CancelledError();
      const slot = this.bucket.tryAcquire() ?? (await this.bucket.acquire(signal));
      const waitMs = slot.waitedMs;
      state.throttledMs += waitMs;
      if (waitMs > 0) this.emit({ type: 'throttle', requestId, operationId, waitMs: Math.round(waitMs) });
      const token = this.tokens.current() ?? (await this.tokens.getToken(signal));

      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      // No header at all when the profile has no app key: the server then says so plainly.
      if (this.appKey) headers['st-app-key'] = this.appKey;
      if (body !== undefined) headers['content-type'] = 'application/json';

      if (this.listening) this.emit({ type: 'request', requestId, operationId, method, url: cleanUrl(), attempt: state.attempt, sentAt: slot.at });
      const attemptStarted = performance.now();
      let response: ExchangeResponse;
      try {
        response = await exchange({
          method,
          url,
          headers,
          body,
          dispatcher: this.net.dispatcher,
          signal,
          timeoutMs,
          timeoutHint: this.options.timeoutHint,
          proxy,
          target: 'api',
          clean: (text) => this.redact(text),
          unknownOutcome,
        });
      } catch (error) {
        // A write that may have happened is never repeated, whatever its method.
        if (
          error instanceof NetworkError &&
          !error.outcomeUnknown &&
          RESET_CODES.has(error.code ?? '') &&
          IDEMPOTENT.has(method) &&
          retries < this.maxRetries
        ) {
          await retry(error.code ?? 'connection reset', this.backoff(retries));
          continue;
        }
        if (error instanceof CancelledError && this.closing.signal.aborted && !request.signal?.aborted) {
          throw new CancelledError('The connection was closed (the profile or settings changed) while the request was running.');
        }
        throw error;
      }
      const durationMs = Math.round(performance.now() - attemptStarted);
      state.responseMs = performance.now() - attemptStarted;
      const status = response.status;
      const problem = status >= 300 ? this.problemOf(response) : undefined;
      if (this.listening) {
        const traceId = problem?.traceId ?? headerTraceId(response.headers);
        this.emit({ type: 'response', requestId, operationId, method, url: cleanUrl(), attempt: state.attempt, status, durationMs, traceId });
      }

      // Without `finish` (send), R is T.
      if (status >= 200 && status < 300) return finish ? finish(response, state, cleanUrl()) : (this.parseBody(request, response) as unknown as R);

      if (status === 401) {
        if (finish && (APP_KEY_PATTERN.test(response.text) || refreshedAfter401)) return finish(response, state, cleanUrl());
        if (APP_KEY_PATTERN.test(response.text)) {
          throw new AuthError(
            this.redact(
              `The app key was rejected (${statusLine(401)}: ${reason(problem, response, (text) => this.redact(text))}). Check ${(this.options.places ?? IN_THE_PROFILE).appKey}: it is the Application Key ` +
                'of your app in the ServiceTitan developer portal, from the same environment as the client ID.',
            ),
            'app_key',
            401,
            problem,
          );
        }
        if (!refreshedAfter401) {
          // The token may have been revoked or expired early: one fresh token, one more try.
          refreshedAfter401 = true;
          this.tokens.invalidate(token);
          continue;
        }
        throw new AuthError(
          this.redact(
            `The API rejected a freshly issued access token (${statusLine(401)}: ${reason(problem, response, (text) => this.redact(text))}). Check the tenant ID and that the app is ` +
              'connected to this tenant in ServiceTitan.',
          ),
          'token_rejected',
          401,
          problem,
        );
      }

      if (status === 429) {
        // 429 means the server did not process the call, so even a POST may be repeated.
        const after = retryAfterMs(response.headers['retry-after'], this.now);
        // Everyone sharing this app key and tenant holds off, but never longer than we would wait ourselves.
        if (after !== undefined) this.bucket.pauseFor(Math.min(after, this.maxRetryAfterMs));
        if (retries < this.maxRetries && (after === undefined || after <= this.maxRetryAfterMs)) {
          await retry('HTTP 429', after ?? this.backoff(retries), 429);
          continue;
        }
        if (finish) return finish(response, state, cleanUrl());
        const wait = after !== undefined ? ` Try again in ${Math.ceil(after / 1000)} s.` : ' Try again in a moment.';
        throw new RateLimitError(
          this.redact(
            `ServiceTitan's rate limit was exceeded (${statusLine(429)}) after ${retries} ${retries === 1 ? 'retry' : 'retries'}.${wait} ` +
              'Lower "stcrm.rateLimitPerSecond" if other integrations use the same app key and tenant.',
          ),
          after,
        );
      }

      if (RETRYABLE_STATUS.has(status) && IDEMPOTENT.has(method) && retries < this.maxRetries) {
        const after = retryAfterMs(response.headers['retry-after'], this.now);
        await retry(`HTTP ${status}`, Math.min(after ?? this.backoff(retries), this.maxRetryAfterMs), status);
        continue;
      }

      if (finish) return finish(response, state, cleanUrl());
      throw this.failure(request, response, problem, cleanUrl());
    }
  }

  private rawExchange<T>(request: CrmRequest<T>, response: ExchangeResponse, state: AttemptState, cleanUrl: string, started: number): RawExchange<T> {
    const text = this.redact(response.text);
    const headers: Record<string, string> = {};
    // Names too: a server may echo a credential in a header's name (`x-ratelimit-<app key>`).
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      const shown = redact(name, this.lowercaseSecrets);
      headers[shown] = headers[shown] === undefined ? this.redact(value) : `${headers[shown]}, ${this.redact(value)}`;
    }
    // Parsed before redaction (a secret written unquoted must not turn valid JSON into invalid),
    // then redacted value by value; the schema checks what the server sent, as call() does.
    const received = response.text.trim() === '' ? undefined : parseJson(response.text);
    // A copy, made before the check below takes `received` over.
    const json = redactDeep(received, this.secrets());
    const out: RawExchange<T> = {
      operationId: request.operationId,
      method: request.method,
      url: cleanUrl,
      status: response.status,
      headers,
      text,
      json,
      timings: { totalMs: performance.now() - started, responseMs: state.responseMs, attempts: state.attempt, throttledMs: state.throttledMs },
    };
    const unread = text.trim() !== '' && received === undefined;
    const deep = unread ? tooDeepBody(response.text) : undefined;
    if (unread) out.jsonError = deep ? `The body is JSON whose ${deep}.` : `The body is not valid JSON: ${snippet(text, 120)}`;
    if (response.status >= 200 && response.status < 300) {
      out.check = unread
        ? { ok: false, issues: [{ field: '', message: deep ? 'nested too deep to read' : 'invalid JSON', location: 'body', path: [] }] }
        : redactDeep(checkResponse(request, received), this.secrets());
    } else {
      out.problem = this.problemOf(response);
    }
    return out;
  }

  private backoff(retry: number): number {
    const ceiling = Math.min(30_000, this.retryBaseDelayMs * 2 ** retry);
    // Equal jitter: at least half the delay, so retries of many callers spread out but never hammer.
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private problemOf(response: ExchangeResponse): ProblemDetails | undefined {
    const problem = parseProblem(response.status, response.headers['content-type'], response.text, headerTraceId(response.headers));
    return problem ? redactDeep(problem, this.secrets()) : undefined;
  }

  private failure(request: CrmRequest<unknown>, response: ExchangeResponse, problem: ProblemDetails | undefined, cleanUrl: string): CrmError {
    const { status } = response;
    const req = { method: request.method, url: cleanUrl };
    if (status === 403) {
      const scope = request.scope
        ? ` It needs the "${request.scope}" scope: add it to the app in the ServiceTitan developer portal, then reconnect the app to the tenant.`
        : " Check the app's API scopes in the ServiceTitan developer portal.";
      const trace = problem?.traceId ? ` (trace ID ${problem.traceId})` : '';
      return new ForbiddenError(
        this.redact(
          `Access denied (${statusLine(403)}) for ${request.operationId}: ${reason(problem, response, (text) => this.redact(text))}.${scope}${trace}`,
        ),
        problem,
        request.scope,
      );
    }
    if (problem) return new ProblemError(this.redact(problemMessage(problem, status)), status, problem, req, { params: request.params });
    const text = this.redact(response.text);
    return new HttpError(this.redact(describeNonProblem(status, response.headers['content-type'], text)), status, req, text ? snippet(text) : undefined);
  }

  private parseBody<T>(request: CrmRequest<T>, response: ExchangeResponse): T {
    const text = response.text;
    let value: unknown;
    if (text.trim() === '') {
      value = undefined;
    } else {
      value = parseJson(text);
      if (value === undefined) {
        const html = /text\/html/i.test(response.headers['content-type'] ?? '') || /^\s*</.test(text);
        // A write the server answered with 2xx was made: sending it again would make it twice.
        const next = request.method === 'GET' ? 'try again' : 'the change was made, so refresh instead of sending it again';
        const deep = tooDeepBody(text);
        const why = deep
          ? `JSON whose ${deep}.`
          : html
            ? 'an HTML page instead of JSON. Check the API base URL; it may point at a web site or a login page.'
            : `a body that is not valid JSON (it may have been cut off in transit; ${next}): ${snippet(this.redact(text), 120)}`;
        throw new ResponseShapeError(
          this.redact(`The answer to ${request.operationId} (${statusLine(response.status)}) was ${why}`),
          [{ field: '', message: 'invalid JSON', location: 'body', path: [] }],
          request.operationId,
        );
      }
    }
    const checked = checkResponse(request, value);
    if (checked.ok) return checked.value;
    const issues = checked.issues;
    const shown = issues
      .slice(0, 3)
      .map((issue) => `${issue.field || '(body)'}: ${issue.message}`)
      .join('; ');
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    throw new ResponseShapeError(
      this.redact(`The answer to ${request.operationId} does not have the expected shape: ${shown}${more}. The API may have changed; please report this.`),
      // Their fields and paths are the server's keys.
      redactDeep(issues, this.secrets()),
      request.operationId,
    );
  }
}

interface AttemptState {
  attempt: number;
  throttledMs: number;
  responseMs: number;
}

type Finish<R> = (response: ExchangeResponse, state: AttemptState, cleanUrl: string) => R;

/**
 * A 2xx body against the operation's response schema; an empty body is checked as `undefined`.
 * `value` is fresh from JSON.parse and nobody else's, so it is checked in place, not copied.
 */
function checkResponse<T>(request: CrmRequest<T>, value: unknown): SchemaCheck<T> {
  const result = parseInPlace(request.response, value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => {
      const path = parseFieldPath(issue.path).segments;
      return { field: formatFieldPath(path), message: issue.message.replace(/^Invalid input: /, ''), location: 'body', path };
    }),
  };
}

/**
 * The server's short reason: problem title/detail, or a description of the body. Redacted with
 * `clean` before it is cut short: a secret cut in half would no longer be found.
 */
function reason(problem: ProblemDetails | undefined, response: ExchangeResponse, clean: (text: string) => string): string {
  if (problem) {
    const text = [problem.title, problem.detail].filter(Boolean).join(' ');
    if (text) return text.replace(/\.$/, '');
  }
  const body = parseJson(response.text);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const message = record.message ?? record.Message ?? record.error_description ?? record.error;
    if (typeof message === 'string' && message.trim()) return snippet(clean(message), 160).replace(/\.$/, '');
  }
  return response.text.trim() ? snippet(clean(response.text), 160) : 'empty body';
}

function headerTraceId(headers: Record<string, string | undefined>): string | undefined {
  return headers['x-trace-id'] ?? headers['traceid'] ?? headers['x-request-id'] ?? headers['request-id'] ?? headers['x-correlation-id'];
}
