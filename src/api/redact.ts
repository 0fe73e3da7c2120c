/**
 * The one redaction helper. Every error message, event and log line goes through it, so a token,
 * client secret or app key can never leak even when a server echoes it back.
 */

export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not searched for: replacing 1–2 characters everywhere would shred the text. */
const MIN_SECRET_LENGTH = 3;

// Patterns catch credentials we were never told about (a token from another window, a header dump).
export const PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  [/("(?:access_token|refresh_token|id_token|client_secret|clientSecret|appKey|app_key|password)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`],
  [/\b(access_token|refresh_token|id_token|client_secret|servicetitanapplicationkey|app_key)=[^&\s"']*/gi, `$1=${REDACTED}`],
  [/\b(ST-App-Key|Authorization|Proxy-Authorization)(["']?\s*[:=]\s*["']?)(?!Bearer\b|Basic\b)[^\s"',;}]+/gi, `$1$2${REDACTED}`],
  // Credentials in a URL's user-info part (proxy URLs).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+:[^/@\s]+@/gi, `$1${REDACTED}@`],
];

/** Text none of the PATTERNS can match: it names no credential and has no user-info in a URL. */
const NO_PATTERN = /^(?:(?!bearer|basic|token|secret|appkey|app_key|app-key|password|authorization|servicetitanapplicationkey)[^@])*$/i;

/**
 * Each secret as it may appear in text (plain, URL-encoded, form-encoded, inside a JSON string),
 * longest first so that a secret containing another is removed whole. Every request redacts a
 * dozen strings with the same few secrets, so the variants are kept for the last secret lists.
 */
const variantCache = new Map<string, readonly string[]>();
const VARIANT_CACHE_SIZE = 16;

// The last list, compared value by value: a call redacts many strings with the same secrets,
// and this is cheaper than building the cache key.
let lastSecrets: readonly (string | undefined)[] = [];
let lastVariants: readonly string[] = [];

function variantsOf(secrets: readonly (string | undefined)[]): readonly string[] {
  if (secrets.length === lastSecrets.length && secrets.every((secret, index) => secret === lastSecrets[index])) return lastVariants;
  lastVariants = variantsOfList(secrets);
  lastSecrets = [...secrets];
  return lastVariants;
}

function variantsOfList(secrets: readonly (string | undefined)[]): readonly string[] {
  const key = secrets.join('\u0000');
  const cached = variantCache.get(key);
  if (cached) return cached;
  const values = new Set<string>();
  for (const secret of secrets) {
    const trimmed = secret?.trim();
    if (!trimmed || trimmed.length < MIN_SECRET_LENGTH) continue;
    values.add(trimmed);
    values.add(encodeURIComponent(trimmed));
    values.add(new URLSearchParams({ v: trimmed }).toString().slice(2));
    values.add(JSON.stringify(trimmed).slice(1, -1));
  }
  const variants = [...values].sort((a, b) => b.length - a.length);
  if (variantCache.size >= VARIANT_CACHE_SIZE) variantCache.clear();
  variantCache.set(key, variants);
  return variants;
}

/** Replaces every known secret (plain and URL-encoded) and every credential-looking pattern. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  for (const value of variantsOf(secrets)) {
    if (result.includes(value)) result = result.split(value).join(REDACTED);
  }
  if (NO_PATTERN.test(result)) return result;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Redacts every string inside a plain JSON-like value (events, problem details). */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  return walk(value, secrets) as T;
}

function walk(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // A loop, not fromEntries(entries(…)): every event of every call comes through here.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = walk((value as Record<string, unknown>)[key], secrets);
      if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      else out[key] = item;
    }
    return out;
  }
  return value;
}
