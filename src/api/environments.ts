/** Where a profile's calls go. Production and Integration are ServiceTitan's; Custom is any pair of URLs (the sandbox is one). */
export type EnvironmentKind = 'production' | 'integration' | 'custom';

export interface Environment {
  kind: EnvironmentKind;
  /** Origin (and optional prefix) that `/crm/v2/tenant/{tenant}/…` is appended to, without a trailing slash. */
  apiBaseUrl: string;
  /** Full OAuth token endpoint URL. */
  tokenUrl: string;
}

export const PRODUCTION: Environment = {
  kind: 'production',
  apiBaseUrl: 'https://api.servicetitan.io',
  tokenUrl: 'https://auth.servicetitan.io/connect/token',
};

export const INTEGRATION: Environment = {
  kind: 'integration',
  apiBaseUrl: 'https://api-integration.servicetitan.io',
  tokenUrl: 'https://auth-integration.servicetitan.io/connect/token',
};

/** A custom environment; both URLs must be absolute http(s) URLs. Throws with a message that says which is wrong. */
export function customEnvironment(apiBaseUrl: string, tokenUrl: string): Environment {
  return { kind: 'custom', apiBaseUrl: checkUrl(apiBaseUrl, 'API base URL').replace(/\/+$/, ''), tokenUrl: checkUrl(tokenUrl, 'Token URL') };
}

function checkUrl(value: string, label: string): string {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`${label} "${trimmed}" is not a valid URL. Use an absolute URL such as https://api.example.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${label} must start with https:// or http:// (got ${url.protocol}).`);
  }
  return trimmed;
}

/** The tenant root every CRM v2 path hangs off. */
export function tenantRoot(env: Environment, tenant: string): string {
  return `${env.apiBaseUrl}/crm/v2/tenant/${encodeURIComponent(tenant)}`;
}

/** A tenant ID as ServiceTitan shows it: 1 to 19 digits (the profile form and the CLI's ST_TENANT take the same). */
export function isTenantId(value: string): boolean {
  return /^\s*\d{1,19}\s*$/.test(value);
}

/**
 * Whether `url` is on one of production's hosts, however written: the host compared in lower case
 * without its trailing dot, whatever the scheme or port (`https://API.servicetitan.io.:443/` is
 * production), so the production guard cannot be passed by spelling.
 */
export function isProductionUrl(url: string): boolean {
  const host = hostOf(url);
  return host !== undefined && (host === hostOf(PRODUCTION.apiBaseUrl) || host === hostOf(PRODUCTION.tokenUrl));
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.+$/, '');
  } catch {
    return undefined;
  }
}
