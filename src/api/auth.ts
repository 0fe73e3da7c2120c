import type { Dispatcher } from './undici';
import { AuthError, NetworkError } from './errors';
import type { CrmEvent } from './events';
import { exchange, raceAbort, sleep, type ExchangeResponse } from './exchange';
import { RESET_CODES } from './networkErrors';
import { describeNonProblem, parseJson, snippet } from './problem';

/**
 * OAuth 2.0 client credentials against ServiceTitan's token endpoint. The token is cached until
 * shortly before it expires, and concurrent callers share one token request (single flight),
 * so a burst of 100 calls costs one token request, not 100.
 */
export interface TokenProviderOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  dispatcher: Dispatcher;
  /** Proxy used for the token URL, for error messages. */
  proxy?: string;
  timeoutMs: number;
  /** What else to do about a timeout (ExchangeRequest.timeoutHint). */
  timeoutHint?: string;
  /** Where the user fixes what an auth error asks them to check (the profile by default). */
  places?: CredentialPlaces;
  now?: () => number;
  emit?: (event: CrmEvent) => void;
  /** Applied to every error message (the transport's redaction with all known secrets). */
  clean?: (text: string) => string;
  /** Called with every new token so redaction knows it before anything can print it. */
  onToken?: (token: string) => void;
  /** Retries of 429/502/503/504/connection resets (a token request is safe to repeat). Default 2. */
  maxRetries?: number;
}

export interface TokenProvider {
  /** A valid access token: the cached one, or the result of the one shared token request. */
  getToken(signal?: AbortSignal): Promise<string>;
  /** The cached token while it is valid, else undefined: `getToken` without waiting. */
  current(): string | undefined;
  /** Forgets the cached token if it is still `token` (an API call just got 401 with it). */
  invalidate(token?: string): void;
  /** Number of token requests sent so far (for tests and diagnostics). */
  readonly requestCount: number;
}

/** ServiceTitan tokens live 15 minutes; assume that when the endpoint does not say. */
const DEFAULT_LIFETIME_SECONDS = 900;

/** Renew this long before expiry: 60 s, but at most 10 % of a short lifetime. */
export function expiryMarginMs(lifetimeSeconds: number): number {
  return Math.min(60_000, lifetimeSeconds * 100);
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const now = options.now ?? Date.now;
  const clean = options.clean ?? ((text: string) => text);
  const emit = options.emit ?? (() => undefined);
  const clientId = options.clientId.trim();
  const clientSecret = options.clientSecret.trim();
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let requestCount = 0;

  async function fetchToken(): Promise<string> {
    const maxRetries = options.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      requestCount++;
      const started = now();
      emit({ type: 'token', phase: 'request', url: options.tokenUrl });
      let response: ExchangeResponse;
      try {
        response = await exchange({
          method: 'POST',
          url: options.tokenUrl,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
          dispatcher: options.dispatcher,
          // The request is shared by many callers: none of their signals may cancel it for the others.
          timeoutMs: options.timeoutMs,
          timeoutHint: options.timeoutHint,
          proxy: options.proxy,
          target: 'token',
          clean,
        });
      } catch (error) {
        if (error instanceof NetworkError && RESET_CODES.has(error.code ?? '') && attempt < maxRetries) {
          await sleep(backoff(attempt));
          continue;
        }
        emit({
          type: 'token',
          phase: 'error',
          url: options.tokenUrl,
          durationMs: now() - started,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
      const durationMs = now() - started;
      if ([429, 502, 503, 504].includes(response.status) && attempt < maxRetries) {
        emit({ type: 'token', phase: 'error', url: options.tokenUrl, status: response.status, durationMs, message: `HTTP ${response.status}, retrying` });
        await sleep(retryAfterMs(response.headers['retry-after'], now) ?? backoff(attempt));
        continue;
      }
      try {
        const { token, expiresIn } = readTokenResponse(response, options.tokenUrl, clean, options.places ?? IN_THE_PROFILE);
        options.onToken?.(token);
        cached = { token, renewAt: now() + expiresIn * 1000 - expiryMarginMs(expiresIn) };
        emit({ type: 'token', phase: 'response', url: options.tokenUrl, status: response.status, durationMs, expiresInSeconds: expiresIn });
        return token;
      } catch (error) {
        emit({
          type: 'token',
          phase: 'error',
          url: options.tokenUrl,
          status: response.status,
          durationMs,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
    }
  }

  function current(): string | undefined {
    return cached && now() < cached.renewAt ? cached.token : undefined;
  }

  return {
    get requestCount() {
      return requestCount;
    },
    current,
    getToken(signal?: AbortSignal): Promise<string> {
      const token = current();
      if (token !== undefined) return Promise.resolve(token);
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return raceAbort(inflight, signal);
    },
    invalidate(token?: string): void {
      if (!token || cached?.token === token) cached = undefined;
    },
  };
}

function backoff(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** attempt) * (0.5 + Math.random() * 0.5);
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now: () => number = Date.now): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

/**
 * Where the user sets each thing an auth error asks them to check, as the message names it: the
 * extension's profile, or the command line's ST_* variables.
 */
export interface CredentialPlaces {
  /** The client ID and secret: "Check them <in …>". */
  credentials: string;
  /** "Check <the token URL …>". */
  tokenUrl: string;
  /** "Check <the app key …>". */
  appKey: string;
}

export const IN_THE_PROFILE: CredentialPlaces = {
  credentials: 'in the profile',
  tokenUrl: 'the token URL in the profile',
  appKey: 'the app key in the profile',
};

function oauthMessages(places: CredentialPlaces): Record<string, { reason: AuthError['reason']; text: string }> {
  return {
    invalid_client: {
      reason: 'invalid_client',
      text:
        `The client ID or client secret was rejected (invalid_client). Check them ${places.credentials}: copy both again from the ServiceTitan ` +
        'developer portal, and make sure they belong to the selected environment (Production or Integration).',
    },
    invalid_grant: {
      reason: 'invalid_grant',
      text: `The token endpoint refused the grant (invalid_grant). The app's access to this tenant may have been revoked; reconnect the app in ServiceTitan and check the credentials ${places.credentials}.`,
    },
    unauthorized_client: {
      reason: 'unauthorized_client',
      text: 'This client may not request tokens with client credentials (unauthorized_client). Check that the client ID belongs to an app connected to this tenant.',
    },
    invalid_scope: {
      reason: 'invalid_scope',
      text: "The token endpoint rejected the requested scopes (invalid_scope). Check the app's API scopes in the ServiceTitan developer portal.",
    },
    unsupported_grant_type: {
      reason: 'token_endpoint',
      text: `The token endpoint does not accept the client credentials grant (unsupported_grant_type). Check ${places.tokenUrl}; it should be the ServiceTitan /connect/token endpoint.`,
    },
  };
}

function readTokenResponse(
  response: ExchangeResponse,
  tokenUrl: string,
  clean: (text: string) => string,
  places: CredentialPlaces,
): { token: string; expiresIn: number } {
  const messages = oauthMessages(places);
  const body = parseJson(response.text);
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const host = safeHost(tokenUrl);
  if (response.status >= 200 && response.status < 300) {
    const token = record?.access_token;
    if (typeof token !== 'string' || token.trim() === '') {
      throw new AuthError(
        clean(
          `The token endpoint ${host} answered ${response.status} without an access token. Check ${places.tokenUrl}; it should be the ServiceTitan /connect/token endpoint.`,
        ),
        'token_endpoint',
        response.status,
      );
    }
    const expires = Number(record?.expires_in);
    return { token: token.trim(), expiresIn: Number.isFinite(expires) && expires > 0 ? expires : DEFAULT_LIFETIME_SECONDS };
  }
  const error = typeof record?.error === 'string' ? record.error : undefined;
  // Redacted before it is cut short: a secret cut in half would no longer be found.
  const description = typeof record?.error_description === 'string' ? ` The server said: "${snippet(clean(record.error_description), 200)}".` : '';
  const known = error ? (messages[error] ?? (error.startsWith('unsupported_') ? messages.unsupported_grant_type : undefined)) : undefined;
  if (known && error) {
    const text = known.text.replace('(unsupported_grant_type)', `(${error})`);
    return fail(clean(`${text}${description}`), known.reason, response.status);
  }
  if (error) {
    return fail(
      clean(
        `The token endpoint refused the request (${error}, HTTP ${response.status}).${description} Check the credentials ${places.credentials} and ${places.tokenUrl}.`,
      ),
      'token_endpoint',
      response.status,
    );
  }
  if (response.status === 401) {
    return fail(clean(`${messages.invalid_client?.text ?? ''} (HTTP 401 from ${host})`), 'invalid_client', response.status);
  }
  return fail(
    clean(
      `The token endpoint ${host} did not answer with an OAuth token: ${describeNonProblem(response.status, response.headers['content-type'], clean(response.text))} Check ${places.tokenUrl}.`,
    ),
    'token_endpoint',
    response.status,
  );
}

function fail(message: string, reason: AuthError['reason'], status: number): never {
  throw new AuthError(message, reason, status);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
