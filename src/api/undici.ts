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
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

// What undici's index does on load: the request/stream/pipeline/upgrade/connect methods live on
// every dispatcher. ProxyAgent needs `connect` for its CONNECT tunnels.
Object.assign(Dispatcher.prototype, api);

export { EnvHttpProxyAgent };
export type { DispatcherType as Dispatcher };

/** `undici.request(url, options)` on an explicit dispatcher. */
export function request(url: string, options: Omit<DispatcherType.RequestOptions, 'origin' | 'path'> & { dispatcher: DispatcherType }): Promise<DispatcherType.ResponseData> {
  const { dispatcher, ...rest } = options;
  const target = new URL(url);
  return dispatcher.request({ ...rest, origin: target.origin, path: `${target.pathname}${target.search}` });
}
