/**
 * A pasted cURL command for the CRM v2 API → a request file. The command is split into words as a
 * POSIX shell would (quotes, backslashes, line continuations, `$'…'`; nothing is expanded), its
 * options read as curl reads them, its URL matched to one of the 86 operations, and its query and
 * body typed from that operation's schemas. Credentials never reach the request: headers and query
 * parameters whose name marks a credential (`isCredentialName`), cookies, `-u`, user-info in the
 * URL and shell variables set before `curl` are dropped and named in `dropped`; any of their values
 * found elsewhere is replaced. Every step is linear in the command (up to 1 MB), and outside names
 * are never looked up on plain objects. Plain Node: no vscode.
 */
import type * as z from 'zod';
import type { HttpMethod } from '../api/request';
import { REDACTED } from '../api/redact';
import { CRM_OPERATION_LIST, isCrmOperationId, type CrmOperation } from '../api/schemas/operations';
import { LiteralSet } from './literalSet';
import { nestsDeeperThan } from '../api/jsonDepth';
import { jsonProblem, MAX_REQUEST_FILE_DEPTH, type RequestFileRequest } from './requestFile';

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
const TOO_LONG = 'This is too long to be a cURL command (over 1 MB).';
/**
 * Bodies nesting deeper are refused: no CRM body comes close, and the walks over it recurse. The
 * body sits one level inside the request file it becomes, which may nest MAX_REQUEST_FILE_DEPTH.
 */
const MAX_BODY_DEPTH = MAX_REQUEST_FILE_DEPTH - 1;

/** Options whose argument is not needed for the request (timeouts, output, TLS files, …). */
const IGNORED_WITH_ARGUMENT = new Set([
  '-o',
  '--output',
  '-m',
  '--max-time',
  '--connect-timeout',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '-x',
  '--proxy',
  '-w',
  '--write-out',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '--cacert',
  '--capath',
  '-E',
  '--cert',
  '--cert-type',
  '--key',
  '--key-type',
  '--resolve',
  '--limit-rate',
  '--max-redirs',
  '-c',
  '--cookie-jar',
  '--interface',
  '--dns-servers',
  '--noproxy',
  '--expect100-timeout',
  '--keepalive-time',
  '-r',
  '--range',
  '-y',
  '--speed-time',
  '-Y',
  '--speed-limit',
  '--trace',
  '--trace-ascii',
  '--stderr',
  '-D',
  '--dump-header',
]);
/** Options without an argument that do not change the request. */
const IGNORED_FLAGS = new Set([
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-L',
  '--location',
  '--location-trusted',
  '-k',
  '--insecure',
  '-i',
  '--include',
  '-v',
  '--verbose',
  '--compressed',
  '-f',
  '--fail',
  '--fail-with-body',
  '-g',
  '--globoff',
  '--http1.0',
  '--http1.1',
  '--http2',
  '--http2-prior-knowledge',
  '--http3',
  '-N',
  '--no-buffer',
  '--no-progress-meter',
  '-#',
  '--progress-bar',
  '-4',
  '--ipv4',
  '-6',
  '--ipv6',
  '--tlsv1.2',
  '--tlsv1.3',
  '-q',
  '--disable',
  '--no-keepalive',
  '--tcp-nodelay',
  '--path-as-is',
  '--raw',
  '--styled-output',
  '--no-styled-output',
  '-Z',
  '--parallel',
  '--retry-connrefused',
  '--retry-all-errors',
  '--no-sessionid',
  '--no-alpn',
  '--no-npn',
  '--ssl-reqd',
  '--compressed-ssh',
]);
/** Options whose argument is a credential. (Maps: an option is outside text, never a prototype lookup.) */
const SECRET_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['-u', 'user name and password (-u)'],
  ['--user', 'user name and password (--user)'],
  ['-U', 'proxy credentials (-U)'],
  ['--proxy-user', 'proxy credentials (--proxy-user)'],
  ['--oauth2-bearer', 'bearer token (--oauth2-bearer)'],
  ['-b', 'cookies (-b)'],
  ['--cookie', 'cookies (--cookie)'],
  ['--aws-sigv4', 'AWS signature (--aws-sigv4)'],
]);
/** Options curl has that a CRM JSON request cannot be made of. */
const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['-I', 'asks for HEAD, which no CRM operation is'],
  ['--head', 'asks for HEAD, which no CRM operation is'],
  ['-F', 'sends a multipart form; CRM requests send JSON'],
  ['--form', 'sends a multipart form; CRM requests send JSON'],
  ['--form-string', 'sends a multipart form; CRM requests send JSON'],
  ['-T', 'uploads a file; paste the JSON body with --data-raw instead'],
  ['--upload-file', 'uploads a file; paste the JSON body with --data-raw instead'],
  ['-K', 'reads options from a config file, which cannot be seen here'],
  ['--config', 'reads options from a config file, which cannot be seen here'],
  ['-:', 'starts another request'],
  ['--next', 'starts another request'],
]);
const DATA_OPTIONS = new Set(['-d', '--data', '--data-ascii', '--data-binary', '--data-raw', '--data-urlencode', '--json']);
/** Short options that take an argument (the rest of the cluster, or the next word). */
const SHORT_WITH_ARGUMENT = new Set('XHdoumAexwbcErUFTKyYD'.split(''));
/**
 * Whether a header or query parameter name says it carries a credential. The name is lower-cased
 * and stripped of everything but letters and digits, because the same word is spelt `api-key`,
 * `api_key`, `X-Api-Key`, `apiKey`; then it is a credential when it contains a word only
 * credentials use (a list of exact names would miss `st-app-key`, `refresh_token`, `client-secret`
 * the next time someone invents one). `clientid` is in it because this extension keeps the client
 * ID with the secret and app key (a profile's credentials). Short words are matched whole only:
 * `key` alone is an API key, `externalDataKey` is a CRM filter. No query parameter of the 86
 * operations matches (a test checks it).
 */
export function isCredentialName(name: string): boolean {
  const word = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return CREDENTIAL_WORDS.test(word) || CREDENTIAL_NAMES.has(word);
}
const CREDENTIAL_WORDS =
  /token|secret|passw(?:or)?d|apikey|appkey|applicationkey|subscriptionkey|accesskey|privatekey|clientid|session|authorization|credential|signature|cookie|bearer/;
const CREDENTIAL_NAMES = new Set(['auth', 'key', 'pwd', 'pass', 'sig', 'sid']);
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
      const parts: string[] = [];
      for (;;) {
        // The run up to the next quote or backslash at once.
        let end = i;
        while (end < text.length && text.charCodeAt(end) !== 0x22 && text.charCodeAt(end) !== 0x5c) end++;
        parts.push(text.slice(i, end));
        i = end;
        if (i >= text.length) return { ok: false, message: `A double quote (") is not closed: it opens at character ${start + 1}.` };
        if (text.charAt(i) === '"') break;
        const next = text.charAt(i + 1);
        if (next === '\n') {
          i += 2;
        } else if (next === '"' || next === '\\' || next === '$' || next === '`') {
          parts.push(next);
          i += 2;
        } else {
          parts.push('\\');
          i++;
        }
      }
      add(parts.join(''));
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
      // A run of ordinary characters at once (not one string per character).
      const end = ordinaryRunEnd(text, i + 1);
      add(text.slice(i, end));
      i = end;
    }
  }
  if (word !== undefined) words.push(word);
  return { ok: true, words };
}

/** Characters `shellWords` treats specially outside quotes (`$` only before a quote, but it stops a run). */
const SHELL_SPECIAL = new Set([...' \t\n\r\\\'"$|;&<>()`'].map((c) => c.charCodeAt(0)));

/** Where the run of ordinary characters starting at or after `from` ends. */
function ordinaryRunEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && !SHELL_SPECIAL.has(text.charCodeAt(end))) end++;
  return end;
}

const ANSI_C_SIMPLE: ReadonlyMap<string, string> = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['a', '\x07'],
  ['b', '\b'],
  ['e', '\x1b'],
  ['E', '\x1b'],
  ['f', '\f'],
  ['v', '\v'],
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['?', '?'],
]);
// Sticky: each matches at `lastIndex` only, so an escape costs its own length, not the rest of the text.
const ANSI_C_DIGITS: ReadonlyMap<string, RegExp> = new Map([
  ['x', /[0-9a-fA-F]{1,2}/y],
  ['u', /[0-9a-fA-F]{1,4}/y],
  ['U', /[0-9a-fA-F]{1,8}/y],
]);
const ANSI_C_OCTAL = /[0-7]{1,3}/y;

/** The value of `$'…'` starting after the quote, and the offset after its closing quote. */
function ansiC(text: string, start: number): { value: string; end: number } | undefined {
  const out: string[] = [];
  let i = start;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "'") return { value: out.join(''), end: i + 1 };
    if (c !== '\\') {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x27 && text.charCodeAt(end) !== 0x5c) end++;
      out.push(text.slice(i, end));
      i = end;
      continue;
    }
    const e = text.charAt(i + 1);
    const mapped = ANSI_C_SIMPLE.get(e);
    if (mapped !== undefined) {
      out.push(mapped);
      i += 2;
      continue;
    }
    const digits = ANSI_C_DIGITS.get(e);
    const hex = digits ? stickyMatch(digits, text, i + 2) : undefined;
    if (hex !== undefined) {
      const code = parseInt(hex, 16);
      out.push(code <= 0x10ffff ? String.fromCodePoint(code) : '');
      i += 2 + hex.length;
      continue;
    }
    const octal = stickyMatch(ANSI_C_OCTAL, text, i + 1);
    if (octal !== undefined) {
      out.push(String.fromCharCode(parseInt(octal, 8) & 0xff));
      i += 1 + octal.length;
      continue;
    }
    // An unknown escape keeps its backslash, as bash does.
    out.push(`\\${e}`);
    i += 2;
  }
  return undefined;
}

/** What a sticky pattern matches at `at`, if anything. */
function stickyMatch(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
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
  if (command.length > MAX_COMMAND_LENGTH) return { ok: false, message: TOO_LONG };
  const split = shellWords(command);
  if (!split.ok) return split;
  const parsed = readOptions(split.words);
  if ('message' in parsed) return { ok: false, message: parsed.message };
  if (split.rest !== undefined) parsed.ignored.push(`everything from ${JSON.stringify(split.rest.trim().slice(0, 20))} on (another command)`);
  return toRequest(parsed);
}

/** The words of a command read front to back by an index (`shift()` would move all the rest each time). */
class WordCursor {
  private index = 0;
  constructor(private readonly words: readonly string[]) {}
  get done(): boolean {
    return this.index >= this.words.length;
  }
  peek(): string | undefined {
    return this.words[this.index];
  }
  next(): string | undefined {
    return this.done ? undefined : this.words[this.index++];
  }
}

/** Commands up to this many characters are imported as they are typed; longer ones once, on Enter. */
export const CHECK_WHILE_TYPING_LIMIT = 64 * 1024;

/**
 * What the input box says about the text so far: the import's problem for a short command (it
 * blocks Enter); for a long one only that it is checked on Enter (it does not). The import is
 * linear, but the box asks on every keystroke, and importing a megabyte on each would hold the
 * extension host that long every time; a long command is pasted, not typed, so one check on
 * Enter is enough.
 */
export function inputBoxProblem(text: string): { message: string; blocking: boolean } | undefined {
  if (text.trim() === '') return undefined;
  if (text.length > MAX_COMMAND_LENGTH) return { message: TOO_LONG, blocking: true };
  if (text.length > CHECK_WHILE_TYPING_LIMIT)
    return { message: `A long command (${Math.round(text.length / 1024)} KB): it is checked when you press Enter.`, blocking: false };
  const result = importCurl(text);
  return result.ok ? undefined : { message: result.message, blocking: true };
}

/** The message naming what an import left out (names, never values); undefined when nothing was. */
export function droppedMessage(dropped: readonly string[]): string | undefined {
  if (dropped.length === 0) return undefined;
  const named = dropped.slice(0, 6);
  const more = dropped.length - named.length;
  return `Imported without ${listWords(more > 0 ? [...named, `${more} more`] : named, 'and')}: credentials are never written into a request file.`;
}

function readOptions(all: readonly string[]): Parsed | { message: string } {
  const words = new WordCursor(all);
  const out: Parsed = { urls: [], headers: [], data: [], get: false, dropped: [], ignored: [], secrets: [] };
  // A copied prompt, and variables set for the command (`ST_TOKEN=… curl …`): the values are secrets.
  const first = words.peek();
  if (first === '$' || first === '%' || first === '>') words.next();
  for (let word = words.peek(); word !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word); word = words.peek()) {
    const assignment = words.next() ?? '';
    const [name, value] = [assignment.slice(0, assignment.indexOf('=')), assignment.slice(assignment.indexOf('=') + 1)];
    out.dropped.push(`the shell variable ${name}`);
    out.secrets.push(value);
  }
  const program = words.next();
  if (program === undefined) return { message: 'Paste a cURL command: curl followed by the URL and options.' };
  if (!/(^|[/\\])curl(\.exe)?$/i.test(program))
    return { message: `This is not a cURL command: it starts with ${JSON.stringify(program.slice(0, 40))}, not curl.` };

  let endOfOptions = false;
  while (!words.done) {
    const word = words.next() ?? '';
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

/** Records credential values to scrub, one by one: a pasted value may split into more parts than a call takes arguments. */
function addSecrets(out: Parsed, ...lists: readonly (readonly string[])[]): void {
  for (const list of lists) for (const secret of list) out.secrets.push(secret);
}

/** Applies one option (taking its argument from `attached` or the next word); a string is what is wrong. */
function readOption(option: string, attached: string | undefined, words: WordCursor, out: Parsed): string | undefined {
  const argument = (): string | undefined => attached ?? words.next();
  const needs = (value: string | undefined): value is string => value !== undefined;
  if (IGNORED_FLAGS.has(option)) return undefined;
  if (IGNORED_WITH_ARGUMENT.has(option)) {
    if (!needs(argument())) return `${option} needs a value.`;
    out.ignored.push(option);
    return undefined;
  }
  const secret = SECRET_OPTIONS.get(option);
  if (secret !== undefined) {
    const value = argument();
    if (!needs(value)) return `${option} needs a value.`;
    out.dropped.push(secret);
    if (!VARIABLE.test(value)) addSecrets(out, [value], value.split(/[:=;]/));
    return undefined;
  }
  const unsupported = UNSUPPORTED.get(option);
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
    if (option !== '--data-raw' && value.startsWith('@'))
      return `${option} ${value} reads the body from ${value === '@-' ? 'standard input' : 'a file'}; paste the JSON itself instead, with --data-raw '…'.`;
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
  if (line.trim() === '') return;
  if (!HEADER_NAME.test(name)) {
    // Not `Name: value` (`-H 'Bearer eyJ…'`): the words after the first may be a credential, so the line is not named.
    out.dropped.push('a header line without a "Name:"');
    addSecrets(out, line.trim().split(/\s+/).slice(1));
    return;
  }
  if (isCredentialName(name)) {
    out.dropped.push(`the ${name} header`);
    if (value !== '' && !VARIABLE.test(value)) addSecrets(out, [value], value.split(/\s+/).slice(1));
    return;
  }
  out.headers.push([name.toLowerCase(), value]);
  if (!/^(accept|content-type)$/i.test(name)) out.ignored.push(`the ${name} header`);
}

/** A header name as HTTP spells it (a token), short enough to name in a message. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/** A query parameter's name for a message: any text, so shortened, on one line. */
function queryName(name: string): string {
  const line = name.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

// ---- URL and operation ---------------------------------------------------------------------------

interface Candidate {
  op: CrmOperation;
  path: Record<string, string>;
  /** Per segment, whether it matched a literal: literals beat `{param}` from the left. */
  literals: boolean[];
}

function toRequest(parsed: Parsed): CurlImportResult {
  if (parsed.urls.length === 0)
    return { ok: false, message: 'The command has no URL. Copy it again with the URL, like curl https://api.servicetitan.io/crm/v2/tenant/123/customers.' };
  if (parsed.urls.length > 1) return { ok: false, message: `The command has ${parsed.urls.length} URLs; import one request at a time.` };
  const rawUrl = parsed.urls[0] ?? '';
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(rawUrl) ? rawUrl : `https://${rawUrl}`);
  } catch {
    return { ok: false, message: `${JSON.stringify(rawUrl.slice(0, 80))} is not a URL.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, message: `The URL must start with https:// (it starts with ${url.protocol}//).` };
  if (url.username || url.password) {
    parsed.dropped.push('the user name and password in the URL');
    parsed.secrets.push(decode(url.username) ?? url.username, decode(url.password) ?? url.password);
    url.username = '';
    url.password = '';
  }

  const match = /^(.*?)\/crm\/v2\/tenant\/([^/]*)(\/.*)?$/.exec(url.pathname);
  if (!match) {
    const other = /\/([a-z-]+)\/v(\d+)\/tenant\//i.exec(url.pathname);
    if (other)
      return {
        ok: false,
        message: `This URL is for ServiceTitan's ${other[1]} v${other[2]} API; only CRM v2 requests (…/crm/v2/tenant/{tenant}/…) can be imported.`,
      };
    return { ok: false, message: `This is not a CRM v2 URL: the path should look like …/crm/v2/tenant/{tenant}/customers, but it is ${url.pathname}.` };
  }
  const tenant = decode(match[2] ?? '');
  if (!tenant) return { ok: false, message: 'The URL has no tenant: …/crm/v2/tenant/{tenant}/….' };
  const below = match[3] ?? '';
  if (below === '' || below === '/')
    return { ok: false, message: 'The URL ends at the tenant: it should name a resource, like …/crm/v2/tenant/{tenant}/customers.' };

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

  // Query names are outside text: a Map, then own properties, so `__proto__` or `constructor` is a
  // key like any other (unknown names are kept for the request file's checks to point at).
  const values = new Map<string, string[]>();
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeForm(eq < 0 ? part : part.slice(0, eq));
    const value = decodeForm(eq < 0 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) return { ok: false, message: `The URL's query has a broken %-escape: ${part.slice(0, 80)}.` };
    if (isCredentialName(name)) {
      parsed.dropped.push(`the ${queryName(name)} query parameter`);
      if (!VARIABLE.test(value)) parsed.secrets.push(value);
      continue;
    }
    if (name === '') continue;
    const list = values.get(name);
    if (list === undefined) {
      values.set(name, [value]);
      continue;
    }
    if (list.length === 1) parsed.ignored.push(`a second ${queryName(name)} in the query (the values were joined with commas)`);
    list.push(value);
  }
  const shape = op.query.shape as Readonly<Record<string, z.ZodType | undefined>>;
  const query = Object.fromEntries([...values].map(([name, list]) => [name, typed(Object.hasOwn(shape, name) ? shape[name] : undefined, list.join(','))]));

  const request: RequestFileRequest = { operation: best.op.operationId, path, query };
  if (body !== undefined && body.trim() !== '') {
    const contentType = parsed.headers.find(([name]) => name === 'content-type')?.[1];
    const problem = jsonProblem(body);
    if (problem !== undefined) {
      const hint = contentType && !/json/i.test(contentType) ? ` (its Content-Type is ${contentType})` : '';
      return { ok: false, message: `The request body is not JSON${hint}. ${problem}` };
    }
    request.body = JSON.parse(body) as unknown;
    if (nestsDeeperThan(request.body, MAX_BODY_DEPTH))
      return { ok: false, message: `The request body nests deeper than ${MAX_BODY_DEPTH} levels; no CRM request body does.` };
  }
  const scrubbed = scrub(request, parsed);
  return {
    ok: true,
    request: scrubbed,
    dropped: unique(parsed.dropped),
    ignored: unique(parsed.ignored),
    method: op.method,
    tenant,
    baseUrl: `${url.origin}${match[1] ?? ''}`,
  };
}

/** Each entry once, in the order of its first appearance (a pasted command may repeat a header many times). */
function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
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

/**
 * Replaces every secret value the command held wherever it still appears (path, query, body, keys
 * included, and the names in `dropped` and `ignored`). One pass over each string finds all the
 * secrets at once (`LiteralSet`), so a command with many credentials and a big body costs their
 * sum, not their product.
 */
function scrub(request: RequestFileRequest, parsed: Parsed): RequestFileRequest {
  const secrets = new LiteralSet(parsed.secrets.map((s) => s.trim()).filter((s) => s.length >= 4));
  if (secrets.empty) return request;
  let found = false;
  const clean = (text: string): string => {
    const result = secrets.replaceIn(text, REDACTED);
    found ||= result.replaced;
    return result.text;
  };
  // Recursion is bounded: the body's depth was checked (MAX_BODY_DEPTH).
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return clean(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), walk(v)]));
    return value;
  };
  const out: RequestFileRequest = {
    operation: request.operation,
    path: walk(request.path) as Record<string, unknown>,
    query: walk(request.query) as Record<string, unknown>,
  };
  if (request.body !== undefined) out.body = walk(request.body);
  const inRequest = found;
  for (const list of [parsed.dropped, parsed.ignored]) list.forEach((label, i) => (list[i] = secrets.replaceIn(label, REDACTED).text));
  if (inRequest) parsed.dropped.push(`a credential that also appeared in the path, query or body (replaced with ${REDACTED})`);
  return out;
}

function listWords(words: readonly string[], conjunction = 'or'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1] ?? ''}`;
}
