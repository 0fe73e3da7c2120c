// cURL import: shell words as a POSIX shell splits them, curl's options, CRM v2 URLs matched to the
// 86 operations, values typed from their schemas, credentials dropped and never in the request,
// clear refusals of what is not a CRM request; and the round trip through the one cURL builder
// (toCurl of the transport's own describe) back to the same request, over all 86 templates.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { buildRequest } from '../../../src/api/client';
import { toCurl } from '../../../src/api/curl';
import { customEnvironment, PRODUCTION } from '../../../src/api/environments';
import { createTransport } from '../../../src/api/transport';
import { CRM_OPERATION_LIST, CRM_OPERATIONS, isCrmOperationId } from '../../../src/api/schemas/operations';
import { REDACTED } from '../../../src/api/redact';
import {
  droppedMessage,
  importCurl,
  inputBoxProblem,
  isCredentialName,
  shellWords,
  type CurlImportResult,
  type ImportedCurl,
} from '../../../src/requests/curlImport';
import { LiteralSet } from '../../../src/requests/literalSet';
import { checkRequestFile, parseRequestFile, requestFileText, type RequestFileRequest } from '../../../src/requests/requestFile';
import { parseTemplates, TEMPLATES_FILE } from '../../../src/requests/templates';
import { branchOf, sampleOf } from './samples';

const ROOT = path.resolve(__dirname, '../../../..');
const TEMPLATES = parseTemplates(fs.readFileSync(path.join(ROOT, TEMPLATES_FILE), 'utf8'));
const BASE = 'https://api.servicetitan.io/crm/v2/tenant/1234567';

const CREDENTIALS = { clientId: 'cid.test-client-0001', clientSecret: 'csecret-test-0001', appKey: 'ak1.test-app-key-0001' };
const transport = createTransport({ environment: PRODUCTION, tenant: '1234567', ...CREDENTIALS });
const prefixed = createTransport({
  environment: customEnvironment('http://127.0.0.1:8080/st/', 'http://127.0.0.1:8080/token'),
  tenant: 'sandbox',
  ...CREDENTIALS,
});
after(async () => {
  await transport.close();
  await prefixed.close();
});

function ok(result: CurlImportResult): ImportedCurl {
  if (!result.ok) assert.fail(`expected an import, got: ${result.message}`);
  return result;
}
function refused(command: string, message: RegExp): void {
  const result = importCurl(command);
  assert.equal(result.ok, false, `should refuse: ${command.slice(0, 80)}`);
  if (!result.ok) assert.match(result.message, message);
}
const expected = (r: {
  operation: RequestFileRequest['operation'];
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}): RequestFileRequest => ({ operation: r.operation, path: r.path ?? {}, query: r.query ?? {}, ...(r.body !== undefined ? { body: r.body } : {}) });

/** The request → the client's CrmRequest → the transport's description → the one cURL builder. */
function curlOf(request: RequestFileRequest, via = transport): string {
  const parsed = parseRequestFile(requestFileText(request));
  assert.ok(parsed.ok);
  return toCurl(via.describe(buildRequest(CRM_OPERATIONS[request.operation], parsed.input)));
}

void describe('shellWords', () => {
  void it("splits as a POSIX shell: quotes, escapes, continuations, $'…', comments, and stops at | ; &", () => {
    const words = (s: string): string[] => {
      const r = shellWords(s);
      assert.ok(r.ok, s);
      return r.words;
    };
    assert.deepEqual(words(`curl 'a b' "c \\"d\\" \\$e \\x" f\\ g h\\\n  i`), ['curl', 'a b', 'c "d" $e \\x', 'f g', 'h', 'i']);
    assert.deepEqual(words(`curl $'it\\'s\\n\\x41\\u00e9\\101' ''`), ['curl', "it's\nAé" + 'A', '']);
    assert.deepEqual(words('curl "Bearer ${ST_TOKEN}" $HOME'), ['curl', 'Bearer ${ST_TOKEN}', '$HOME']);
    assert.deepEqual(words('curl \\\r\n -s # a comment\n -k'), ['curl', '-s', '-k']);
    assert.deepEqual(words('a"b"\'c\'d'), ['abcd']);
    const piped = shellWords("curl 'https://x' | jq .");
    assert.ok(piped.ok);
    assert.deepEqual(piped.words, ['curl', 'https://x']);
    assert.equal(piped.rest, '| jq .');
    assert.equal(shellWords("curl 'open").ok, false);
    assert.equal(shellWords('curl "open').ok, false);
    assert.equal(shellWords("curl $'open").ok, false);
  });

  void it("reads back whatever toCurl's quoting wrote (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (body, header) => {
        const command = toCurl({ method: 'POST', url: `${BASE}/customers?q=${encodeURIComponent(header)}`, headers: { 'X-Note': header }, body });
        const split = shellWords(command);
        assert.ok(split.ok);
        assert.equal(split.rest, undefined);
        assert.equal(split.words[split.words.indexOf('--data-raw') + 1], body);
        assert.ok(split.words.includes(`X-Note: ${header}`));
        assert.ok(split.words.includes('Authorization: Bearer ${ST_TOKEN}'));
      }),
      { numRuns: 300 },
    );
  });
});

void describe('importCurl', () => {
  void it('round-trips every one of the 86 templates through toCurl(transport.describe(…))', () => {
    for (const op of CRM_OPERATION_LIST) {
      if (!isCrmOperationId(op.operationId)) continue;
      const template = TEMPLATES[op.operationId];
      assert.ok(template, op.operationId);
      const request = expected(template);
      const imported = ok(importCurl(curlOf(request)));
      assert.deepEqual(imported.request, request, op.operationId);
      assert.equal(imported.method, op.method);
      assert.equal(imported.tenant, '1234567');
      assert.equal(imported.baseUrl, 'https://api.servicetitan.io');
      assert.deepEqual(imported.dropped, ['the Authorization header', 'the ST-App-Key header']);
      assert.deepEqual(imported.ignored, []);
    }
  });

  void it('round-trips every operation with all its query parameters and a full body, on a base URL with a path', () => {
    let fullBodies = 0;
    for (const op of CRM_OPERATION_LIST) {
      if (!isCrmOperationId(op.operationId)) continue;
      const branch = branchOf(op.operationId);
      const template = TEMPLATES[op.operationId];
      const request = expected({
        operation: op.operationId,
        path: template?.path,
        query: sampleOf(branch.query, { preferString: true }) as Record<string, unknown>,
        body: template?.body,
      });
      if (op.body) {
        const full = { ...request, body: sampleOf(branch.body, {}, 2) };
        if (checkRequestFile(requestFileText(full)).length === 0) {
          request.body = full.body;
          fullBodies++;
        }
      }
      const imported = ok(importCurl(curlOf(request, prefixed)));
      assert.deepEqual(imported.request, request, op.operationId);
      assert.equal(imported.baseUrl, 'http://127.0.0.1:8080/st');
      assert.equal(imported.tenant, 'sandbox');
    }
    assert.ok(fullBodies > 20, `only ${fullBodies} full bodies`);
  });

  void it('round-trips path values that need percent-encoding, and any JSON body (property)', () => {
    const pref = {
      operation: 'ContactPreferences_GetContactMethodPreference' as const,
      path: { contactId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', contactMethodId: '3f2504e0-4f89-11d3-9a0c-0305e82c3302', preferenceName: 'a b/c?d#é' },
      query: {},
    };
    assert.deepEqual(ok(importCurl(curlOf(pref))).request, pref);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const body = JSON.parse(JSON.stringify(value)) as unknown;
        const command = toCurl({ method: 'PATCH', url: `${BASE}/customers/5`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        assert.deepEqual(ok(importCurl(command)).request, { operation: 'Customers_Update', path: { id: 5 }, query: {}, body });
      }),
      { numRuns: 200 },
    );
  });

  void it('matches method and path to the operation: literal segments beat {param}, ids become numbers, other path values strings', () => {
    assert.equal(ok(importCurl(`curl ${BASE}/contacts/preferences`)).request.operation, 'Contacts_GetPreferenceMetadataList');
    assert.equal(ok(importCurl(`curl ${BASE}/customers/contacts`)).request.operation, 'Customers_GetModifiedContactsList');
    assert.deepEqual(ok(importCurl(`curl ${BASE}/customers/42/`)).request, expected({ operation: 'Customers_Get', path: { id: 42 } }));
    assert.equal(ok(importCurl(`curl ${BASE}/Customers/42`)).request.operation, 'Customers_Get', 'literal segments compare case-insensitively');
    assert.deepEqual(
      ok(importCurl(`curl -X DELETE ${BASE}/customers/42/contacts/7`)).request,
      expected({ operation: 'Customers_DeleteContact', path: { id: 42, contactId: 7 } }),
    );
    assert.deepEqual(
      ok(importCurl(`curl -X POST ${BASE}/booking-provider/17/bookings/9/dismiss -d '{}'`)).request,
      expected({ operation: 'Bookings_DismissBooking', path: { booking_provider: '17', id: 9 }, body: {} }),
      'booking_provider is text there',
    );
    // A value that fits no type stays text, for the file's checks to point at.
    const bad = ok(importCurl(`curl ${BASE}/customers/abc`));
    assert.deepEqual(bad.request.path, { id: 'abc' });
    assert.deepEqual(
      checkRequestFile(requestFileText(bad.request)).map((e) => e.path),
      [['path', 'id']],
    );
  });

  void it("types query values from the operation's query schema", () => {
    const url = `${BASE}/customers?page=2&pageSize=50&includeTotal=true&ids=1,2&name=123&active=True&latitude=1.5&sort=%2BId&externalDataValues=a,b&createdBefore=2026-01-01T00:00:00Z&phone=%2B1%20555&bogus=1`;
    assert.deepEqual(ok(importCurl(`curl '${url}'`)).request.query, {
      page: 2,
      pageSize: 50,
      includeTotal: true,
      ids: '1,2',
      name: '123',
      active: 'True',
      latitude: 1.5,
      sort: '+Id',
      externalDataValues: 'a,b',
      createdBefore: '2026-01-01T00:00:00Z',
      phone: '+1 555',
      bogus: '1',
    });
    // `+` is a space in a query, as the server reads it; an unknown parameter is kept for the checks to flag.
    const plus = ok(importCurl(`curl '${BASE}/customers?sort=+Id&pageSize=5&pageSize=6'`));
    assert.deepEqual(plus.request.query, { sort: ' Id', pageSize: '5,6' });
    assert.match(plus.ignored.join('; '), /second pageSize/);
    // -G moves the data into the query; --data-urlencode encodes it.
    const get = ok(importCurl(`curl -G ${BASE}/customers --data-urlencode 'name=A & B' -d pageSize=5 -d includeTotal=false`));
    assert.deepEqual(get.request, expected({ operation: 'Customers_GetList', query: { name: 'A & B', pageSize: 5, includeTotal: false } }));
  });

  void it("reads curl's options: methods, data forms, clusters, --url, --json, ignorable flags", () => {
    const body = { type: 'Email', value: "it's@example.com" };
    const forms = [
      `curl -X POST ${BASE}/customers/5/contacts -H 'Content-Type: application/json' -d '${JSON.stringify(body).replace(/'/g, `'\\''`)}'`,
      `curl --request post --url ${BASE}/customers/5/contacts --data-binary "{\\"type\\":\\"Email\\",\\"value\\":\\"it's@example.com\\"}"`,
      `curl -sSLkXPOST --compressed -m 10 --json $'{"type":"Email","value":"it\\'s@example.com"}' ${BASE}/customers/5/contacts`,
      `curl ${BASE}/customers/5/contacts \\\n  --data-raw '{"type":"Email",' \\\r\n  --fail-with-body -i -v -sS -o /dev/null \\\n  --data-raw '"value":"it'"'"'s@example.com"}' | jq .`,
    ];
    for (const command of forms.slice(0, 3))
      assert.deepEqual(ok(importCurl(command)).request, expected({ operation: 'Customers_CreateContact', path: { id: 5 }, body }), command);
    // Two -d pieces are joined with & as curl does: not JSON any more.
    refused(forms[3] ?? '', /not JSON/);
    const piped = ok(importCurl(`curl -s ${BASE}/customers/5 | jq .name`));
    assert.equal(piped.request.operation, 'Customers_Get');
    assert.match(piped.ignored.join(), /another command/);
    assert.equal(ok(importCurl(`$ curl ${BASE}/customers/5`)).request.operation, 'Customers_Get');
    assert.equal(ok(importCurl(`/usr/bin/curl -- ${BASE}/customers/5`)).request.operation, 'Customers_Get');
    assert.deepEqual(ok(importCurl(`curl -H 'X-Trace: 1' -H 'Accept: application/json' ${BASE}/customers/5`)).ignored, ['the X-Trace header']);
    assert.equal(ok(importCurl(`curl -X PATCH ${BASE}/customers/5 -d ''`)).request.body, undefined, 'empty data is no body');
  });

  void it('drops every credential, names it, and never lets a secret value into the request', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl';
    const appKey = 'ak1.h7s9dk2l0x8q4w5e6r';
    const command = [
      `ST_TOKEN=${token} curl`,
      `'https://admin:hunter2pass@api.servicetitan.io/crm/v2/tenant/1234567/customers/5?servicetitanapplicationkey=${appKey}'`,
      `-H 'Authorization: Bearer ${token}' -H 'ST-App-Key: ${appKey}' -H 'Cookie: session=abcdef123456'`,
      `-u 'admin:hunter2pass' -b 'sid=zzzz9999' --oauth2-bearer ${token}`,
      `-X PATCH --data-raw '{"name": "Copied ${token} by mistake", "${appKey}": 1}'`,
    ].join(' ');
    const imported = ok(importCurl(command));
    const text = JSON.stringify(imported);
    for (const secret of [token, appKey, 'hunter2pass', 'abcdef123456', 'zzzz9999']) assert.equal(text.includes(secret), false, `${secret} leaked`);
    assert.deepEqual(imported.request.body, { name: 'Copied [REDACTED] by mistake', '[REDACTED]': 1 });
    assert.deepEqual(imported.request.path, { id: 5 });
    assert.deepEqual(imported.request.query, {});
    for (const named of [
      /ST_TOKEN/,
      /Authorization header/,
      /ST-App-Key header/,
      /Cookie header/,
      /servicetitanapplicationkey query parameter/,
      /-u\)/,
      /cookies \(-b\)/,
      /--oauth2-bearer/,
      /password in the URL/,
      /replaced with \[REDACTED\]/,
    ]) {
      assert.match(imported.dropped.join('; '), named);
    }
    // Variables are not values: nothing to scrub, but the headers are still dropped.
    const vars = ok(importCurl(`curl ${BASE}/customers/5 -H "Authorization: Bearer $ST_TOKEN" -H 'ST-App-Key: \${ST_APP_KEY}'`));
    assert.deepEqual(vars.dropped, ['the Authorization header', 'the ST-App-Key header']);
  });

  void it('never leaks a random secret (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._~+/-]{12,40}$/), fc.stringMatching(/^[A-Za-z0-9.]{10,30}$/), (token, key) => {
        const command = `curl '${BASE}/customers/5/contacts?servicetitanapplicationkey=${encodeURIComponent(key)}' -H 'Authorization: Bearer ${token}' -H "ST-App-Key: ${key}" --data-raw '${JSON.stringify({ type: 'Phone', value: `${token}${key}`, memo: key })}'`;
        const text = JSON.stringify(importCurl(command));
        assert.equal(text.includes(token), false);
        assert.equal(text.includes(key), false);
      }),
      { numRuns: 200 },
    );
  });

  void it('says clearly what is wrong with what is not a CRM v2 cURL command', () => {
    refused('', /Paste a cURL command/);
    refused('wget https://api.servicetitan.io/crm/v2/tenant/1/customers', /not a cURL command/);
    refused("curl 'https://api.servicetitan.io/crm/v2/tenant/1/customers", /single quote .* not closed/);
    refused('curl -s', /no URL/);
    refused(`curl ${BASE}/customers ${BASE}/locations`, /2 URLs/);
    refused('curl https://api.servicetitan.io/jpm/v2/tenant/1/jobs', /jpm v2 API; only CRM v2/);
    refused('curl https://example.com/api/customers', /not a CRM v2 URL.*\/api\/customers/);
    refused('curl https://api.servicetitan.io/crm/v2/tenant/1', /ends at the tenant/);
    refused('curl ftp://api.servicetitan.io/crm/v2/tenant/1/customers', /https:\/\//);
    refused('curl http://[bad', /not a URL/);
    refused(`curl -X PUT ${BASE}/customers/5`, /PUT \/customers\/5 is not a CRM v2 operation: \/customers\/\{id\} takes GET or PATCH/);
    refused(`curl ${BASE}/customers/5/bananas`, /No CRM v2 operation has the path \/customers\/5\/bananas/);
    refused(`curl ${BASE}/customers/%E0%A4%A`, /broken %-escape/);
    refused(`curl '${BASE}/customers?name=%E0%A4%A'`, /broken %-escape/);
    refused(`curl -X POST ${BASE}/customers -d '{"name": }'`, /not JSON\. Line 1, column 10: Expected a value/);
    refused(
      `curl -X POST ${BASE}/customers -H 'Content-Type: application/x-www-form-urlencoded' -d 'name=A'`,
      /not JSON \(its Content-Type is application\/x-www-form-urlencoded\)/,
    );
    refused(`curl -X POST ${BASE}/customers -d @body.json`, /reads the body from a file/);
    refused(`curl -X POST ${BASE}/customers --json @-`, /standard input/);
    refused(`curl -F name=A ${BASE}/customers`, /multipart/);
    refused(`curl -I ${BASE}/customers`, /HEAD/);
    refused(`curl --frobnicate ${BASE}/customers`, /Unknown curl option --frobnicate/);
    refused(`curl -H`, /needs a header/);
    refused(`curl https://api.servicetitan.io/crm/v2/tenant/1/customers?page=1&pageSize=5`, /unquoted &/);
    refused(`curl ${'x'.repeat(1_000_001)}`, /too long/);
  });

  void it('never throws, whatever is pasted (property)', () => {
    const word = fc.oneof(
      fc.constantFrom(
        '-X',
        '-H',
        '-d',
        '--json',
        '-G',
        '--url',
        '-sS',
        "'",
        '"',
        '\\',
        "$'",
        '|',
        '&',
        '#',
        '--',
        `${BASE}/customers/5`,
        `${BASE}/contacts/x`,
        '{"a":1}',
        '@f',
        `'${BASE}/customers?constructor=1&__proto__=2&toString'`,
        "'__proto__: 1'",
        '--constructor',
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.array(word, { maxLength: 10 }).map((w) => `curl ${w.join(' ')}`),
        ),
        (command) => {
          const result = importCurl(command);
          if (result.ok) assert.ok(CRM_OPERATIONS[result.request.operation]);
          else assert.ok(result.message.length > 0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// Issue 18: what a hostile paste costs and does. Linearity itself is measured by `npm run bench`
// (test/bench/curlImport.ts); these check the behaviour that comes with it.
void describe('importCurl on hostile input', () => {
  /** Copies of `unit` joined with spaces, `count` of them. */
  const repeated = (unit: string, count: number): string => Array.from({ length: count }, () => unit).join(' ');

  void it('imports a command of nearly 1 MB (many flags, many headers, a big body) and refuses one over it', () => {
    // The body stays within what a request file may hold (250,000 characters); the flags make up the rest.
    const body = { name: 'x'.repeat(150_000), customFields: Array.from({ length: 2000 }, (_, i) => ({ typeId: i, value: `v${i}` })) };
    const head = `curl -X PATCH ${BASE}/customers/5 ${repeated('-s', 200_000)} ${Array.from({ length: 5000 }, (_, i) => `-H 'X-Trace-${i}: ${i}'`).join(' ')} --data-raw '`;
    const command = `${head}${JSON.stringify(body)}'`;
    assert.ok(command.length > 900_000 && command.length <= 1_000_000, String(command.length));
    const imported = ok(importCurl(command));
    assert.deepEqual(imported.request, expected({ operation: 'Customers_Update', path: { id: 5 }, body }));
    assert.equal(imported.ignored.length, 5000, 'each header named once');
    refused(`${head}${JSON.stringify({ ...body, name: 'x'.repeat(700_000) })}'`, /too long/);
    // A body a request file cannot hold is refused with the request file's own limit.
    refused(`curl -X PATCH ${BASE}/customers/5 --data-raw '${JSON.stringify({ name: 'x'.repeat(260_000) })}'`, /a request file may have 250,000/);
  });

  void it('never overflows the stack: a credential of 300,000 parts, 120,000 repeated credentials, a body 100,000 levels deep', () => {
    const parts = ok(importCurl(`curl -u '${'ab:'.repeat(300_000)}' ${BASE}/customers`));
    assert.deepEqual(parts.dropped, ['user name and password (-u)']);
    const many = ok(importCurl(`curl ${BASE}/customers ${repeated('-bc=1', 120_000)}`));
    assert.deepEqual(many.dropped, ['cookies (-b)'], 'each dropped item named once');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    refused(`curl -X PATCH ${BASE}/customers/5 -H 'Authorization: Bearer abcdefgh' -d '${deep}'`, /nest more than 64 levels/);
    // The body sits one level inside the request file, which may nest 64: 63 levels are the most.
    refused(`curl -X PATCH ${BASE}/customers/5 -d '${'['.repeat(64)}${']'.repeat(64)}'`, /nests deeper than 63 levels/);
    const allowed = `${'['.repeat(63)}"abcdefgh"${']'.repeat(63)}`;
    const scrubbed = ok(importCurl(`curl -X PATCH ${BASE}/customers/5 -H 'Authorization: Bearer abcdefgh' -d '${allowed}'`));
    assert.equal(JSON.stringify(scrubbed.request.body), `${'['.repeat(63)}"[REDACTED]"${']'.repeat(63)}`);
    assert.ok(parseRequestFile(requestFileText(scrubbed.request)).ok, 'the request file it becomes can be read');
  });

  void it('checks a short command in the input box on each keystroke, a long one only on Enter', () => {
    assert.equal(inputBoxProblem(''), undefined);
    assert.equal(inputBoxProblem(`curl ${BASE}/customers`), undefined);
    assert.deepEqual(inputBoxProblem(`curl --frobnicate ${BASE}/customers`), {
      message: 'Unknown curl option --frobnicate: remove it, or use the cURL command "Copy as cURL" gives.',
      blocking: true,
    });
    // The same mistake after 100 KB of flags is not looked for while typing: the box notes the size and lets Enter through.
    const long = `curl ${BASE}/customers ${repeated('-s', 50_000)} --frobnicate`;
    assert.deepEqual(inputBoxProblem(long), {
      message: `A long command (${Math.round(long.length / 1024)} KB): it is checked when you press Enter.`,
      blocking: false,
    });
    refused(long, /Unknown curl option --frobnicate/);
    assert.deepEqual(inputBoxProblem('x'.repeat(1_000_001)), { message: 'This is too long to be a cURL command (over 1 MB).', blocking: true });
  });

  void it('reads prototype names as plain data: query keys like any other, never a throw or a changed object', () => {
    const names = ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
    const imported = ok(importCurl(`curl '${BASE}/customers?${names.map((name, i) => `${name}=${i}`).join('&')}&pageSize=5&constructor=9'`));
    const query = imported.request.query;
    assert.equal(Object.getPrototypeOf(query), Object.prototype);
    assert.deepEqual(Object.keys(query), [...names, 'pageSize']);
    assert.deepEqual(
      names.map((name) => Object.getOwnPropertyDescriptor(query, name)?.value as unknown),
      ['0,9', '1', '2', '3', '4', '5', '6'],
    );
    assert.equal(query.pageSize, 5);
    assert.match(imported.ignored.join('; '), /a second constructor in the query/);
    // In the file they are unknown parameters, as any other unknown name is.
    const text = requestFileText(imported.request);
    assert.equal((JSON.parse(text) as { query: Record<string, unknown> }).query.__proto__, '1');
    assert.ok(checkRequestFile(text).some((e) => e.path.join('.') === 'query.constructor'));
    // Headers, options and body keys with those names.
    assert.deepEqual(ok(importCurl(`curl -H 'constructor: 1' -H '__proto__: 2' ${BASE}/customers`)).ignored, [
      'the constructor header',
      'the __proto__ header',
    ]);
    refused(`curl --constructor ${BASE}/customers`, /Unknown curl option --constructor/);
    refused(`curl --__proto__ ${BASE}/customers`, /Unknown curl option --__proto__/);
    const body = ok(
      importCurl(`curl -X PATCH ${BASE}/customers/5 -H 'Authorization: Bearer s3cr3t-token' -d '{"__proto__": {"name": "s3cr3t-token"}, "constructor": 1}'`),
    ).request.body;
    assert.deepEqual(Object.keys(body as object), ['__proto__', 'constructor']);
    assert.equal(JSON.stringify(body), '{"__proto__":{"name":"[REDACTED]"},"constructor":1}');
  });

  void it('drops credential-named query parameters and headers, says so by name, and never keeps their values', () => {
    const names = [
      'api-key',
      'st-app-key',
      'refresh_token',
      'password',
      'client-secret',
      'x-api-key',
      'id_token',
      'sessionid',
      'access_token',
      'token',
      'authorization',
      'client_id',
      'ClientSecret',
      'apiKey',
      'servicetitanapplicationkey',
      'subscription-key',
      'key',
      'auth',
      'signature',
    ];
    const value = (i: number): string => `val-${i}-9f8e7d6c`;
    const query = names.map((name, i) => `${encodeURIComponent(name)}=${value(i)}`).join('&');
    const imported = ok(importCurl(`curl '${BASE}/customers?${query}&pageSize=5' -H 'X-Session-Id: ${value(100)}' -H 'X-Refresh-Token: ${value(101)}'`));
    assert.deepEqual(imported.request, expected({ operation: 'Customers_GetList', query: { pageSize: 5 } }));
    assert.deepEqual(imported.dropped, ['the X-Session-Id header', 'the X-Refresh-Token header', ...names.map((name) => `the ${name} query parameter`)]);
    const everything = JSON.stringify(imported);
    for (let i = 0; i < names.length; i++) assert.equal(everything.includes(value(i)), false, names[i]);
    assert.equal(everything.includes(value(100)) || everything.includes(value(101)), false);
    // A value copied into the body is replaced too.
    const copied = ok(importCurl(`curl -X PATCH '${BASE}/customers/5?refresh_token=${value(1)}' -d '{"name": "${value(1)}"}'`));
    assert.deepEqual(copied.request.body, { name: '[REDACTED]' });
    // No parameter of the 86 operations is taken for a credential.
    for (const op of CRM_OPERATION_LIST)
      for (const name of Object.keys(op.query.shape)) assert.equal(isCredentialName(name), false, `${op.operationId} ${name}`);
  });

  void it('names what was dropped in the message the command shows (names, never values)', () => {
    assert.equal(droppedMessage([]), undefined);
    const imported = ok(importCurl(`curl '${BASE}/customers?api-key=k3y-v4lue-123' -H 'Authorization: Bearer t0k3n-v4lue' -H 'ST-App-Key: ak-v4lue-456'`));
    const message = droppedMessage(imported.dropped) ?? '';
    assert.equal(
      message,
      'Imported without the Authorization header, the ST-App-Key header and the api-key query parameter: credentials are never written into a request file.',
    );
    const many = droppedMessage(Array.from({ length: 9 }, (_, i) => `the X-Token-${i} header`)) ?? '';
    assert.match(many, /the X-Token-5 header and 3 more: credentials/);
  });

  void it('replaces every stretch any credential covers, overlapping ones whole, in one pass', () => {
    // Two credentials overlapping in the body: replacing one after the other left "ghij" behind.
    const overlap = ok(importCurl(`curl -X PATCH ${BASE}/customers/5 -H 'Authorization: Bearer abcdef12' -u 'ef12ghij' -d '{"name": "xxabcdef12ghijxx"}'`));
    assert.deepEqual(overlap.request.body, { name: 'xx[REDACTED]xx' });
    // 10,000 distinct credentials, some of them in the body.
    const tokens = Array.from({ length: 10_000 }, (_, i) => `tok${i.toString(36)}-${(i * 7919).toString(36)}`);
    const body = { name: tokens.filter((_, i) => i % 1000 === 7).join(' | ') };
    const many = ok(
      importCurl(`curl -X PATCH ${BASE}/customers/5 ${tokens.map((t) => `-H 'Authorization: Bearer ${t}'`).join(' ')} -d '${JSON.stringify(body)}'`),
    );
    assert.deepEqual(many.request.body, { name: Array.from({ length: 10 }, () => REDACTED).join(' | ') });
  });

  void it('LiteralSet covers exactly the characters some literal occurrence covers (property)', () => {
    /** The obvious way: mark every occurrence of every literal, then one replacement per run of overlapping marks. */
    const naive = (literals: readonly string[], text: string): string => {
      const intervals: [number, number][] = [];
      for (const literal of literals) {
        if (literal === '') continue;
        for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) intervals.push([at, at + literal.length - 1]);
      }
      intervals.sort((a, b) => a[0] - b[0]);
      let out = '';
      let from = 0;
      let current: [number, number] | undefined;
      for (const [start, end] of intervals) {
        if (current && start <= current[1]) {
          current[1] = Math.max(current[1], end);
          continue;
        }
        if (current) {
          out += `${text.slice(from, current[0])}#`;
          from = current[1] + 1;
        }
        current = [start, end];
      }
      if (current) {
        out += `${text.slice(from, current[0])}#`;
        from = current[1] + 1;
      }
      return out + text.slice(from);
    };
    const small = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(small, { maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 60 }), (literals, text) => {
        const result = new LiteralSet(literals).replaceIn(text, '#');
        assert.equal(result.text, naive(literals, text));
        assert.equal(result.replaced, result.text !== text || literals.some((l) => l !== '' && text.includes(l)));
      }),
      { numRuns: 2000 },
    );
  });
});
