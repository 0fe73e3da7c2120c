/**
 * Canary credentials for the secret-leak tests (node and extension host): every form a hostile
 * or careless server may echo them in, and a scanner that finds them back in any text. The
 * scanner shares nothing with `src/api/redact.ts`: it looks for the secrets' distinctive letter
 * runs (which every escaping keeps) and decodes every base64 word, so a form that redaction
 * forgot still shows up here.
 */

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
  [...text].map((c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? (/[A-Za-z0-9 ./-]/.test(c) ? c : `&#x${upperHex(c.codePointAt(0) ?? 0, 1)};`)).join('');
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
 * Which canary fragments `text` holds, plainly or inside base64, as `secret name: fragment`
 * (empty when none). Meant for assertion messages: it names what leaked, never the whole text.
 */
export function canaryLeaks(text: string): string[] {
  const decoded = base64Decodings(text);
  const found: string[] = [];
  for (const [name, secret] of Object.entries(CANARY)) {
    for (const fragment of fragments(secret)) {
      if (text.includes(fragment)) found.push(`${name}: ${fragment}`);
      else if (decoded.some((value) => value.includes(fragment))) found.push(`${name}: ${fragment} (base64)`);
    }
  }
  return found;
}
