/**
 * The CLI's connection from environment variables: ST_CLIENT_ID, ST_CLIENT_SECRET, ST_APP_KEY,
 * ST_TENANT, and ST_ENVIRONMENT (`integration` or `production`) or ST_API_BASE_URL + ST_TOKEN_URL
 * (with ST_ENVIRONMENT=production marking those URLs as production; ServiceTitan's production URLs
 * are production whatever it says). The values are never printed:
 * they go to the transport, whose secrets every line of output is redacted with.
 */
import { CrmClient } from '../api/client';
import { customEnvironment, INTEGRATION, isProductionUrl, isTenantId, PRODUCTION, type Environment } from '../api/environments';
import { createTransport, type CrmTransport } from '../api/transport';
import type { WriteConnection } from '../writes/engine';

export const CREDENTIAL_VARIABLES = ['ST_CLIENT_ID', 'ST_CLIENT_SECRET', 'ST_APP_KEY', 'ST_TENANT'] as const;

export interface CliConnection {
  connection: WriteConnection;
  transport: CrmTransport;
}

export type ConnectionFromEnv = { ok: true; value: CliConnection } | { ok: false; message: string };

/** The transport's timeout per attempt and what its message offers besides trying again. */
export interface CliTimeout {
  timeoutMs?: number;
  timeoutHint?: string;
}

/** The connection the variables describe, or what to set (names only, never values). */
export function connectionFromEnv(env: NodeJS.ProcessEnv, timeout: CliTimeout = {}): ConnectionFromEnv {
  const value = (name: string): string => (Object.prototype.hasOwnProperty.call(env, name) ? (env[name] ?? '').trim() : '');
  const missing = CREDENTIAL_VARIABLES.filter((name) => value(name) === '');
  const kind = value('ST_ENVIRONMENT').toLowerCase();
  const apiBaseUrl = value('ST_API_BASE_URL');
  const tokenUrl = value('ST_TOKEN_URL');
  const problems: string[] = [];
  if (missing.length > 0)
    problems.push(`Set ${missing.join(', ')} (the app's credentials and the tenant ID), or pass --sandbox to run against a fresh local sandbox.`);
  if (value('ST_TENANT') !== '' && !isTenantId(value('ST_TENANT')))
    problems.push('ST_TENANT must be the tenant ID: digits only, as shown in ServiceTitan (Settings → Integrations → API Application Access).');
  if (kind !== '' && kind !== 'integration' && kind !== 'production') problems.push(`ST_ENVIRONMENT must be integration or production.`);
  if ((apiBaseUrl === '') !== (tokenUrl === '')) problems.push('Set both ST_API_BASE_URL and ST_TOKEN_URL, or neither.');
  if (apiBaseUrl === '' && tokenUrl === '' && kind === '')
    problems.push('Set ST_ENVIRONMENT (integration or production), or ST_API_BASE_URL and ST_TOKEN_URL.');
  const tenantPath = tenantPathProblem(apiBaseUrl);
  if (tenantPath) problems.push(tenantPath);
  let environment: Environment | undefined;
  if (problems.length === 0) {
    try {
      environment = apiBaseUrl !== '' ? customEnvironment(apiBaseUrl, tokenUrl) : kind === 'production' ? PRODUCTION : INTEGRATION;
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0 || !environment) return { ok: false, message: problems.join('\n') };
  const tenant = value('ST_TENANT');
  const transport = createTransport({
    environment,
    tenant,
    clientId: value('ST_CLIENT_ID'),
    clientSecret: value('ST_CLIENT_SECRET'),
    appKey: value('ST_APP_KEY'),
    rateLimitPerSecond: 60,
    ...(timeout.timeoutMs !== undefined ? { timeoutMs: timeout.timeoutMs } : {}),
    ...(timeout.timeoutHint !== undefined ? { timeoutHint: timeout.timeoutHint } : {}),
    places: {
      credentials: 'in ST_CLIENT_ID and ST_CLIENT_SECRET',
      tokenUrl: apiBaseUrl !== '' ? 'ST_TOKEN_URL' : 'ST_ENVIRONMENT',
      appKey: 'ST_APP_KEY',
    },
  });
  // Production's own URLs given as custom ones are production too: the guard must not depend on a label.
  const production = kind === 'production' || isProductionUrl(environment.apiBaseUrl) || isProductionUrl(environment.tokenUrl);
  const name = apiBaseUrl !== '' ? `${environment.apiBaseUrl}${production ? ' (production)' : ''}` : production ? 'Production' : 'Integration';
  return {
    ok: true,
    value: {
      transport,
      connection: {
        profile: { id: 'cli', name, tenant, production },
        client: new CrmClient(transport),
        describe: (request) => transport.describe(request),
      },
    },
  };
}

/**
 * ST_API_BASE_URL is the root `/crm/v2/tenant/{ST_TENANT}/…` is added to (an origin, maybe with a
 * gateway's prefix), not a tenant root such as the sandbox banner's "API base URL": a value with
 * `/crm/v2` in its path would make every call a 404. Says the root to use instead.
 */
function tenantPathProblem(apiBaseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    return undefined; // customEnvironment says what is wrong with it
  }
  const at = url.pathname.search(/\/crm\/v2(\/|$)/i);
  if (at < 0) return undefined;
  const root = `${url.origin}${url.pathname.slice(0, at)}`;
  return `ST_API_BASE_URL is the root the CRM paths (/crm/v2/tenant/{tenant}/…) are added to, but it has ${url.pathname.slice(at)} in it already: set ST_API_BASE_URL=${root} (the tenant comes from ST_TENANT).`;
}
