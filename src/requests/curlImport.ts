/**
 * A pasted cURL command for the CRM v2 API → a request file. The command is split into words as a
 * POSIX shell would (quotes, backslashes, line continuations, `$'…'`; nothing is expanded), its
 * options read as curl reads them, its URL matched to one of the 86 operations, and its query and
 * body typed from that operation's schemas. Credentials never reach the request: auth headers, the
 * app key, cookies, `-u`, user-info in the URL and `servicetitanapplicationkey` are dropped and
 * named in `dropped`; any secret value found elsewhere is replaced. Plain Node: no vscode.
 */
import type * as z from 'zod';
import type { HttpMethod } from '../api/request';
import { REDACTED } from '../api/redact';
import { CRM_OPERATION_LIST, isCrmOperationId, type CrmOperation } from '../api/schemas/operations';
import { jsonProblem, type RequestFileRequest } from './requestFile';

export interface ImportedCurl {
  ok: true;
  request: RequestFileRequest;
  /** What was left out because it is (or carries) a credential: `Authorization header`, … Never the values. */
  dropped: string[];
  /** Other parts of the command a request file has no place for (headers, options), for the log. */
  ignored: string[];
  method: HttpMethod;
  /** The tenant of the URL (request files take it from the profile). */
  tenant: string;
  /** Origin and path prefix before `/crm/v2/tenant/…`. */
  baseUrl: string;
}

export type CurlImportResult = ImportedCurl | { ok: false; message: string };

/** Commands longer than this are not a pasted request. */
const MAX_COMMAND_LENGTH = 1_000_000;

/** Options whose argument is not needed for the request (timeouts, output, TLS files, …). */
const IGNORED_WITH_ARGUMENT = new Set([
  '-o', '--output', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-e', '--referer', '-x', '--proxy', '-w', '--write-out',
  '--retry', '--retry-delay', '--retry-max-time', '--cacert', '--capath', '-E', '--cert', '--cert-type', '--key', '--key-type', '--resolve',
  '--limit-rate', '--max-redirs', '-c', '--cookie-jar', '--interface', '--dns-servers', '--noproxy', '--expect100-timeout', '--keepalive-time',
  '-r', '--range', '-y', '--speed-time', '-Y', '--speed-limit', '--trace', '--trace-ascii', '--stderr', '-D', '--dump-header',
]);
/** Options without an argument that do not change the request. */
const IGNORED_FLAGS = new Set([
  '-s', '--silent', '-S', '--show-error', '-L', '--location', '--location-trusted', '-k', '--insecure', '-i', '--include', '-v', '--verbose',
  '--compressed', '-f', '--fail', '--fail-with-body', '-g', '--globoff', '--http1.0', '--http1.1', '--http2', '--http2-prior-knowledge', '--http3',
  '-N', '--no-buffer', '--no-progress-meter', '-#', '--progress-bar', '-4', '--ipv4', '-6', '--ipv6', '--tlsv1.2', '--tlsv1.3', '-q', '--disable',
  '--no-keepalive', '--tcp-nodelay', '--path-as-is', '--raw', '--styled-output', '--no-styled-output', '-Z', '--parallel', '--retry-connrefused',
  '--retry-all-errors', '--no-sessionid', '--no-alpn', '--no-npn', '--ssl-reqd', '--compressed-ssh',
]);
/** Options whose argument is a credential. */
const SECRET_OPTIONS: Readonly<Record<string, string>> = {
  '-u': 'user name and password (-u)', '--user': 'user name and password (--user)', '-U': 'proxy credentials (-U)', '--proxy-user': 'proxy credentials (--proxy-user)',
  '--oauth2-bearer': 'bearer token (--oauth2-bearer)', '-b': 'cookies (-b)', '--cookie': 'cookies (--cookie)', '--aws-sigv4': 'AWS signature (--aws-sigv4)',
};
/** Options curl has that a CRM JSON request cannot be made of. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  '-I': 'asks for HEAD, which no CRM operation is', '--head': 'asks for HEAD, which no CRM operation is',
  '-F': 'sends a multipart form; CRM requests send JSON', '--form': 'sends a multipart form; CRM requests send JSON',
  '--form-string': 'sends a multipart form; CRM requests send JSON',
  '-T': 'uploads a file; paste the JSON body with --data-raw instead', '--upload-file': 'uploads a file; paste the JSON body with --data-raw instead',
  '-K': 'reads options from a config file, which cannot be seen here', '--config': 'reads options from a config file, which cannot be seen here',
  '-:': 'starts another request', '--next': 'starts another request',
};
const DATA_OPTIONS = new Set(['-d', '--data', '--data-ascii', '--data-binary', '--data-raw', '--data-urlencode', '--json']);
/** Short options that take an argument (the rest of the cluster, or the next word). */
const SHORT_WITH_ARGUMENT = new Set('XHdoumAexwbcErUFTKyYD'.split(''));
/** Headers that carry credentials. */
const SECRET_HEADER = /^(authorization|proxy-authorization|st-app-key|cookie|x-api-key|api-key|ocp-apim-subscription-key)$|token|secret|password|session|apikey|api-key|app-key|appkey/i;
/** Query parameters that carry credentials. */
const SECRET_QUERY = /^(servicetitanapplicationkey|access_token|client_secret|client_id|app_key|appkey|api_key|apikey|subscription-key|token)$/i;
/** A shell variable in place of a value: `$ST_TOKEN`, `${ST_APP_KEY}`, `Bearer $TOKEN`. */
const VARIABLE = /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/;

// ---- shell words ---------------------------------------------------------------------------------

export type ShellWords = { ok: true; words: string[]; rest?: string } | { ok: false; message: string };

/**
 * Splits a command into words as a POSIX shell does, without expanding anything: `'…'` is literal,
 * `"…"` takes `\"`, `\\`, `\$` and `` \` ``, `$'…'` takes C escapes, a backslash outside quotes
 * quotes the next character and a backslash-newline joins lines. An unquoted `|`, `;`, `&`, `<`,
 * `>` ends the command (`rest` is what followed); `#` at the start of a word begins a comment.
 */
export function shellWords(command: string): ShellWords {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const text = command;
  const add = (s: string): void => {
    word = (word ?? '') + s;
  };
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === '\\') {
      const next = text.charAt(i + 1);
      if (next === '\n') i += 2;
      else if (next === '\r' && text.charAt(i + 2) === '\n') i += 3;
      else if (i + 1 >= text.length) i++;
      else {
        add(next);
        i += 2;
      }
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: `A single quote (') is not closed: it opens at character ${i + 1}.` };
      add(text.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      const start = i;
      i++;
      let s = '';
      for (;;) {
        if (i >= text.length) return { ok: false, message: `A double quote (") is not closed: it opens at character ${start + 1}.` };
        const d = text.charAt(i);
        if (d === '"') break;
        if (d === '\\') {
          const next = text.charAt(i + 1);
          if (next === '\n') {
            i += 2;
            continue;
          }
          if (next === '"' || next === '\\' || next === '$' || next === '`') {
            s += next;
            i += 2;
            continue;
          }
        }
        s += d;
        i++;
      }
      add(s);
      i++;
    } else if (c === '$' && text.charAt(i + 1) === "'") {
      const decoded = ansiC(text, i + 2);
      if (!decoded) return { ok: false, message: `A $'…' string is not closed: it opens at character ${i + 1}.` };
      add(decoded.value);
      i = decoded.end;
    } else if (c === '$' && text.charAt(i + 1) === '"') {
      // `$"…"` (locale translation) is a double-quoted string.
      i++;
    } else if (word === undefined && c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '|' || c === ';' || c === '&' || c === '<' || c === '>' || c === '(' || c === ')' || c === '`') {
      // `curl https://…?a=1&b=2` unquoted: a shell would run the command in the background at `&`.
      if (c === '&' && word !== undefined && /[?=]/.test(word) && /^[^\s&]/.test(text.charAt(i + 1))) {
        return { ok: false, message: 'The URL has an unquoted &, where a shell would cut the command: put the URL in single quotes.' };
      }
      if (word !== undefined) words.push(word);
      return { ok: true, words, rest: text.slice(i) };
    } else {
      add(c);
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return { ok: true, words };
}

/** The value of `$'…'` starting after the quote, and the offset after its closing quote. */
function ansiC(text: string, start: number): { value: string; end: number } | undefined {
  const simple: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  let out = '';
  let i = start;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "'") return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = text.charAt(i + 1);
    const mapped = simple[e];
    if (mapped !== undefined) {
      out += mapped;
      i += 2;
      continue;
    }
    const hex = e === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2)) : e === 'u' ? /^[0-9a-fA-F]{1,4}/.exec(text.slice(i + 2)) : e === 'U' ? /^[0-9a-fA-F]{1,8}/.exec(text.slice(i + 2)) : null;
    if (hex) {
      const code = parseInt(hex[0], 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      i += 2 + hex[0].length;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      i += 1 + octal[0].length;
      continue;
    }
    // An unknown escape keeps its backslash, as bash does.
    out += `\\${e}`;
    i += 2;
  }
  return undefined;
}

// ---- the command ---------------------------------------------------------------------------------

interface Parsed {
  method?: string;
  urls: string[];
  headers: [string, string][];
  data: string[];
  get: boolean;
  dropped: string[];
  ignored: string[];
  secrets: string[];
}

/** Turns a cURL command for a CRM v2 URL into a request file's request, or says what is wrong. */
export function importCurl(command: string): CurlImportResult {
  if (command.length > MAX_COMMAND_LENGTH) return { ok: false, message: 'This is too long to be a cURL command (over 1 MB).' };
  const split = shellWords(command);
  if (!split.ok) return split;
  const parsed = readOptions(split.words);
  if ('message' in parsed) return { ok: false, message: parsed.message };
  if (split.rest !== undefined) parsed.ignored.push(`everything from ${JSON.stringify(split.rest.trim().slice(0, 20))} on (another command)`);
  return toRequest(parsed);
}

function readOptions(all: string[]): Parsed | { message: string } {
  const words = [...all];
  const out: Parsed = { urls: [], headers: [], data: [], get: false, dropped: [], ignored: [], secrets: [] };
  // A copied prompt, and variables set for the command (`ST_TOKEN=… curl …`): the values are secrets.
  if (words[0] === '$' || words[0] === '%' || words[0] === '>') words.shift();
  while (words[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const assignment = words.shift() ?? '';
    const [name, value] = [assignment.slice(0, assignment.indexOf('=')), assignment.slice(assignment.indexOf('=') + 1)];
    out.dropped.push(`the shell variable ${name}`);
    out.secrets.push(value);
  }
  const program = words.shift();
  if (program === undefined) return { message: 'Paste a cURL command: curl followed by the URL and options.' };
  if (!/(^|[/\\])curl(\.exe)?$/i.test(program)) return { message: `This is not a cURL command: it starts with ${JSON.stringify(program.slice(0, 40))}, not curl.` };

  let endOfOptions = false;
  while (words.length > 0) {
    const word = words.shift() ?? '';
    if (endOfOptions || !word.startsWith('-') || word === '-') {
      out.urls.push(word);
      continue;
    }
    if (word === '--') {
      endOfOptions = true;
      continue;
    }
    // `-sSL`, `-XPOST`, `-H'Accept: …'`: a cluster of short options.
    const options: [string, string | undefined][] = [];
    if (!word.startsWith('--') && word.length > 2) {
      for (let i = 1; i < word.length; i++) {
        const flag = `-${word.charAt(i)}`;
        if (SHORT_WITH_ARGUMENT.has(word.charAt(i))) {
          options.push([flag, i + 1 < word.length ? word.slice(i + 1) : undefined]);
          break;
        }
        options.push([flag, undefined]);
      }
    } else {
      options.push([word, undefined]);
    }
    for (const [option, attached] of options) {
      const problem = readOption(option, attached, words, out);
      if (problem) return { message: problem };
    }
  }
  return out;
}

/** Applies one option (taking its argument from `attached` or the next word); a string is what is wrong. */
function readOption(option: string, attached: string | undefined, words: string[], out: Parsed): string | undefined {
  const argument = (): string | undefined => attached ?? words.shift();
  const needs = (value: string | undefined): value is string => value !== undefined;
  if (IGNORED_FLAGS.has(option)) return undefined;
  if (IGNORED_WITH_ARGUMENT.has(option)) {
    if (!needs(argument())) return `${option} needs a value.`;
    out.ignored.push(option);
    return undefined;
  }
  const secret = SECRET_OPTIONS[option];
  if (secret !== undefined) {
    const value = argument();
    if (!needs(value)) return `${option} needs a value.`;
    out.dropped.push(secret);
    if (!VARIABLE.test(value)) out.secrets.push(value, ...value.split(/[:=;]/));
    return undefined;
  }
  const unsupported = UNSUPPORTED[option];
  if (unsupported !== undefined) return `${option} ${unsupported}.`;
  switch (option) {
    case '-X':
    case '--request': {
      const value = argument();
      if (!needs(value)) return `${option} needs a method, like -X POST.`;
      out.method = value.toUpperCase();
      return undefined;
    }
    case '-H':
    case '--header': {
      const value = argument();
      if (!needs(value)) return `${option} needs a header, like -H 'Accept: application/json'.`;
      header(value, out);
      return undefined;
    }
    case '--url': {
      const value = argument();
      if (!needs(value)) return '--url needs the URL.';
      out.urls.push(value);
      return undefined;
    }
    case '-G':
    case '--get':
      out.get = true;
      return undefined;
    default:
      break;
  }
  if (DATA_OPTIONS.has(option)) {
    const value = argument();
    if (!needs(value)) return `${option} needs the data, like ${option} '{"name": "…"}'.`;
    if (option === '--data-urlencode') {
      out.data.push(urlencodeData(value));
      return undefined;
    }
    if (option !== '--data-raw' && value.startsWith('@')) return `${option} ${value} reads the body from ${value === '@-' ? 'standard input' : 'a file'}; paste the JSON itself instead, with --data-raw '…'.`;
    out.data.push(value);
    if (option === '--json') out.headers.push(['content-type', 'application/json']);
    return undefined;
  }
  return `Unknown curl option ${option}: remove it, or use the cURL command "Copy as cURL" gives.`;
}

/** `--data-urlencode`'s forms: `content`, `=content`, `name=content` (`@file` forms cannot be read). */
function urlencodeData(value: string): string {
  const eq = value.indexOf('=');
  if (eq < 0) return encodeURIComponent(value);
  const name = value.slice(0, eq);
  return `${name}${name ? '=' : ''}${encodeURIComponent(value.slice(eq + 1))}`;
}

function header(line: string, out: Parsed): void {
  const colon = line.indexOf(':');
  const semicolon = line.indexOf(';');
  const end = colon < 0 ? semicolon : colon;
  const name = (end < 0 ? line : line.slice(0, end)).trim();
  const value = end < 0 ? '' : line.slice(end + 1).trim();
  if (SECRET_HEADER.test(name)) {
    out.dropped.push(`the ${name} header`);
    if (value !== '' && !VARIABLE.test(value)) out.secrets.push(value, ...value.split(/\s+/).slice(1));
    return;
  }
  out.headers.push([name.toLowerCase(), value]);
  if (!/^(accept|content-type)$/i.test(name)) out.ignored.push(`the ${name} header`);
}

// ---- URL and operation ---------------------------------------------------------------------------

interface Candidate {
  op: CrmOperation;
  path: Record<string, string>;
  /** Per segment, whether it matched a literal: literals beat `{param}` from the left. */
  literals: boolean[];
}

function toRequest(parsed: Parsed): CurlImportResult {
  if (parsed.urls.length === 0) return { ok: false, message: 'The command has no URL. Copy it again with the URL, like curl https://api.servicetitan.io/crm/v2/tenant/123/customers.' };
  if (parsed.urls.length > 1) return { ok: false, message: `The command has ${parsed.urls.length} URLs; import one request at a time.` };
  const rawUrl = parsed.urls[0] ?? '';
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(rawUrl) ? rawUrl : `https://${rawUrl}`);
  } catch {
    return { ok: false, message: `${JSON.stringify(rawUrl.slice(0, 80))} is not a URL.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: `The URL must start with https:// (it starts with ${url.protocol}//).` };
  if (url.username || url.password) {
    parsed.dropped.push('the user name and password in the URL');
    parsed.secrets.push(decode(url.username) ?? url.username, decode(url.password) ?? url.password);
    url.username = '';
    url.password = '';
  }

  const match = /^(.*?)\/crm\/v2\/tenant\/([^/]*)(\/.*)?$/.exec(url.pathname);
  if (!match) {
    const other = /\/([a-z-]+)\/v(\d+)\/tenant\//i.exec(url.pathname);
    if (other) return { ok: false, message: `This URL is for ServiceTitan's ${other[1]} v${other[2]} API; only CRM v2 requests (…/crm/v2/tenant/{tenant}/…) can be imported.` };
    return { ok: false, message: `This is not a CRM v2 URL: the path should look like …/crm/v2/tenant/{tenant}/customers, but it is ${url.pathname}.` };
  }
  const tenant = decode(match[2] ?? '');
  if (!tenant) return { ok: false, message: 'The URL has no tenant: …/crm/v2/tenant/{tenant}/….' };
  const below = match[3] ?? '';
  if (below === '' || below === '/') return { ok: false, message: 'The URL ends at the tenant: it should name a resource, like …/crm/v2/tenant/{tenant}/customers.' };

  // The query: the URL's, then with -G the data.
  let search = url.search.replace(/^\?/, '');
  let body: string | undefined;
  const data = parsed.data.join('&');
  if (parsed.get) {
    if (data !== '') search = search ? `${search}&${data}` : data;
  } else if (parsed.data.length > 0) {
    body = data;
  }
  const method = (parsed.method ?? (parsed.get ? 'GET' : parsed.data.length > 0 ? 'POST' : 'GET')).toUpperCase();

  const segments = below.replace(/^\//, '').replace(/\/$/, '').split('/');
  const candidates: Candidate[] = [];
  for (const op of CRM_OPERATION_LIST) {
    const candidate = matchPath(op, segments);
    if (candidate === 'bad-encoding') return { ok: false, message: `The URL's path has a broken %-escape: ${below}.` };
    if (candidate) candidates.push(candidate);
  }
  const display = `${method} /${segments.join('/')}`;
  if (candidates.length === 0) return { ok: false, message: `No CRM v2 operation has the path /${segments.join('/')} (from ${display}).` };
  const sameMethod = candidates.filter((c) => c.op.method === method);
  if (sameMethod.length === 0) {
    const routes = [...new Set(candidates.map((c) => c.op.path))];
    const methods = [...new Set(candidates.map((c) => c.op.method))];
    return { ok: false, message: `${display} is not a CRM v2 operation: ${routes.join(', ')} takes ${listWords(methods)}.` };
  }
  sameMethod.sort((a, b) => compareLiterals(b.literals, a.literals));
  const best = sameMethod[0];
  if (!best || !isCrmOperationId(best.op.operationId)) return { ok: false, message: `No CRM v2 operation matches ${display}.` };
  const op = best.op;

  const path: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(best.path)) path[name] = typed(op.pathParams[name], value);

  const query: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeForm(eq < 0 ? part : part.slice(0, eq));
    const value = decodeForm(eq < 0 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) return { ok: false, message: `The URL's query has a broken %-escape: ${part.slice(0, 80)}.` };
    if (SECRET_QUERY.test(name)) {
      parsed.dropped.push(`the ${name} query parameter`);
      if (!VARIABLE.test(value)) parsed.secrets.push(value);
      continue;
    }
    if (name === '') continue;
    if (seen.has(name)) {
      parsed.ignored.push(`a second ${name} in the query (the values were joined with commas)`);
      query[name] = `${String(query[name])},${value}`;
      continue;
    }
    seen.add(name);
    query[name] = value;
  }
  const shape = op.query.shape as Readonly<Record<string, z.ZodType | undefined>>;
  for (const [name, value] of Object.entries(query)) query[name] = typed(shape[name], String(value));

  const request: RequestFileRequest = { operation: best.op.operationId, path, query };
  if (body !== undefined && body.trim() !== '') {
    const contentType = parsed.headers.find(([name]) => name === 'content-type')?.[1];
    const problem = jsonProblem(body);
    if (problem !== undefined) {
      const hint = contentType && !/json/i.test(contentType) ? ` (its Content-Type is ${contentType})` : '';
      return { ok: false, message: `The request body is not JSON${hint}. ${problem}` };
    }
    request.body = JSON.parse(body) as unknown;
  }
  return { ok: true, request: scrub(request, parsed), dropped: parsed.dropped, ignored: parsed.ignored, method: op.method, tenant, baseUrl: `${url.origin}${match[1] ?? ''}` };
}

function matchPath(op: CrmOperation, segments: readonly string[]): Candidate | 'bad-encoding' | undefined {
  const template = op.path.replace(/^\//, '').split('/');
  if (template.length !== segments.length) return undefined;
  const path: Record<string, string> = {};
  const literals: boolean[] = [];
  for (let i = 0; i < template.length; i++) {
    const part = template[i] ?? '';
    const raw = segments[i] ?? '';
    const value = decode(raw);
    if (value === undefined) return 'bad-encoding';
    const param = /^\{(.+)\}$/.exec(part);
    if (param?.[1] !== undefined) {
      if (value === '') return undefined;
      path[param[1]] = value;
      literals.push(false);
    } else if (part.toLowerCase() === value.toLowerCase()) {
      literals.push(true);
    } else {
      return undefined;
    }
  }
  return { op, path, literals };
}

function compareLiterals(a: readonly boolean[], b: readonly boolean[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] ? 1 : -1;
  }
  return 0;
}

/**
 * A path or query value typed by the operation's schema for it: a number where the schema takes a
 * number, true/false where it takes a boolean, else the text (comma lists stay strings). A value
 * no reading fits stays text, for the request file's checks to point at.
 */
function typed(schema: { safeParse(value: unknown): { success: boolean } } | undefined, text: string): unknown {
  if (!schema) return text;
  const candidates: unknown[] = [];
  if (/^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text.trim())) candidates.push(Number(text));
  if (/^(true|false)$/i.test(text)) candidates.push(text.toLowerCase() === 'true');
  candidates.push(text);
  return candidates.find((value) => schema.safeParse(value).success) ?? text;
}

/** Percent-decoding of a path segment; undefined for a broken escape. */
function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Query decoding as servers do it (`+` is a space). */
function decodeForm(text: string): string | undefined {
  return decode(text.replace(/\+/g, ' '));
}

/** Replaces every secret value the command held wherever it still appears (path, query, body, keys included). */
function scrub(request: RequestFileRequest, parsed: Parsed): RequestFileRequest {
  const secrets = [...new Set(parsed.secrets.map((s) => s.trim()).filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return request;
  let found = false;
  const clean = (text: string): string => {
    let out = text;
    for (const secret of secrets) {
      if (out.includes(secret)) {
        found = true;
        out = out.split(secret).join(REDACTED);
      }
    }
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return clean(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), walk(v)]));
    return value;
  };
  const out: RequestFileRequest = { operation: request.operation, path: walk(request.path) as Record<string, unknown>, query: walk(request.query) as Record<string, unknown> };
  if (request.body !== undefined) out.body = walk(request.body);
  if (found) parsed.dropped.push(`a credential that also appeared in the path, query or body (replaced with ${REDACTED})`);
  return out;
}

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;
}
