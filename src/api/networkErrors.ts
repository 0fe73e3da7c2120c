/**
 * Turns Node/undici network failures into messages that say what to do. The error code stays
 * available on `NetworkError.code` for programs; the text is for people.
 */

export interface NetworkContext {
  /** The URL we tried to reach. */
  url: string;
  /** The proxy the request went through, if any. */
  proxy?: string;
  /** 'token' when talking to the OAuth token endpoint. */
  target?: 'api' | 'token';
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
  port?: unknown;
}

/** The first Node/undici error code in an error, its `cause` chain or an AggregateError's members. */
export function errorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && e.code !== 'UND_ERR_ABORTED' && e.code !== 'ABORT_ERR') return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  const fromCause = errorCode(e.cause, depth + 1);
  if (fromCause) return fromCause;
  return typeof e.code === 'string' ? e.code : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The host (and port) of a URL, or the text itself when it is not one. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Codes that mean the request may have reached the server and the connection then broke. */
export const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

const CERT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

export function isCertificateCode(code: string | undefined): boolean {
  return code !== undefined && (CERT_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'));
}

const TLS_INSPECTION_HINT =
  'If a company proxy or antivirus inspects HTTPS, install its root certificate in the operating system (or set NODE_EXTRA_CA_CERTS). ' +
  'Turning off "http.proxyStrictSSL" skips this check but is unsafe.';

/** `{ code, message }` for a failure that produced no HTTP answer. */
export function describeNetworkError(error: unknown, context: NetworkContext): { code: string | undefined; message: string } {
  const code = errorCode(error);
  const host = hostOf(context.url);
  const what = context.target === 'token' ? `the ServiceTitan token endpoint (${host})` : host;
  const proxyHost = context.proxy ? hostOf(context.proxy) : undefined;
  const raw = messageOf(error);

  // undici reports a refused CONNECT as "Proxy response (407) !== 200 when HTTP Tunneling".
  const tunnel = /Proxy response \((\d+)\)/.exec(raw);
  if (tunnel) {
    const status = Number(tunnel[1]);
    const why =
      status === 407
        ? 'it asks for proxy credentials; put them in the proxy URL (http.proxy) as http://user:password@host:port'
        : `it answered ${status} to the tunnel request; check the proxy URL (http.proxy) and that the proxy allows ${host}`;
    return { code: code ?? 'PROXY_TUNNEL', message: `The proxy ${proxyHost ?? ''} refused to connect to ${what}: ${why}.`.replace('  ', ' ') };
  }

  // A connection failure to the proxy itself: name the proxy, not the API.
  const failingPort = findPort(error);
  const viaProxy = proxyHost !== undefined && failingPort !== undefined && proxyHost.endsWith(`:${failingPort}`);
  if (viaProxy && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')) {
    return {
      code,
      message: `Could not reach the proxy ${proxyHost} (${code}). Check the proxy URL in "http.proxy" or the HTTPS_PROXY/HTTP_PROXY environment variables.`,
    };
  }
  const proxyNote = proxyHost ? ` The request went through the proxy ${proxyHost}; check "http.proxy" too.` : '';

  switch (code) {
    case 'ECONNREFUSED':
      return {
        code,
        message:
          `Could not connect to ${what}: the connection was refused (ECONNREFUSED). ` +
          `Check the URL and port, and that the server${context.target === 'token' ? '' : ' (or the local sandbox)'} is running.${proxyNote}`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        code,
        message: `Could not find the host ${host} (${code}). Check the URL for typos and your internet connection or DNS.${proxyNote}`,
      };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return {
        code,
        message: `Could not reach ${what} (${code}): the network did not answer. Check your connection, VPN or firewall, or set a proxy in "http.proxy" if your network requires one.${proxyNote}`,
      };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'ECONNABORTED':
      return {
        code,
        message: `The connection to ${what} was closed before a complete answer arrived (${code}). This is usually temporary; try again. If it keeps happening, a proxy or firewall may be cutting connections.${proxyNote}`,
      };
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return { code, message: `The TLS certificate of ${host} is expired or not yet valid (${code}). Check your computer's clock. ${TLS_INSPECTION_HINT}` };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return { code, message: `${host} presented a self-signed certificate (${code}), so the connection is not trusted. ${TLS_INSPECTION_HINT}` };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return { code, message: `The TLS certificate of ${host} could not be verified (${code}): its issuer is not trusted here. ${TLS_INSPECTION_HINT}` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        code,
        message: `The TLS certificate of ${host} is for a different host name (${code}). Check the URL; a proxy may be intercepting HTTPS. ${TLS_INSPECTION_HINT}`,
      };
    case 'UND_ERR_HEADERS_OVERFLOW':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_HEADER_TOKEN':
      return { code, message: `${what} sent a malformed HTTP answer (${code}). Check the URL; it may not be a ServiceTitan API server.${proxyNote}` };
    default:
      if (isCertificateCode(code)) {
        return { code, message: `A secure connection to ${host} could not be established (${code}). ${TLS_INSPECTION_HINT}` };
      }
      return {
        code,
        message: `The request to ${what} failed before an answer arrived${code ? ` (${code})` : ''}: ${raw}. Check your network connection and proxy settings.`,
      };
  }
}

function findPort(error: unknown, depth = 0): number | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  if (typeof e.port === 'number') return e.port;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const port = findPort(inner, depth + 1);
      if (port !== undefined) return port;
    }
  }
  return findPort(e.cause, depth + 1);
}
