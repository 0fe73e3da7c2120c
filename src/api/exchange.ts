import { requestText, type Dispatcher } from './undici';
import { CancelledError, NetworkError, TimeoutError } from './errors';
import { describeNetworkError, errorCode, hostOf, isCertificateCode, messageOf, RESET_CODES, type NetworkContext } from './networkErrors';

/**
 * One HTTP exchange (request plus the whole body) with a timeout and the caller's AbortSignal.
 * It classifies every way it can fail without an HTTP answer: CancelledError (the caller
 * aborted), TimeoutError, NetworkError with a message that says what to do. For a write set in
 * `unknownOutcome`, a failure after the request may have reached the server is marked
 * `outcomeUnknown` and its message says to check before sending again.
 */
export interface ExchangeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Proxy in use, named in network error messages. */
  proxy?: string;
  target: 'api' | 'token';
  /** Applied to every message before an error is built. */
  clean: (text: string) => string;
  /** What else to do about a timeout, after "try again, or": the caller's own knob (a setting, a flag). */
  timeoutHint?: string;
  /** Set for non-idempotent API writes (POST): repeating one blindly could create a duplicate. */
  unknownOutcome?: UnknownOutcomeWrite;
}

export interface ExchangeResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

export async function exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
  if (req.signal?.aborted) throw new CancelledError();
  // Once headers arrived the server certainly had the request, whatever breaks next.
  let answered = false;
  let timedOut = false;
  let call: ReturnType<typeof requestText> | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    call?.abort(new Error('timed out'));
  }, req.timeoutMs);
  const onAbort = (): void => {
    call?.abort(new Error('aborted'));
  };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    call = requestText(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: req.dispatcher,
      onAnswer: () => {
        answered = true;
      },
    });
    const response = await call.response;
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers, text: response.text };
  } catch (error) {
    if (req.signal?.aborted) throw new CancelledError();
    if (timedOut) {
      const seconds = Math.round(req.timeoutMs / 100) / 10;
      // We cannot tell whether the timer fired before or after the request left, so assume after.
      if (req.unknownOutcome) {
        const { label, record } = req.unknownOutcome;
        throw new TimeoutError(
          req.clean(
            `${label} was sent, but ServiceTitan did not answer within ${seconds} s: the ${record} may have been created. Check before you send it again.`,
          ),
          req.timeoutMs,
          { outcomeUnknown: true },
        );
      }
      const what = req.target === 'token' ? 'The ServiceTitan token endpoint' : `${req.method} ${new URL(req.url).pathname}`;
      throw new TimeoutError(
        req.clean(
          `${what} did not answer within ${seconds} s. The server may be slow or unreachable; try again${req.timeoutHint ? `, or ${req.timeoutHint}` : ''}.`,
        ),
        req.timeoutMs,
      );
    }
    const context = { url: req.url, proxy: req.proxy, target: req.target };
    if (req.unknownOutcome && (answered || mayHaveReachedServer(error))) {
      const { code, message } = describeUnknownOutcome(error, { ...context, write: req.unknownOutcome });
      throw new NetworkError(req.clean(message), code, { cause: error, outcomeUnknown: true });
    }
    const { code, message } = describeNetworkError(error, context);
    throw new NetworkError(req.clean(message), code, { cause: error });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}

// ---- writes whose outcome is unknown ----------------------------------------------------------

/** A POST whose failure may leave a record behind: named in the message so people know what to look for. */
export interface UnknownOutcomeWrite {
  /** `POST /contacts`: method and path below the tenant root. */
  label: string;
  /** What the call creates: `contact`, `contact method`, `relationship`. */
  record: string;
}

// Failures that happen before any byte of the HTTP request can have left this machine.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'PROXY_TUNNEL',
]);

/**
 * Whether a request that failed without an HTTP answer may have reached the server. False only
 * when the failure is known to come before the request was written: refused, DNS, connect
 * timeout, TLS handshake, proxy CONNECT, or a socket that never wrote a byte. Anything else
 * (resets, closed sockets, malformed answers, unknown codes) counts as "may have", because
 * wrongly saying "not sent" invites a duplicate.
 */
export function mayHaveReachedServer(error: unknown): boolean {
  const code = errorCode(error);
  const chain = errorChain(error);
  const text = chain.map((e) => messageOf(e)).join('\n');
  if (/Proxy response \(\d+\)/.test(text) || /before secure TLS connection was established/i.test(text)) return false;
  if (code !== undefined && (NOT_SENT_CODES.has(code) || isCertificateCode(code))) return false;
  // ETIMEDOUT from connect means no connection; on read/write it may follow a sent request.
  if (code === 'ETIMEDOUT' && !chain.some((e) => ['read', 'write'].includes(String((e as { syscall?: unknown }).syscall)))) return false;
  // undici's SocketError reports the socket's byte counts; a socket that wrote nothing sent nothing.
  if (chain.some((e) => bytesWritten(e) === 0)) return false;
  return true;
}

/** The message of a write that may have reached the server: what may exist, and "check first", never "try again". */
function describeUnknownOutcome(error: unknown, context: NetworkContext & { write: UnknownOutcomeWrite }): { code: string | undefined; message: string } {
  const code = errorCode(error);
  const { label, record } = context.write;
  const proxyHost = context.proxy ? hostOf(context.proxy) : undefined;
  const proxyNote = proxyHost ? ` The request went through the proxy ${proxyHost}.` : '';
  const check = `may have been created. Check before you send it again.${proxyNote}`;
  if (code !== undefined && (RESET_CODES.has(code) || code.startsWith('UND_ERR_RES_'))) {
    return { code, message: `${label} was sent, but the connection was closed before a complete answer arrived (${code}): the ${record} ${check}` };
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW' || code?.startsWith('HPE_')) {
    return { code, message: `${label} was sent, but ${hostOf(context.url)} sent a malformed answer (${code}): the ${record} ${check}` };
  }
  const codePart = code ? ` (${code})` : '';
  return {
    code,
    message: `${label} was sent, but it failed before a complete answer arrived${codePart}: ${messageOf(error).replace(/\.$/, '')}. The ${record} ${check}`,
  };
}

/** The error, its AggregateError members and its causes, breadth-first, at most a few levels deep. */
function errorChain(error: unknown): object[] {
  const out: object[] = [];
  let level: unknown[] = [error];
  for (let depth = 0; depth <= 5 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const item of level) {
      if (typeof item !== 'object' || item === null) continue;
      out.push(item);
      const e = item as { errors?: unknown; cause?: unknown };
      if (Array.isArray(e.errors)) next.push(...(e.errors as unknown[]));
      next.push(e.cause);
    }
    level = next;
  }
  return out;
}

function bytesWritten(error: object): number | undefined {
  const socket = (error as { socket?: unknown }).socket;
  if (typeof socket !== 'object' || socket === null) return undefined;
  const written = (socket as { bytesWritten?: unknown }).bytesWritten;
  return typeof written === 'number' ? written : undefined;
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `promise`, but gives up with CancelledError when `signal` aborts (the promise keeps running). */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * A signal that aborts as soon as one of `signals` does, and `dispose` to unhook it when the call
 * is over. AbortSignal.any does the same for about 25 µs a call; this costs about 6.
 */
export function anySignal(signals: readonly AbortSignal[]): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = (): void => {
    controller.abort();
  };
  for (const signal of signals) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const signal of signals) signal.removeEventListener('abort', onAbort);
    },
  };
}
