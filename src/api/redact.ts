/**
 * The one redaction helper. Every error message, event and log line goes through it, so a token,
 * client secret or app key can never leak even when a server echoes it back.
 */

export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not searched for: replacing 1–2 characters everywhere would shred the text. */
const MIN_SECRET_LENGTH = 3;

/**
 * Whether a word after `Bearer`, `Basic`, `Authorization:` or `ST-App-Key:` is a credential rather
 * than prose ("Basic maintenance plan", "Authorization: pending", "Bearer of bad news"). Credentials
 * are random: at least 10 characters, and either 3 or more digits (hex and opaque tokens, app keys
 * like `ak1.…`), or lower case with 2 or more capitals after the first letter (base64: `dXNlcjpwYXNz`
 * is `user:pass`, and a JWT's `eyJhbGci…`), or a JWT's three dotted parts of 2 or more characters each. English words have
 * neither (`PowerPoint` has one inner capital; `12-month` is short). Punctuation alone does not
 * count: `self-service` and `and/or` are words. The profile's own secrets are removed whatever
 * their shape (the known-secret search), so this only decides for credentials never given to us.
 */
export function looksLikeCredential(word: string): boolean {
  const value = word.replace(/=+$/, '');
  if (value.length < 10) return false;
  // A JWT's shape (`header.payload.signature`), however short a placeholder such as `abc.def.ghi` is.
  if (/^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/.test(value)) return true;
  if ((value.match(/[0-9]/g)?.length ?? 0) >= 3) return true;
  return /[a-z]/.test(value) && (value.slice(1).match(/[A-Z]/g)?.length ?? 0) >= 2;
}

type Replacer = (match: string, ...groups: string[]) => string;

// Patterns catch credentials we were never told about (a token from another window, a header dump).
export const PATTERNS: readonly [RegExp, Replacer][] = [
  // `Bearer <token>`, `Basic <base64>`: only a value that looks like a credential (not "Basic maintenance").
  [
    /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]+=*)/gi,
    (match, scheme = '', space = '', value = '') => (looksLikeCredential(value) ? `${scheme}${space}${REDACTED}` : match),
  ],
  // A JSON member or form field named for a credential: its value whatever it looks like.
  [
    // The string's characters as runs between escapes ("unrolled"): `(?:[^"\\]|\\.)*` keeps a backtrack
    // entry per character and overflows the stack on a value of a few megabytes.
    /("(?:access_token|refresh_token|id_token|client_secret|clientSecret|appKey|app_key|password)"\s*:\s*)"[^"\\]*(?:\\.[^"\\]*)*"/gi,
    (_match, key = '') => `${key}"${REDACTED}"`,
  ],
  [/\b(access_token|refresh_token|id_token|client_secret|servicetitanapplicationkey|app_key)=[^&\s"']*/gi, (_match, key = '') => `${key}=${REDACTED}`],
  // A header-style `Authorization: <value>` (or `Authorization: <scheme> <value>`): only a credential-looking value.
  [
    /\b(ST-App-Key|Authorization|Proxy-Authorization)(["']?\s*[:=]\s*["']?)(?!Bearer\b|Basic\b)(?:([A-Za-z][A-Za-z-]*)( +))?([^\s"',;}]+)/gi,
    (match, name = '', separator = '', scheme = '', space = '', value = '') => {
      if (scheme && looksLikeCredential(scheme)) return `${name}${separator}${REDACTED}${space}${value}`;
      return looksLikeCredential(value) ? `${name}${separator}${scheme}${space}${REDACTED}` : match;
    },
  ],
  // Credentials in a URL's user-info part (proxy URLs).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+:[^/@\s]+@/gi, (_match, scheme = '') => `${scheme}${REDACTED}@`],
];

/**
 * What every match of the PATTERNS holds: text without any of these (no credential named, no
 * user-info in a URL) skips them. A plain search, not a pattern anchored over the whole text: one of
 * those backtracks per character and overflows the stack on a body of a few megabytes.
 */
const PATTERN_HINT = /bearer|basic|token|secret|appkey|app_key|app-key|password|authorization|servicetitanapplicationkey|@/i;

/**
 * One secret as a server may write it back, character by character in any mix: plain,
 * percent-encoded (once or more, either hex case), form-encoded, JSON-escaped (`\"`, `\/`, and
 * `\uXXXX` in either hex case, as System.Text.Json writes `+ & < > ' "` and non-ASCII), as an
 * HTML character reference, and escapes of escapes (a .NET-escaped HTML entity `\u0026lt;`, JSON
 * inside a JSON string, JSON in a URL).
 */
interface SecretSearch {
  /**
   * The secret's longest run of ASCII letters and digits, which every one of those encodings keeps:
   * text without it cannot hold the secret, so most text costs one `includes` per secret.
   */
  anchor: string;
  pattern: RegExp;
}

interface Searches {
  /** Longest first, so that a secret containing another is removed whole. */
  secrets: readonly SecretSearch[];
  /**
   * Base64 of each secret at each of the three byte alignments (`Basic base64(clientId:clientSecret)`
   * holds the secret at an offset): the longest run of its whole 4-character groups without `+` or
   * `/`, the same in standard and URL-safe base64 and whatever a server does to `+`. A match takes
   * the whole base64 word around it, escapes included, so no neighbouring group gives away a byte.
   */
  base64: readonly string[];
}

/** Shorter runs would match ordinary base64 (or words) by chance. */
const MIN_BASE64_RUN = 8;

// Every request redacts a dozen strings with the same few secrets, so the searches are kept for
// the last secret lists.
const searchCache = new Map<string, Searches>();
const SEARCH_CACHE_SIZE = 16;

// The last list, compared value by value: a call redacts many strings with the same secrets,
// and this is cheaper than building the cache key.
let lastSecrets: readonly (string | undefined)[] = [];
let lastSearches: Searches = { secrets: [], base64: [] };

function searchesOf(secrets: readonly (string | undefined)[]): Searches {
  if (secrets.length === lastSecrets.length && secrets.every((secret, index) => secret === lastSecrets[index])) return lastSearches;
  lastSearches = searchesOfList(secrets);
  lastSecrets = [...secrets];
  return lastSearches;
}

function searchesOfList(secrets: readonly (string | undefined)[]): Searches {
  const key = secrets.join('\u0000');
  const cached = searchCache.get(key);
  if (cached) return cached;
  const values = new Set<string>();
  for (const secret of secrets) {
    const trimmed = secret?.trim();
    if (trimmed && trimmed.length >= MIN_SECRET_LENGTH) values.add(trimmed);
  }
  const sorted = [...values].sort((a, b) => b.length - a.length);
  const runs = new Set(sorted.flatMap(base64Runs));
  const searches: Searches = {
    secrets: sorted.map((secret) => ({ anchor: longestAlphanumericRun(secret), pattern: new RegExp([...secret].map(characterPattern).join(''), 'g') })),
    base64: [...runs],
  };
  if (searchCache.size >= SEARCH_CACHE_SIZE) searchCache.clear();
  searchCache.set(key, searches);
  return searches;
}

function longestAlphanumericRun(secret: string): string {
  let longest = '';
  for (const run of secret.match(/[A-Za-z0-9]+/g) ?? []) if (run.length > longest.length) longest = run;
  return longest;
}

/** `2b` → `2[bB]`: hex digits in either case. */
function hexPattern(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

// The characters that make up escapes, as they appear when the escape is itself escaped: a
// .NET-escaped HTML entity (`\u0026lt;`), JSON inside a JSON string (`\\u002B`), a URL encoded
// twice (`%252B`) or JSON in a URL (`%5Cu002B`).
/** `%`, itself percent-encoded any number of times. */
const PERCENT = '%(?:25)*';
/** The backslash of a JSON escape: one or more, plain or percent-encoded. */
const BACKSLASH = String.raw`(?:\\|${PERCENT}5[cC])+`;
const AMPERSAND = `(?:&|${BACKSLASH}u0026|${PERCENT}26)`;
const HASH = `(?:#|${PERCENT}23)`;
const SEMICOLON = `(?:;|${PERCENT}3[bB])`;

/** JSON's short escapes (`\"`, `\/`, `\n` …): the pattern of the letter after the backslash. */
const JSON_SHORT_ESCAPES: Record<string, string> = {
  '"': `(?:"|${PERCENT}22)`,
  '\\': '',
  '/': `(?:/|${PERCENT}2[fF])`,
  '\b': 'b',
  '\f': 'f',
  '\n': 'n',
  '\r': 'r',
  '\t': 't',
};
const HTML_NAMED: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos', '\u00a0': 'nbsp' };

/** An HTML character reference to `codePoint`: `&#x2B;`, `&#43;`, or the name given. */
function htmlPattern(codePoint: number, name?: string): string {
  const references = [`${HASH}[xX]0*${hexPattern(codePoint, 1)}`, `${HASH}0*${codePoint}`];
  if (name) references.push(name);
  return `${AMPERSAND}(?:${references.join('|')})${SEMICOLON}`;
}

/** Every way one character (a code point) of a secret may be written back. */
function characterPattern(character: string): string {
  if (/^[A-Za-z0-9]$/.test(character)) return character;
  const codePoint = character.codePointAt(0) ?? 0;
  const forms: string[] = [];
  const short = JSON_SHORT_ESCAPES[character];
  if (short !== undefined) forms.push(`${BACKSLASH}${short}`);
  // JSON `\uXXXX`, one per UTF-16 unit (a surrogate pair is two).
  forms.push(Array.from({ length: character.length }, (_, index) => `${BACKSLASH}u${hexPattern(character.charCodeAt(index), 4)}`).join(''));
  // Percent-encoded UTF-8.
  forms.push([...new TextEncoder().encode(character)].map((byte) => `${PERCENT}${hexPattern(byte, 2)}`).join(''));
  // Form encoding writes a space as `+`, which may then be escaped as any `+` is.
  if (character === ' ') forms.push(characterPattern('+'));
  forms.push(htmlPattern(codePoint, HTML_NAMED[character]));
  // Last: an escape must be taken whole, not as its first character followed by text.
  forms.push(escapeRegExp(character));
  return `(?:${forms.join('|')})`;
}

function base64Runs(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const runs: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const encoded = Buffer.from(shifted).toString('base64');
    // Groups holding a byte of the prefix or the end of the secret depend on its neighbours.
    const core = encoded.slice(offset === 0 ? 0 : 4, Math.floor(shifted.length / 3) * 4);
    const longest = core.split(/[+/]/).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest.length >= MIN_BASE64_RUN) runs.push(longest);
  }
  return runs;
}

/** `+`, `/` and `=` of either base64 alphabet as servers write them: escaped for JSON, HTML or a URL. */
const BASE64_ESCAPE = `(?:${BACKSLASH}u002[bBfF]|${PERCENT}2[bBfF]|${BACKSLASH}/|${htmlPattern(0x2b)}|${htmlPattern(0x2f)})`;
const BASE64_PADDING = `(?:=|${BACKSLASH}u003[dD]|${PERCENT}3[dD]|${htmlPattern(0x3d)})`;
const BASE64_ESCAPE_AT = new RegExp(`^(?:${BASE64_ESCAPE}|${BASE64_PADDING})`);
const BASE64_ESCAPE_BEFORE = new RegExp(`${BASE64_ESCAPE}$`);
/** Wide enough for any escape above, even escaped a few times over (`\u0026#x2B;`, `%25252B`). */
const ESCAPE_WINDOW = 32;

/** Letters, digits, `+ / - _` (both alphabets); `=` only ends a word (BASE64_PADDING). */
function isBase64Character(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 43 || code === 47 || code === 45 || code === 95;
}

/** Replaces each base64 word holding `run` (its escaped `+ /` and its padding included) by REDACTED. */
function redactBase64(text: string, run: string): string {
  let result = text;
  for (let at = result.indexOf(run); at >= 0; at = result.indexOf(run, at)) {
    let start = at;
    for (;;) {
      if (start > 0 && isBase64Character(result.charCodeAt(start - 1))) start--;
      else {
        const escape = BASE64_ESCAPE_BEFORE.exec(result.slice(Math.max(0, start - ESCAPE_WINDOW), start));
        if (!escape) break;
        start -= escape[0].length;
      }
    }
    let end = at + run.length;
    for (;;) {
      if (end < result.length && isBase64Character(result.charCodeAt(end))) end++;
      else {
        const escape = BASE64_ESCAPE_AT.exec(result.slice(end, end + ESCAPE_WINDOW));
        if (!escape) break;
        end += escape[0].length;
      }
    }
    result = result.slice(0, start) + REDACTED + result.slice(end);
    at = start + REDACTED.length;
  }
  return result;
}

/** Replaces every known secret (in every encoding above) and every credential-looking pattern. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = redactSecrets(text, secrets);
  if (!PATTERN_HINT.test(result)) return result;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * Replaces the known secrets only (in every encoding above), no patterns: for text that shows what
 * will be sent (a write's confirmation, a request description), which must differ from what is
 * sent only where one of the profile's own secrets is masked.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  const searches = searchesOf(secrets);
  for (const { anchor, pattern } of searches.secrets) {
    if (result.includes(anchor)) result = result.replace(pattern, REDACTED);
  }
  // Text shorter than a run (most event fields) holds no base64 of a secret.
  if (result.length >= MIN_BASE64_RUN) {
    for (const run of searches.base64) if (result.includes(run)) result = redactBase64(result, run);
  }
  return result;
}

/**
 * Redacts every string inside a plain JSON-like value (events, problem details, response bodies):
 * values and keys. A key holding a secret is renamed (`[REDACTED]`, `[REDACTED] (2)` … so that no
 * two keys merge); `__proto__` stays an own key.
 */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  return walk(value, secrets, new Map()) as T;
}

function walk(value: unknown, secrets: readonly (string | undefined)[], keys: Map<string, string>): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets, keys));
  if (value && typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return value;
    const source = value as Record<string, unknown>;
    // A loop, not fromEntries(entries(…)): every event of every call comes through here.
    const out: Record<string, unknown> = prototype === null ? (Object.create(null) as Record<string, unknown>) : {};
    for (const key of Object.keys(source)) {
      const item = walk(source[key], secrets, keys);
      // Keys repeat from record to record: each distinct key is redacted once per call.
      let name = keys.get(key);
      if (name === undefined) {
        name = redact(key, secrets);
        keys.set(key, name);
      }
      if (name !== key) name = unusedKey(name, source, out);
      if (name === '__proto__') Object.defineProperty(out, name, { value: item, enumerable: true, writable: true, configurable: true });
      else out[name] = item;
    }
    return out;
  }
  return value;
}

/** `name`, or `name (2)`, `name (3)` …: the first that is neither a key of `source` nor already in `out`. */
function unusedKey(name: string, source: object, out: object): string {
  let candidate = name;
  for (let n = 2; Object.hasOwn(source, candidate) || Object.hasOwn(out, candidate); n++) candidate = `${name} (${n})`;
  return candidate;
}
