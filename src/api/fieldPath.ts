/**
 * One notation for "which field": servers and schemas spell the same field many ways (ASP.NET
 * `Contacts[1].Value`, System.Text.Json `$.contacts[1].value`, RFC 9457 pointers `/contacts/1/value`,
 * zod's `['contacts', 1, 'value']`). All of them become segments, so errors in different array
 * rows stay apart and can be placed on the right spot of a JSON document.
 */

export type FieldLocation = 'body' | 'path' | 'query';
export type PathSegment = string | number;
export interface FieldPath {
  location: FieldLocation;
  segments: PathSegment[];
}
/** Names of an operation's path and query parameters, so `id` or `Page` can be told from a body field. */
export interface OperationParams {
  path?: readonly string[];
  query?: readonly string[];
}

// ASP.NET prefixes model-state keys with the action parameter's name when it binds a body model.
const BINDER_PREFIX = /^(?:request|model|body|dto|input)(?=[.[])/i;
// RFC 6901 array indexes have no leading zeros; `01` is a property name.
const INDEX = /^(?:0|[1-9]\d*)$/;

export function parseFieldPath(raw: string | readonly PropertyKey[], params?: OperationParams): FieldPath {
  if (typeof raw !== 'string') return withLocation(raw.map(keySegment), params);
  // System.Text.Json paths come from the body's deserializer, whatever the names look like.
  if (isJsonPath(raw)) return { location: 'body', segments: parseBracketed(raw.slice(1)) };
  return withLocation(parseString(raw), params);
}

/** `contactMethods[1].value`; names that are not identifiers are quoted (`['odd key']`). */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  segments.forEach((segment, index) => {
    if (typeof segment === 'number') out += `[${segment}]`;
    // A leading binder-like name is quoted so that parsing does not strip it again.
    else if (/^[A-Za-z_]\w*$/.test(segment) && !(index === 0 && segments.length > 1 && BINDER_PREFIX.test(`${segment}.`))) out += out ? `.${segment}` : segment;
    else out += `['${segment.replace(/[\\']/g, (c) => `\\${c}`)}']`;
  });
  return out;
}

/**
 * Property names compare case-insensitively (ASP.NET and System.Text.Json match them that way);
 * an index equals its decimal string, because a JSON Pointer cannot tell `/1` the key from `/1` the index.
 */
export function sameSegments(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && a.every((segment, i) => sameSegment(segment, b[i]));
}

function sameSegment(a: PathSegment, b: PathSegment | undefined): boolean {
  if (b === undefined) return false;
  if (typeof a === 'number' || typeof b === 'number') return String(a) === String(b);
  return a === b || a.toLowerCase() === b.toLowerCase();
}

function withLocation(segments: PathSegment[], params: OperationParams | undefined): FieldPath {
  const only = segments.length === 1 ? segments[0] : undefined;
  if (typeof only === 'string' && params) {
    const name = only.toLowerCase();
    if (params.path?.some((p) => p.toLowerCase() === name)) return { location: 'path', segments };
    if (params.query?.some((q) => q.toLowerCase() === name)) return { location: 'query', segments };
  }
  return { location: 'body', segments };
}

function keySegment(key: PropertyKey): PathSegment {
  if (typeof key === 'symbol') return key.description ?? key.toString();
  return key;
}

function isJsonPath(raw: string): boolean {
  return raw === '$' || raw.startsWith('$.') || raw.startsWith('$[');
}

function parseString(raw: string): PathSegment[] {
  if (raw === '') return [];
  if (raw.startsWith('/')) return parsePointer(raw);
  if (raw.startsWith('#')) {
    // URI fragment form of a pointer (`#/contacts/1`), percent-encoded.
    const fragment = percentDecode(raw.slice(1));
    return fragment.startsWith('/') ? parsePointer(fragment) : parseBracketed(fragment);
  }
  const binder = BINDER_PREFIX.exec(raw);
  if (binder) {
    const rest = raw.slice(binder[0].length).replace(/^\./, '');
    // `request.$.type`: some ASP.NET versions prefix System.Text.Json paths too.
    if (isJsonPath(rest)) return parseBracketed(rest.slice(1));
    const segments = parseBracketed(rest);
    if (segments.length > 0) return segments;
  }
  return parseBracketed(raw);
}

function parsePointer(pointer: string): PathSegment[] {
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
      return toIndex(name) ?? name;
    });
}

/** Dotted names with `[0]`, `['odd key']` or `["x"]` brackets; a leading dot is tolerated. */
function parseBracketed(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
    } else if (c === '[') {
      const quote = text[i + 1];
      if (quote === "'" || quote === '"') {
        const [name, end] = readQuoted(text, i + 2, quote);
        segments.push(name);
        i = text[end] === ']' ? end + 1 : end;
      } else {
        const close = text.indexOf(']', i);
        const inner = close < 0 ? text.slice(i + 1) : text.slice(i + 1, close);
        segments.push(toIndex(inner) ?? inner);
        i = close < 0 ? text.length : close + 1;
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
      segments.push(text.slice(i, end));
      i = end;
    }
  }
  return segments;
}

/** The unescaped text of a quoted name starting at `start`, and the offset after its closing quote. */
function readQuoted(text: string, start: number, quote: string): [string, number] {
  let out = '';
  let i = start;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    out += text[i];
    i++;
  }
  return [out, i + 1];
}

function toIndex(text: string): number | undefined {
  if (!INDEX.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
