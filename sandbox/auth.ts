// OAuth 2.0 client credentials like auth.servicetitan.io (IdentityServer): form-encoded POST to
// /connect/token, HS256 JWT access tokens, OAuth error JSON. Tokens carry their scopes and a
// revocation generation so revokeTokens() invalidates every token issued so far.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import * as z from 'zod';
import { HttpError } from './errors';
import { CRM_SPEC } from './generated/spec.gen';
import type { SandboxResponse } from './http';
import { randomGeneration } from './tokenGeneration';

/** Every scope an operation of CRM_SPEC requires: the six customer/contact/location scopes first, then the rest in document order. */
export const WRITE_SCOPES = [
  ...new Set([
    'tn.crm.customers:r',
    'tn.crm.customers:w',
    'tn.crm.contacts:r',
    'tn.crm.contacts:w',
    'tn.crm.locations:r',
    'tn.crm.locations:w',
    ...CRM_SPEC.operations.map((operation) => operation.scope),
  ]),
];
export const READ_SCOPES = WRITE_SCOPES.filter((scope) => scope.endsWith(':r'));

export interface AuthConfig {
  tenant: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
  readOnlyClientId: string;
  readOnlyClientSecret: string;
  /** Further clients with exactly these scopes (SandboxOptions.clients). */
  clients?: { clientId: string; clientSecret: string; scopes: string[] }[];
  tokenLifetimeSeconds: number;
  /**
   * Revocation generation to start from: the data file's, or undefined for a fresh random one, so
   * that tokens of an earlier run without a data file (which may have been revoked) are refused.
   */
  generation?: number | undefined;
}

const tokenClaimsSchema = z.object({
  client_id: z.string(),
  tenant: z.string(),
  scope: z.array(z.string()),
  iat: z.number(),
  exp: z.number(),
  /** Precise expiry in ms (exp is whole seconds for JWT libraries). */
  xms: z.number().optional(),
  jti: z.string(),
  gen: z.number(),
});
type TokenClaims = z.infer<typeof tokenClaimsSchema>;

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

function oauthError(status: number, error: string, extra: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache', ...extra },
    body: JSON.stringify({ error }),
  };
}

/** Constant-time string equality, so a secret is not guessed by timing. */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class Auth {
  /** Tokens are valid only for the generation that issued them; a revocation moves it on. */
  generation: number;
  private readonly key: Buffer;

  constructor(private readonly cfg: AuthConfig) {
    for (const client of cfg.clients ?? []) {
      const unknown = client.scopes.filter((scope) => !WRITE_SCOPES.includes(scope));
      if (unknown.length > 0) throw new Error(`client ${client.clientId}: unknown scopes ${unknown.join(', ')} (known: ${WRITE_SCOPES.join(', ')})`);
      if (client.clientId === cfg.clientId || client.clientId === cfg.readOnlyClientId)
        throw new Error(`client ${client.clientId}: the client ID is already taken`);
    }
    // Deterministic key: tokens stay valid across sandbox restarts with the same credentials.
    this.key = createHash('sha256').update(`stcrm-sandbox\0${cfg.tenant}\0${cfg.clientSecret}\0${cfg.readOnlyClientSecret}`).digest();
    this.generation = cfg.generation ?? randomGeneration();
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }

  issue(clientId: string, scopes: string[]): { token: string; expiresIn: number } {
    const now = Date.now() / 1000;
    const claims: TokenClaims = {
      client_id: clientId,
      tenant: this.cfg.tenant,
      scope: scopes,
      iat: Math.floor(now),
      exp: Math.ceil(now + this.cfg.tokenLifetimeSeconds),
      xms: Math.round((now + this.cfg.tokenLifetimeSeconds) * 1000),
      jti: randomUUID(),
      gen: this.generation,
    };
    const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' }))}.${b64url(JSON.stringify(claims))}`;
    return { token: `${head}.${this.sign(head)}`, expiresIn: Math.max(1, Math.round(this.cfg.tokenLifetimeSeconds)) };
  }

  /** POST /connect/token. */
  tokenEndpoint(method: string, headers: IncomingHttpHeaders, body: string): SandboxResponse {
    if (method !== 'POST') return { ...oauthError(405, 'invalid_request'), headers: { allow: 'POST', 'content-type': 'application/json; charset=UTF-8' } };
    const ct = headers['content-type'] ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(ct)) return oauthError(400, 'invalid_request');
    const form = new URLSearchParams(body);
    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    // client_secret_basic is accepted too, as IdentityServer does.
    let undecodable = false;
    const basic = /^Basic\s+(.+)$/i.exec(headers.authorization ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        // RFC 6749 2.3.1: both parts are form-encoded; a malformed %-escape cannot name a client.
        clientId = percentDecode(decoded.slice(0, colon));
        clientSecret = percentDecode(decoded.slice(colon + 1));
        undecodable = clientId === undefined || clientSecret === undefined;
      }
    }
    const grant = form.get('grant_type');
    if (!grant) return oauthError(400, 'invalid_request');
    if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');
    if (undecodable) return oauthError(400, 'invalid_client');
    if (!clientId || !clientSecret) return oauthError(400, 'invalid_request');

    let allowed: string[];
    if (safeEqual(clientId, this.cfg.clientId) && safeEqual(clientSecret, this.cfg.clientSecret)) allowed = WRITE_SCOPES;
    else if (safeEqual(clientId, this.cfg.readOnlyClientId) && safeEqual(clientSecret, this.cfg.readOnlyClientSecret)) allowed = READ_SCOPES;
    else {
      const [id, secret] = [clientId, clientSecret];
      const extra = this.cfg.clients?.find((client) => safeEqual(id, client.clientId) && safeEqual(secret, client.clientSecret));
      if (!extra) return oauthError(400, 'invalid_client');
      allowed = extra.scopes;
    }

    const requested = (form.get('scope') ?? '').split(/\s+/).filter((scope) => scope !== '');
    if (requested.some((scope) => !allowed.includes(scope))) return oauthError(400, 'invalid_scope');
    const scopes = requested.length > 0 ? requested : allowed;
    const { token, expiresIn } = this.issue(clientId, scopes);
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache' },
      body: JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer', scope: scopes.join(' ') }),
    };
  }

  /**
   * Gateway checks for /crm/v2/tenant/{tenant}/...: access token (with or without "Bearer "),
   * then app key (ST-App-Key header or servicetitanapplicationkey query), then tenant, then scope.
   */
  authorize(headers: IncomingHttpHeaders, query: URLSearchParams, tenant: string, scope: string): void {
    const claims = this.verifyToken(headers.authorization);
    const appKey = headerValue(headers['st-app-key']) ?? queryValue(query, 'servicetitanapplicationkey');
    if (appKey === undefined || appKey === '') throw new HttpError(401, 'Missing application key (ST-App-Key header)');
    if (!safeEqual(appKey, this.cfg.appKey)) throw new HttpError(401, 'Invalid application key');
    // A token is issued for one tenant; any other tenant id is unknown to this client.
    if (tenant !== claims.tenant) throw new HttpError(404, `Tenant ${tenant} not found`);
    if (!claims.scope.includes(scope)) {
      throw new HttpError(403, `Insufficient scope: this operation requires the ${scope} scope`);
    }
  }

  private verifyToken(header: string | undefined): TokenClaims {
    const bearer = 'Bearer error="invalid_token"';
    if (header === undefined || header.trim() === '') {
      throw new HttpError(401, 'Missing access token (Authorization header)', {}, { 'www-authenticate': 'Bearer' });
    }
    const token = header
      .trim()
      .replace(/^Bearer\s+/i, '')
      .trim();
    const parts = token.split('.');
    const invalid = (): HttpError => new HttpError(401, 'Invalid access token', {}, { 'www-authenticate': bearer });
    if (parts.length !== 3) throw invalid();
    const [h, p, sig] = parts as [string, string, string];
    if (!safeEqual(this.sign(`${h}.${p}`), sig)) throw invalid();
    let claims: TokenClaims;
    try {
      const parsed = tokenClaimsSchema.safeParse(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
      if (!parsed.success) throw invalid();
      claims = parsed.data;
    } catch {
      throw invalid();
    }
    if (claims.gen !== this.generation) {
      // Also tokens of an earlier run without a data file: that run's revocations are unknown.
      throw new HttpError(
        401,
        'Access token has been revoked',
        {},
        {
          'www-authenticate': `${bearer}, error_description="The access token has been revoked (or was issued by an earlier run of a sandbox without a data file)"`,
        },
      );
    }
    if ((claims.xms ?? claims.exp * 1000) <= Date.now()) {
      throw new HttpError(401, 'Access token has expired', {}, { 'www-authenticate': `${bearer}, error_description="The access token expired"` });
    }
    return claims;
  }
}

function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
function queryValue(q: URLSearchParams, name: string): string | undefined {
  for (const [key, value] of q) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}
