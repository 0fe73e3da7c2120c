/**
 * Canary credentials for the secret-leak tests (node and extension host): every form a hostile
 * or careless server may echo them in, and a scanner that finds them back in any text. The
 * scanner shares nothing with `src/api/redact.ts`: it looks for the secrets' distinctive letter
 * runs (which every escaping keeps) and decodes every base64 word, so a form that redaction
 * forgot still shows up here.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Each holds a character System.Text.Json escapes (`+ & < > '`), and the secret a space, `/` and non-ASCII. */
export const CANARY = {
  clientId: 'cnryIdent4Hq8+Wz7Jx&Rt5Lk<Vp3',
  clientSecret: "cnrySecret9Kd2+Lp6Xv&Tn3Fq<Bm8Yw>Zc5Ha'Gj2Ru/\u00e9Ds7Ne Pk4Wm",
  appKey: 'cnryAppKey7Ms3+Gh5Qc&Pz2Lt<Xr6',
  /** What the hostile token endpoint hands out: redaction learns it from the answer. */
  token: 'cnryToken5Tq9Wx.Xa7Lm2PwRk.Zr4Kd8Vn3Bq',
} as const;

export const CANARY_SECRETS: readonly string[] = [CANARY.clientId, CANARY.clientSecret, CANARY.appKey, CANARY.token];

const upperHex = (code: number, width: number): string => code.toString(16).toUpperCase().padStart(width, '0');

/** As System.Text.Json writes a string's content (JavaScriptEncoder.Default): `\u002B` for `+`, `\u0026` for `&` … */
export function dotnetEscaped(text: string, lowerHex = false): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '\\') out += '\\\\';
    else if (code < 0x20 || code > 0x7e || '"&\'+<>`'.includes(character)) {
      for (let i = 0; i < character.length; i++) out += `\\u${upperHex(character.charCodeAt(i), 4)}`;
    } else out += character;
  }
  return lowerHex ? out.replace(/\\u[0-9A-F]{4}/g, (escape) => escape.toLowerCase()) : out;
}

/** RFC 3986 strict (also `!'()*`), as .NET's Uri.EscapeDataString. */
const strictPercent = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${upperHex(c.charCodeAt(0), 2)}`);
const lowerPercent = (text: string): string => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const htmlEncoded = (text: string): string =>
  [...text]
    .map((c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? (/[A-Za-z0-9 ./-]/.test(c) ? c : `&#x${upperHex(c.codePointAt(0) ?? 0, 1)};`))
    .join('');
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** One secret in every form the canaries echo it in, by name. */
export function echoForms(secret: string): Record<string, string> {
  return {
    plain: secret,
    json: JSON.stringify(secret).slice(1, -1),
    dotnet: dotnetEscaped(secret),
    dotnetLowerHex: dotnetEscaped(secret, true),
    percent: encodeURIComponent(secret),
    percentLowerHex: lowerPercent(encodeURIComponent(secret)),
    percentStrict: strictPercent(secret),
    percentTwice: encodeURIComponent(encodeURIComponent(secret)),
    form: new URLSearchParams({ v: secret }).toString().slice(2),
    formLowerHex: lowerPercent(new URLSearchParams({ v: secret }).toString().slice(2)),
    html: htmlEncoded(secret),
    base64: base64(secret),
    base64url: base64url(secret),
  };
}

/** `clientId:clientSecret` as an HTTP Basic header carries it, and the bare base64 of it. */
export function basicForms(clientId: string, clientSecret: string): Record<string, string> {
  return {
    basicHeader: `Basic ${base64(`${clientId}:${clientSecret}`)}`,
    basicBase64: base64(`${clientId}:${clientSecret}`),
    basicBase64url: base64url(`${clientId}:${clientSecret}`),
    basicDotnet: dotnetEscaped(`Basic ${base64(`${clientId}:${clientSecret}`)}`),
  };
}

/** Every echo form of every canary, as `[label, text]`. */
export function everyCanaryForm(): [string, string][] {
  const forms: [string, string][] = [];
  for (const [name, secret] of Object.entries(CANARY)) for (const [form, text] of Object.entries(echoForms(secret))) forms.push([`${name}.${form}`, text]);
  for (const [form, text] of Object.entries(basicForms(CANARY.clientId, CANARY.clientSecret))) forms.push([form, text]);
  return forms;
}

/** The letter-and-digit runs of 5 or more of a secret: any escaping of it keeps them. */
function fragments(secret: string): string[] {
  return secret.match(/[A-Za-z0-9]{5,}/g) ?? [];
}

/** Every base64 word of `text` decoded at each of the four character offsets (a word may start mid-group). */
function base64Decodings(text: string): string[] {
  const decoded: string[] = [];
  for (const [word] of text.matchAll(/[A-Za-z0-9+/_-]{8,}/g)) {
    for (let offset = 0; offset < 4; offset++) decoded.push(Buffer.from(word.slice(offset), 'base64').toString('latin1'));
  }
  return decoded;
}

/**
 * Which canary fragments `text` holds, in any letter case or inside base64, as `secret name: fragment`
 * (empty when none). Meant for assertion messages: it names what leaked, never the whole text.
 */
export function canaryLeaks(text: string): string[] {
  const decoded = base64Decodings(text);
  // Lowercased too: header names arrive lowercased.
  const lowercase = text.toLowerCase();
  const found: string[] = [];
  for (const [name, secret] of Object.entries(CANARY)) {
    for (const fragment of fragments(secret)) {
      if (lowercase.includes(fragment.toLowerCase())) found.push(`${name}: ${fragment}`);
      else if (decoded.some((value) => value.includes(fragment))) found.push(`${name}: ${fragment} (base64)`);
    }
  }
  return found;
}

/** JSON as System.Text.Json writes it: `+ & < > ' \`` and non-ASCII as `\uXXXX` (only strings hold them). */
export function dotnetJson(value: unknown): string {
  return JSON.stringify(value).replace(/[+&<>'`\u007f-\uffff]/g, (c) => `\\u${upperHex(c.charCodeAt(0), 4)}`);
}

export interface HostileCrm {
  url: string;
  /** Requests it answered, as `METHOD /path?query`. */
  seen: string[];
  close(): Promise<void>;
}

/** Response headers that carry the canaries, in their names and values (every response has them). */
function echoHeaders(received: string): [string, string | string[]][] {
  return [
    ['x-trace-id', dotnetEscaped(CANARY.clientSecret)],
    [`x-ratelimit-remaining-${encodeURIComponent(CANARY.appKey)}`, '7'],
    ['x-ratelimit-echo', `${basicForms(CANARY.clientId, CANARY.clientSecret).basicHeader}; ${echoForms(CANARY.appKey).plain}`],
    ['x-echo', everyCanaryForm().map(([, text]) => text)],
    ['x-received', encodeURIComponent(received)],
  ];
}

/** A customer the tree can show, so record commands (Copy as cURL) have something to work on. */
const CANARY_CUSTOMER = {
  id: 7,
  // A record the server wrote a secret into: the tree, Copy as JSON and Open as JSON show its name.
  name: `Canary Customer ${CANARY.appKey}`,
  type: 'Residential',
  address: { street: '1 Main St', unit: null, city: 'Springfield', state: 'CA', zip: '90000', country: 'USA' },
  customFields: [],
  balance: 0,
  taxExempt: false,
  tagTypeIds: [],
  doNotMail: false,
  doNotService: false,
  nationalAccount: false,
  createdOn: '2024-01-01T00:00:00Z',
  createdById: 1,
  modifiedOn: '2024-01-01T00:00:00Z',
  active: true,
};

/**
 * A CRM that echoes the canaries back, in every form, with what it received (the Authorization
 * header, the app key, the URL), on every API call: the token endpoint hands out `CANARY.token`;
 * a write, or a customer search by name, gets a 400 problem whose `errors` keys are the secrets;
 * `/contacts` a 200 page whose record has secret keys and values; `/locations` a 200 that is not
 * valid JSON (.NET escapes); anything else a 502 HTML page. Every answer has the canaries in its
 * headers, names and values. Only the plain customer list (what the tree loads) is a clean page
 * with one customer, so that the tree has a record.
 */
export async function startHostileCrm(): Promise<HostileCrm> {
  const seen: string[] = [];
  const forms = everyCanaryForm();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      const method = req.method ?? 'GET';
      seen.push(`${method} ${path}`);
      if (path.startsWith('/connect/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: CANARY.token, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      const received = `${req.headers.authorization ?? ''} ${String(req.headers['st-app-key'] ?? '')} ${path}`;
      for (const [name, value] of echoHeaders(received)) res.setHeader(name, value);
      const everyForm = Object.fromEntries(forms.map(([label, text]) => [text, `${label}: ${text}`]));
      const customers = /\/customers(\?|$)/.test(path);
      if (method !== 'GET' || (customers && /[?&]name=/.test(path))) {
        res.writeHead(400, { 'content-type': 'application/problem+json; charset=utf-8' });
        res.end(
          dotnetJson({
            type: `https://errors.example/${encodeURIComponent(CANARY.clientSecret)}`,
            title: `One or more validation errors occurred for ${CANARY.clientSecret}.`,
            status: 400,
            detail: `Received ${received}`,
            traceId: CANARY.appKey,
            errors: Object.fromEntries(forms.map(([label, text]) => [text, [`${label} is not valid: ${text}`]])),
            [CANARY.clientId]: everyForm,
          }),
        );
      } else if (customers) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ page: 1, pageSize: 50, hasMore: false, totalCount: 1, data: [CANARY_CUSTOMER] }));
      } else if (/\/contacts(\?|$)/.test(path)) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          dotnetJson({ page: 1, pageSize: 50, hasMore: false, data: [{ id: CANARY.clientSecret, name: received, ...everyForm }], [CANARY.appKey]: everyForm }),
        );
      } else if (/\/locations(\?|$)/.test(path)) {
        // Cut off mid-record: not JSON, so the raw text (with its escapes) is all there is.
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(dotnetJson({ data: [{ name: received, echo: everyForm }] }).slice(0, -3));
      } else {
        res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<html><body><h1>Bad gateway for ${received}</h1><pre>${forms.map(([label, text]) => `${label}: ${text}`).join('\n')}</pre></body></html>`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
