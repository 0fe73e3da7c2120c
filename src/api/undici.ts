/**
 * The parts of undici the client uses, loaded from their own modules instead of undici's index.
 * The index also loads fetch, WebSocket, EventSource, caches, mocks and interceptors: bundled,
 * that was 535 KB of the extension's 1.1 MB, almost none of it used. These modules are undici's
 * own (no copy, no patch); `undiciInternals.d.ts` types them with undici's declarations.
 * The paths are internal to undici, so the version is pinned (`~7.30`): the transport, proxy and
 * bundle tests fail if a new version moves them.
 */
import type { Dispatcher as DispatcherType } from 'undici';
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

// What undici's index does on load: the request/stream/pipeline/upgrade/connect methods live on
// every dispatcher. ProxyAgent needs `connect` for its CONNECT tunnels.
Object.assign(Dispatcher.prototype, api);

export { Agent, EnvHttpProxyAgent };
export type { DispatcherType as Dispatcher };

export interface TextResponse {
  statusCode: number;
  /** Names in lower case, as undici parses them. */
  headers: DispatcherType.ResponseData['headers'];
  /** The whole body as UTF-8 text, a leading byte order mark dropped (as undici's `body.text()`). */
  text: string;
}

export interface TextRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  dispatcher: DispatcherType;
  /** Called once the final status line and headers arrived: from then on the server certainly had the request. */
  onAnswer?: () => void;
}

/**
 * One request and its whole body as text: what `undici.request` plus `body.text()` give, by
 * undici's own dispatch. No body stream in between, and no AbortSignal: undici keeps a listener
 * on a signal for as long as the body stream lives, which cost about 15 µs a call. `abort`
 * ends the request at any point instead, and the promise rejects with its reason at once (also
 * while the request still waits for a connection, which a signal cannot cut short).
 */
export function requestText(url: string, options: TextRequest): { response: Promise<TextResponse>; abort(reason: Error): void } {
  const target = new URL(url);
  let controller: DispatcherType.DispatchController | undefined;
  let aborted: Error | undefined;
  let fail: (error: Error) => void = () => undefined;
  const response = new Promise<TextResponse>((resolve, reject) => {
    let settled = false;
    let statusCode = 0;
    let headers: TextResponse['headers'] = {};
    const chunks: Buffer[] = [];
    let length = 0;
    fail = (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const handler: DispatcherType.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (aborted) started.abort(aborted);
      },
      onResponseStart(_controller, status, responseHeaders) {
        // 1xx answers are informational; the real one follows.
        if (status < 200) return;
        statusCode = status;
        headers = responseHeaders;
        options.onAnswer?.();
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
        length += chunk.length;
      },
      onResponseEnd() {
        if (settled) return;
        settled = true;
        resolve({ statusCode, headers, text: utf8(chunks, length) });
      },
      onResponseError(_controller, error) {
        fail(error);
      },
    };
    options.dispatcher.dispatch(
      {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: options.method,
        headers: options.headers,
        body: options.body,
        // The caller's timer covers the whole exchange; undici's would only cover parts of it.
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      handler,
    );
  });
  return {
    response,
    abort(reason) {
      aborted ??= reason;
      controller?.abort(reason);
      fail(reason);
    },
  };
}

function utf8(chunks: readonly Buffer[], length: number): string {
  if (length === 0) return '';
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const bom = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', bom ? 3 : 0);
}
