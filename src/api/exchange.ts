import { request, type Dispatcher } from './undici';
import { CancelledError, NetworkError, TimeoutError } from './errors';
import { describeNetworkError } from './networkErrors';

/**
 * One HTTP exchange (request plus the whole body) with a timeout and the caller's AbortSignal.
 * It classifies every way it can fail without an HTTP answer: CancelledError (the caller
 * aborted), TimeoutError, NetworkError with a message that says what to do.
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
}

export interface ExchangeResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

export async function exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
  if (req.signal?.aborted) throw new CancelledError();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
  try {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: req.dispatcher,
      signal,
      // Our own timer covers the whole exchange; undici's would only cover parts of it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const text = await response.body.text();
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers, text };
  } catch (error) {
    if (req.signal?.aborted) throw new CancelledError();
    if (timeout.signal.aborted) {
      const seconds = Math.round(req.timeoutMs / 100) / 10;
      const what = req.target === 'token' ? 'The ServiceTitan token endpoint' : `${req.method} ${new URL(req.url).pathname}`;
      throw new TimeoutError(
        req.clean(`${what} did not answer within ${seconds} s. The server may be slow or unreachable; try again, or raise "stcrm.requestTimeoutSeconds".`),
        req.timeoutMs,
      );
    }
    const { code, message } = describeNetworkError(error, { url: req.url, proxy: req.proxy, target: req.target });
    throw new NetworkError(req.clean(message), code, { cause: error });
  } finally {
    clearTimeout(timer);
  }
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
