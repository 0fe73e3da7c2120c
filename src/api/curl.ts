/** A concrete HTTP request with every secret already replaced by a placeholder. */
export interface RequestDescription {
  method: string;
  url: string;
  /** Extra headers (Content-Type …); auth headers are added by the builder as variables. */
  headers?: Record<string, string>;
  body?: string;
}

export interface CurlOptions {
  /** Shell variable holding the access token (default ST_TOKEN). */
  tokenVariable?: string;
  /** Shell variable holding the app key (default ST_APP_KEY). */
  appKeyVariable?: string;
}

/**
 * The one cURL builder: a POSIX-shell command that runs as is once the token and app key are
 * in the environment. Secrets are never part of it, only `$ST_TOKEN` and `$ST_APP_KEY`.
 */
export function toCurl(request: RequestDescription, options: CurlOptions = {}): string {
  const token = options.tokenVariable ?? 'ST_TOKEN';
  const appKey = options.appKeyVariable ?? 'ST_APP_KEY';
  const lines = [`curl --fail-with-body -sS -X ${request.method.toUpperCase()} ${quote(request.url)}`];
  // Double quotes so the shell expands the variables; nothing else is inside them.
  lines.push(`-H "Authorization: Bearer \${${token}}"`, `-H "ST-App-Key: \${${appKey}}"`);
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (/^(authorization|st-app-key)$/i.test(name)) continue;
    lines.push(`-H ${quote(`${name}: ${value}`)}`);
  }
  if (request.body !== undefined) lines.push(`--data-raw ${quote(request.body)}`);
  return lines.join(' \\\n  ');
}

/** Single-quotes a value for POSIX shells ('\'' closes, escapes and reopens). */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
