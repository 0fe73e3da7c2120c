import { Agent, EnvHttpProxyAgent, type Dispatcher } from './undici';

/**
 * Proxy and TLS settings. The extension fills these from VS Code's `http.proxy`,
 * `http.proxyStrictSSL` and `http.noProxy`; without an explicit URL the usual
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment variables apply.
 */
export interface ProxySettings {
  /** Explicit proxy (`http://user:pass@host:port`); overrides HTTPS_PROXY/HTTP_PROXY. */
  url?: string;
  /** Verify server (and proxy) certificates. Default true. */
  strictSSL?: boolean;
  /** Hosts that bypass the proxy (NO_PROXY syntax, or VS Code's `http.noProxy` list). */
  noProxy?: string | readonly string[];
  /** Environment to read proxy variables from (default `process.env`; tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface CrmDispatcher {
  readonly dispatcher: Dispatcher;
  /** The proxy a request to `url` goes through, or undefined for a direct connection. */
  proxyFor(url: string): string | undefined;
  /**
   * Drops every connection at once, with any request still queued or connecting: the transport
   * has cancelled its calls by then, and a graceful close would wait for a hanging connect.
   */
  close(): Promise<void>;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value?.trim() ? value.trim() : undefined;
}

export function createDispatcher(settings: ProxySettings = {}): CrmDispatcher {
  const env = settings.env ?? process.env;
  const explicit = settings.url?.trim() ? settings.url.trim() : undefined;
  if (explicit) checkProxyUrl(explicit);
  const httpProxy = explicit ?? envValue(env, 'http_proxy');
  const httpsProxy = explicit ?? envValue(env, 'https_proxy') ?? httpProxy;
  const noProxy = Array.isArray(settings.noProxy) ? settings.noProxy.join(',') : ((settings.noProxy as string | undefined) ?? envValue(env, 'no_proxy') ?? '');
  const rejectUnauthorized = settings.strictSSL ?? true;

  // EnvHttpProxyAgent picks direct / HTTP proxy / HTTPS proxy per origin and applies NO_PROXY;
  // passing the values explicitly keeps it from re-reading process.env behind our back. With no
  // proxy at all every request goes direct, and a plain Agent skips that choice (a URL parse and
  // the NO_PROXY match per request).
  const dispatcher =
    httpProxy || httpsProxy
      ? new EnvHttpProxyAgent({
          httpProxy: httpProxy ?? '',
          httpsProxy: httpsProxy ?? '',
          noProxy,
          connect: { rejectUnauthorized },
          requestTls: { rejectUnauthorized },
          proxyTls: { rejectUnauthorized },
        })
      : new Agent({ connect: { rejectUnauthorized } });
  const entries = parseNoProxy(noProxy);

  return {
    dispatcher,
    proxyFor(url: string): string | undefined {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return undefined;
      }
      const proxy = target.protocol === 'https:' ? httpsProxy : httpProxy;
      if (!proxy || !shouldProxy(target, entries, noProxy)) return undefined;
      return proxy;
    },
    close: () => dispatcher.destroy(),
  };
}

function checkProxyUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`The proxy URL "${stripCredentials(value)}" is not valid. Use a URL such as http://proxy.example.com:8080 in "http.proxy".`);
  }
  if (!/^(https?|socks5?):$/.test(url.protocol)) {
    throw new Error(`The proxy URL must start with http://, https:// or socks5:// (got ${url.protocol}).`);
  }
}

function stripCredentials(value: string): string {
  return value.replace(/\/\/[^/@]*@/, '//');
}

interface NoProxyEntry {
  hostname: string;
  port: number;
}

function parseNoProxy(value: string): NoProxyEntry[] {
  return value
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      const parsed = /^(.+?)(?::(\d+))?$/.exec(entry.replace(/^\*?\./, ''));
      return { hostname: (parsed?.[1] ?? entry).toLowerCase(), port: parsed?.[2] ? Number(parsed[2]) : 0 };
    });
}

// Same rules as undici's EnvHttpProxyAgent, so `proxyFor` names the proxy that is really used.
function shouldProxy(url: URL, entries: NoProxyEntry[], raw: string): boolean {
  if (raw.trim() === '*') return false;
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || (url.protocol === 'https:' ? 443 : 80);
  for (const entry of entries) {
    if (entry.port && entry.port !== port) continue;
    if (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)) return false;
  }
  return true;
}
