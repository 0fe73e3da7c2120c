/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- assertions walk parsed JSON bodies */
// Property-based fuzz over the sandbox's routes: random and hostile requests (methods, paths from
// the real route templates, ids, query strings, JSON bodies, Host / Content-Type / auth headers).
// For every answer: no 5xx, every error is an ApiErrorResponse (the token endpoint may use its
// OAuth format), a rejected request changed nothing (in memory and on disk), and an accepted one
// was saved before it was answered.
//
// SANDBOX_FUZZ_RUNS=5000 SANDBOX_FUZZ_SEED=123 node --test out/test/node/sandbox/fuzz.test.ts
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { RunningSandbox } from '../../../sandbox/index';
import { rawRequest, withSandbox, type Client, type Json, type Reply } from './helpers';

const RUNS = Number(process.env.SANDBOX_FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.SANDBOX_FUZZ_SEED ?? 20260501);

// ---- what a request is made of -----------------------------------------------------------------
type IdKind = 'customer' | 'location' | 'customerContact' | 'locationContact' | 'person' | 'method' | 'entity';

/** A path parameter: a real id of the right kind (resolved when sent) or a hostile literal. */
type Segment = { real: IdKind; n: number } | { literal: string };

interface Template { path: string; methods: string[]; params: Record<string, IdKind> }

/** The sandbox's route templates (README "Routes"), plus the literal paths it answers 404 for. */
const TEMPLATES: Template[] = [
  { path: '/customers', methods: ['GET', 'POST'], params: {} },
  { path: '/customers/{id}', methods: ['GET', 'PATCH'], params: { id: 'customer' } },
  { path: '/customers/{id}/contacts', methods: ['GET', 'POST'], params: { id: 'customer' } },
  { path: '/customers/{id}/contacts/{contactId}', methods: ['PATCH', 'DELETE'], params: { id: 'customer', contactId: 'customerContact' } },
  { path: '/customers/contacts', methods: ['GET'], params: {} },
  { path: '/locations', methods: ['GET'], params: {} },
  { path: '/locations/{id}', methods: ['GET'], params: { id: 'location' } },
  { path: '/locations/{id}/contacts', methods: ['GET', 'POST'], params: { id: 'location' } },
  { path: '/locations/{id}/contacts/{contactId}', methods: ['PATCH', 'DELETE'], params: { id: 'location', contactId: 'locationContact' } },
  { path: '/locations/custom-fields', methods: ['GET'], params: {} },
  { path: '/contacts', methods: ['GET', 'POST'], params: {} },
  { path: '/contacts/{id}', methods: ['GET', 'PATCH', 'PUT', 'DELETE'], params: { id: 'person' } },
  { path: '/contacts/{contactId}/relationships', methods: ['GET'], params: { contactId: 'person' } },
  { path: '/contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}', methods: ['POST', 'DELETE'], params: { contactId: 'person', relatedEntityId: 'entity' } },
  { path: '/contacts/relationships/{relationshipId}', methods: ['GET'], params: { relationshipId: 'entity' } },
  { path: '/contacts/{contactId}/contact-methods', methods: ['GET', 'POST'], params: { contactId: 'person' } },
  { path: '/contacts/{contactId}/contact-methods/{contactMethodId}', methods: ['GET', 'PUT', 'PATCH', 'DELETE'], params: { contactId: 'person', contactMethodId: 'method' } },
];

const HOSTILE_SEGMENTS = [
  '0', '-1', '1e3', '0x10', '99999999999999999999', '9223372036854775807', '9007199254740993', ' 1', '%20', '%zz', '%', '%E0%A4%A',
  '..', '.', '%2F', '%2e%2e', '%00', '__proto__', 'constructor', 'prototype', 'null', 'undefined', 'NaN', 'Infinity', '%C3%A9',
  '00000000-0000-0000-0000-000000000000', '{00000000-0000-4000-8000-000000000000}', 'a'.repeat(3000), '', 'customer', 'location', 'booking',
];
const QUERY_KEYS = [
  'page', 'pageSize', 'includeTotal', 'sort', 'ids', 'name', 'street', 'unit', 'city', 'state', 'zip', 'country', 'phone', 'active',
  'createdBefore', 'createdOnOrAfter', 'modifiedBefore', 'modifiedOnOrAfter', 'externalDataApplicationGuid', 'externalDataKey',
  'externalDataValues', 'latitude', 'longitude', 'excludeAccountingChangesFromModifiedDateRange', 'customerId', 'title', 'referenceId',
  'isArchived', 'type', 'value', 'relatedEntityId', 'typeSlug', 'typeName', 'servicetitanapplicationkey', '__proto__', 'constructor',
];
const QUERY_VALUES = [
  '1', '0', '-1', '5000', '5001', '2147483648', '1e400', '0x10', 'abc', 'true', 'False', 'Any', 'maybe', '+Id', '-Id', ' Id', 'Name',
  '-ModifiedOn', '1,2,3', `${'1,'.repeat(60)}1`, '2020-01-01', 'yesterday', '2025-01-01T00:00:00Z', '%zz', '%', '', 'Phone', 'Email',
  'Pager', '11111111-2222-3333-4444-555555555555', 'not-a-guid', 'customer', '__proto__', 'a'.repeat(2000),
];
const FIELD_NAMES = [
  'name', 'type', 'value', 'memo', 'title', 'referenceId', 'isArchived', 'address', 'street', 'unit', 'city', 'state', 'zip', 'country',
  'latitude', 'longitude', 'locations', 'contacts', 'customFields', 'typeId', 'tagTypeIds', 'externalData', 'applicationGuid', 'key',
  'patchMode', 'doNotMail', 'doNotService', 'active', 'NAME', 'Type', '__proto__', 'constructor', 'prototype', 'taxExempt', 'id',
];
/** Number tokens JSON.stringify cannot produce. */
const RAW_NUMBERS = ['1e400', '-1e400', '1E+999', '9223372036854775807', '9223372036854775808', '9007199254740993', '1.0', '-0', '1e-400', '0.1e1', '123456789012345678901234567890'];
const HOSTILE_STRINGS = ['', ' ', '1e400', '0x1F', 'Infinity', 'NaN', '9223372036854775807', '12', '30.5', 'Phone', 'email', 'LandlinePhone',
  'Merge', 'a@b.c', '(512) 555-0100', '+1 512 555 0199', '2125550123', '00000000-0000-4000-8000-000000000000', '__proto__', 'x'.repeat(300), '\u0000', '\ud800'];

/** JSON text, with what JSON.stringify never writes: huge numbers, lone surrogates, deep nesting, odd keys. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false'),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.constantFrom(...RAW_NUMBERS),
    fc.constantFrom(...HOSTILE_STRINGS).map((s) => JSON.stringify(s)),
    fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), tie('value')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

const PLACEHOLDER = 'FUZZ_RAW_VALUE';
const address = { street: '1 Fuzz Way', unit: 'Apt 2', city: 'Austin', state: 'TX', zip: '78701', country: 'USA', latitude: 30.1, longitude: -97.7 };
const guid = '11111111-2222-3333-4444-555555555555';
/** Valid bodies per operation ("METHOD template"); the fuzz mutates one part of them, so validation runs deep. */
const VALID_BODIES: Record<string, Json> = {
  'POST /customers': {
    name: 'Fuzz Co', type: 'Commercial', doNotMail: false, address, tagTypeIds: [1, '2'], customFields: [{ typeId: 9001, value: 'x' }],
    locations: [{ name: 'Fuzz HQ', address, contacts: [{ type: 'Phone', value: '5125550100' }], tagTypeIds: [3], externalData: { applicationGuid: guid, externalData: [{ key: 'k', value: 'v' }] } }],
    contacts: [{ type: 'Email', value: 'ops@example.com', memo: 'm' }], externalData: { applicationGuid: guid, externalData: [{ key: 'k', value: 'v' }] },
  },
  'PATCH /customers/{id}': {
    name: 'Renamed', type: 'Residential', address, doNotMail: true, doNotService: false, active: true, tagTypeIds: ['2'], customFields: [{ typeId: '9002', value: 'gate' }],
    externalData: { patchMode: 'Merge', applicationGuid: guid, externalData: [{ key: 'k', value: 'v2' }, { key: 'gone' }] },
  },
  'POST /customers/{id}/contacts': { type: 'MobilePhone', value: '+1 512 555 0199', memo: 'cell' },
  'PATCH /customers/{id}/contacts/{contactId}': { type: 'Phone', value: '(512) 555-0142', memo: null },
  'POST /locations/{id}/contacts': { type: 'Email', value: 'site@example.com', memo: 'site' },
  'PATCH /locations/{id}/contacts/{contactId}': { value: '5125550143', memo: 'desk' },
  'POST /contacts': { name: 'Fuzz Person', title: 'Tester', referenceId: 'F-1' },
  'PATCH /contacts/{id}': { title: 'Lead', isArchived: false },
  'PUT /contacts/{id}': { name: 'Replaced Person', referenceId: 'F-2', isArchived: true },
  'POST /contacts/{contactId}/contact-methods': { type: 'Email', value: 'fuzz@example.com', memo: 'fuzz', referenceId: 'm-1' },
  'PUT /contacts/{contactId}/contact-methods/{contactMethodId}': { type: 'Fax', value: '5125550144', memo: 'fax' },
  'PATCH /contacts/{contactId}/contact-methods/{contactMethodId}': { value: '5125550145', memo: null },
  'POST /__sandbox/faults': { kind: 'latency', path: '^/customers/\\d+$', latencyMs: 1, count: 1 },
};
const ALL_BODIES = Object.values(VALID_BODIES);

/** Values of the same JSON type that conversion must refuse or handle: what a leaf is replaced with, half the time. */
function hostileFor(leaf: unknown): readonly string[] {
  if (typeof leaf === 'number') return [...RAW_NUMBERS, '"1e400"', '"0x1F"', '"Infinity"', '"9223372036854775807"', '" 12 "', 'true', '"abc"'];
  if (typeof leaf === 'boolean') return ['null', '"true"', '1', '0', '"False"'];
  return [...HOSTILE_STRINGS.map((x) => JSON.stringify(x)), '5', 'true', '[]', '{}'];
}

/** Paths to every value of a JSON value (leaves and containers alike). */
function paths(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = at.length > 0 ? [at] : [];
  if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v as object)) out.push(...paths(x, [...at, Array.isArray(v) ? Number(k) : k]));
  return out;
}

interface Mutation { op: 'replace' | 'delete' | 'add'; where: number; hostile: number; raw: string; key: string }

/** Replaces, removes or adds one value of a valid body; raw text may be what JSON.stringify never writes. */
function mutate(body: Json, m: Mutation): string {
  const copy: Json = structuredClone(body);
  const all = paths(copy);
  const at = all[m.where % all.length] ?? [];
  let parent: Json = copy;
  for (const k of at.slice(0, -1)) parent = parent[k];
  const last = at[at.length - 1];
  if (last === undefined) return JSON.stringify(copy);
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last];
    return JSON.stringify(copy);
  }
  if (m.op === 'add' && parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
    parent[m.key] = PLACEHOLDER;
  } else {
    const choices = hostileFor(parent[last]);
    parent[last] = PLACEHOLDER;
    if (m.hostile % 2 === 0) return JSON.stringify(copy).replace(`"${PLACEHOLDER}"`, choices[m.hostile % choices.length] as string);
  }
  return JSON.stringify(copy).replace(`"${PLACEHOLDER}"`, m.raw);
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'add'),
  where: fc.nat(),
  hostile: fc.nat(),
  raw: jsonText,
  key: fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 6 })),
});

/** A body for `operation`: its valid body (mutated or not), another operation's, or anything. */
type BodyPlan = { kind: 'none' } | { kind: 'valid'; other: number; mutation: Mutation | undefined } | { kind: 'text'; text: string };

const bodyPlanArb: fc.Arbitrary<BodyPlan> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 8, arbitrary: fc.record({ other: fc.nat(9), mutation: fc.option(mutationArb, { freq: 4, nil: undefined }) }).map((b) => ({ kind: 'valid' as const, ...b })) },
  { weight: 2, arbitrary: jsonText.map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '{', '{"name":', '{"name":"x"}}', '\ufeff{}', '{"name":"x",}', "{'name':'x'}", 'null', '[]', '"x"', '{"__proto__":{"name":"x"}}', '{"name":"a","name":5}', '{"constructor":{"prototype":{}}}')
    .map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.constantFrom(1000, 100_000).map((n) => ({ kind: 'text' as const, text: `{"name":${'['.repeat(n)}${']'.repeat(n)}}` })) },
  { weight: 1, arbitrary: fc.constantFrom(50, 5000).map((n) => ({ kind: 'text' as const, text: `${'{"address":'.repeat(n)}{}${'}'.repeat(n)}` })) },
);

function bodyFor(operation: string, plan: BodyPlan): string | undefined {
  if (plan.kind === 'none') return undefined;
  if (plan.kind === 'text') return plan.text;
  // Mostly the operation's own body; sometimes another one (wrong shape, unknown members).
  const valid: Json = plan.other < 8 ? VALID_BODIES[operation] ?? ALL_BODIES[plan.other % ALL_BODIES.length] : ALL_BODIES[plan.other % ALL_BODIES.length];
  return plan.mutation ? mutate(valid, plan.mutation) : JSON.stringify(valid);
}

const segmentArb = (kind: IdKind): fc.Arbitrary<Segment> => fc.oneof(
  { weight: 8, arbitrary: fc.nat().map((n) => ({ real: kind, n })) },
  { weight: 1, arbitrary: fc.constantFrom(...(['customer', 'location', 'person', 'method', 'entity'] as const)).chain((k) => fc.nat().map((n) => ({ real: k, n }))) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map((literal) => ({ literal })) },
  // Unknown GUIDs in every .NET format.
  { weight: 1, arbitrary: fc.tuple(fc.uuid(), fc.nat(4)).map(([u, f]) => ({ literal: [u, u.toUpperCase(), `{${u}}`, `(${u})`, u.replace(/-/g, '')][f] ?? u })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => ({ literal: encodeURIComponent(s) })) },
);

interface FuzzRequest {
  target: 'api' | 'token' | 'admin' | 'other';
  method: string;
  /** For the API: the path below /crm/v2/tenant/{tenant}, with its segments; otherwise the full path. */
  path: string;
  segments: Record<string, Segment>;
  tenant: string;
  query: string;
  body: string | undefined;
  host: 'good' | 'localhost' | 'ipv6' | 'evil' | 'wrongPort' | 'none';
  contentType: string | undefined;
  auth: 'write' | 'read' | 'garbage' | 'none' | 'basic' | 'bare';
  /** `id:secret` for HTTP Basic client authentication at the token endpoint. */
  basic: string;
  appKey: 'good' | 'wrong' | 'none' | 'query';
}

const queryArb = fc.array(fc.tuple(
  fc.oneof(fc.constantFrom(...QUERY_KEYS).chain((k) => fc.constantFrom(k, k.toUpperCase(), k.toLowerCase())), fc.string({ maxLength: 6 })),
  fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ maxLength: 10 })),
  fc.boolean(),
), { maxLength: 5 }).map((pairs) => pairs.map(([k, v, raw]) => {
  // Raw values keep a few characters http.request allows but URLSearchParams has to cope with.
  const value = raw && /^[\w%+,.~-]*$/.test(v) ? v : encodeURIComponent(v);
  return `${encodeURIComponent(k)}=${value}`;
}).join('&'));

const tokenBodyArb = fc.record({
  grant: fc.constantFrom('client_credentials', 'client_credentials', 'password', '', 'CLIENT_CREDENTIALS'),
  id: fc.constantFrom('sandbox-client', 'sandbox-readonly-client', 'nobody', '%zz', '', 'sandbox-client%'),
  secret: fc.constantFrom('sandbox-secret', 'sandbox-readonly-secret', 'wrong', '%E0%A4%A', ''),
  scope: fc.option(fc.constantFrom('tn.crm.customers:r', 'tn.crm.customers:w tn.crm.contacts:r', 'everything', ' '), { nil: undefined }),
  raw: fc.boolean(),
}).map((f) => {
  const parts = [`grant_type=${f.grant}`, `client_id=${f.id}`, `client_secret=${f.secret}`];
  if (f.scope !== undefined) parts.push(`scope=${encodeURIComponent(f.scope)}`);
  return f.raw ? parts.join('&') : new URLSearchParams(parts.map((p) => p.split('=') as [string, string])).toString();
});

const requestArb: fc.Arbitrary<FuzzRequest> = fc.record({
  kind: fc.constantFrom('api', 'api', 'api', 'api', 'api', 'api', 'api', 'api', 'token', 'admin', 'other'),
  template: fc.nat(TEMPLATES.length - 1),
  // Mostly a method the route has, so requests get past the router.
  routeMethod: fc.oneof({ weight: 6, arbitrary: fc.nat().map((n) => ({ route: n })) }, { weight: 1, arbitrary: fc.constant(undefined) }),
  method: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'PROPFIND', 'FOO', 'TRACE') }),
  segmentSeeds: fc.tuple(segmentArb('customer'), segmentArb('customerContact'), segmentArb('person'), segmentArb('method'), segmentArb('entity'), segmentArb('location'), segmentArb('locationContact')),
  slug: fc.constantFrom('customer', 'location', 'booking', 'Customer', 'vendor', '%zz'),
  tenant: fc.oneof({ weight: 12, arbitrary: fc.constant('good') }, { weight: 1, arbitrary: fc.constantFrom('01000', '999', 'abc', '%zz', '-1', '99999999999999999999') }),
  query: queryArb,
  body: bodyPlanArb,
  tokenBody: tokenBodyArb,
  adminPath: fc.constantFrom('/__sandbox/faults', '/__sandbox/stats', '/__sandbox/revoke-tokens', '/__sandbox/nothing', '/__sandbox', '/__sandbox/faults/'),
  otherPath: fc.constantFrom('/', '/crm/v2/', '/crm/v2/tenant/', '/crm/v2/tenant/1000', '/connect', '/connect/token/x', '/%zz', '/favicon.ico', '//crm/v2/tenant/1000/customers'),
  host: fc.oneof({ weight: 14, arbitrary: fc.constant('good' as const) }, { weight: 1, arbitrary: fc.constantFrom('localhost', 'ipv6', 'evil', 'wrongPort', 'none') }),
  contentType: fc.oneof({ weight: 10, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/json', 'application/merge-patch+json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '', 'application/jsonx', 'APPLICATION/JSON') }),
  auth: fc.oneof({ weight: 12, arbitrary: fc.constant('write' as const) }, { weight: 1, arbitrary: fc.constantFrom('read', 'garbage', 'none', 'basic', 'bare') }),
  appKey: fc.oneof({ weight: 14, arbitrary: fc.constant('good' as const) }, { weight: 1, arbitrary: fc.constantFrom('wrong', 'none', 'query') }),
  basic: fc.constantFrom('sandbox-client:sandbox-secret', 'sandbox-readonly-client:sandbox-readonly-secret', 'a%zz:b', 'sandbox-client:%', ':x', 'x', 'sandbox-client:wrong'),
}).map((r): FuzzRequest => {
  const t = TEMPLATES[r.template] as Template;
  const pools: Record<string, Segment> = {};
  const seeds = r.segmentSeeds;
  const byKind: Record<IdKind, Segment> = {
    customer: seeds[0], customerContact: seeds[1], person: seeds[2], method: seeds[3], entity: seeds[4], location: seeds[5], locationContact: seeds[6],
  };
  for (const [name, kind] of Object.entries(t.params)) pools[name] = byKind[kind];
  const target: FuzzRequest['target'] = r.kind;
  const isToken = target === 'token';
  const method = target === 'api' && r.routeMethod ? t.methods[r.routeMethod.route % t.methods.length] as string : r.method;
  return {
    target,
    method: isToken ? (r.method === 'GET' ? 'GET' : 'POST') : method,
    path: target === 'api' ? t.path.replace('{typeSlug}', r.slug) : target === 'admin' ? r.adminPath : target === 'token' ? '/connect/token' : r.otherPath,
    segments: pools,
    tenant: r.tenant,
    query: r.query,
    body: isToken ? r.tokenBody : bodyFor(`${method} ${target === 'admin' ? r.adminPath : t.path}`, r.body),
    host: r.host,
    contentType: isToken ? (r.contentType === 'application/json' ? 'application/x-www-form-urlencoded' : r.contentType) : r.contentType,
    auth: r.auth,
    basic: r.basic,
    appKey: r.appKey,
  };
});

// ---- checks ----------------------------------------------------------------------------------
const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']);

function problemShape(r: Reply): string | undefined {
  if (!/^application\/problem\+json/.test(r.headers.get('content-type') ?? '')) return `content-type ${r.headers.get('content-type') ?? 'missing'}`;
  const b = r.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return 'body is not an object';
  const keys = Object.keys(b as object).sort().join(',');
  if (keys !== 'data,errors,status,title,traceId,type') return `keys ${keys}`;
  if (typeof b.type !== 'string' || typeof b.title !== 'string' || b.title === '') return 'type/title';
  if (b.status !== r.status) return `status ${String(b.status)}`;
  if (typeof b.traceId !== 'string' || !/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/.test(b.traceId as string)) return 'traceId';
  if (b.data === null || typeof b.data !== 'object' || Array.isArray(b.data) || Object.keys(b.data as object).length > 0) return 'data';
  if (b.errors === null || typeof b.errors !== 'object' || Array.isArray(b.errors)) return 'errors';
  for (const v of Object.values(b.errors as object)) if (!Array.isArray(v) || !v.every((m) => typeof m === 'string')) return 'errors values';
  return undefined;
}

function oauthShape(r: Reply): string | undefined {
  if (!/^application\/json/.test(r.headers.get('content-type') ?? '')) return 'content-type';
  const b = r.body;
  if (b === null || typeof b !== 'object' || Object.keys(b as object).join(',') !== 'error' || !OAUTH_ERRORS.has(b.error as string)) return 'body';
  return undefined;
}

/** Where a 2xx JSON body holds null (the README: optional fields are left out, never null). */
function findNull(v: unknown, at: string): string | undefined {
  if (v === null) return at;
  if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) { const f = findNull(v[i], `${at}[${i}]`); if (f) return f; } return undefined; }
  if (typeof v === 'object') { for (const [k, x] of Object.entries(v)) { const f = findNull(x, `${at}.${k}`); if (f) return f; } }
  return undefined;
}

void describe('sandbox fuzz (fast-check)', () => {
  let dir: string;
  let file: string;
  let sb: RunningSandbox;
  let c: Client;
  let tokens: { write: string; read: string };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const pools: Record<IdKind, string[]> = { customer: [], location: [], customerContact: [], locationContact: [], person: [], method: [], entity: [] };
  const stats = { requests: 0, byStatus: new Map<number, number>() };

  const refreshTokens = async (): Promise<void> => {
    c.forgetToken();
    tokens = { write: await c.token(), read: await c.readOnlyToken() };
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sandbox-fuzz-'));
    file = path.join(dir, 'crm.json');
    ({ sb, c } = await withSandbox({ customers: 30, seed: 11, dataFile: file }));
    await refreshTokens();
    const opts = { token: tokens.write };
    for (let i = 0; i < 30; i += 3) {
      const id = 10_000_000 + i;
      pools.customer.push(String(id));
      pools.customerContact.push(...((await c.get(`/customers/${id}/contacts`, opts)).body.data as Json[]).map((x: Json) => String(x.id)));
      for (const l of (await c.get(`/locations?customerId=${id}&active=Any`, opts)).body.data as Json[]) {
        pools.location.push(String(l.id));
        pools.locationContact.push(...((await c.get(`/locations/${String(l.id)}/contacts`, opts)).body.data as Json[]).map((x: Json) => String(x.id)));
      }
    }
    for (const p of ((await c.get('/contacts?pageSize=12', opts)).body.data as Json[])) {
      pools.person.push(p.id as string);
      pools.method.push(...((await c.get(`/contacts/${p.id as string}/contact-methods`, opts)).body.data as Json[]).map((m: Json) => m.id as string));
    }
    pools.entity.push(...pools.customer, ...pools.location);
    for (const [kind, list] of Object.entries(pools)) assert.ok(list.length > 0, `no ${kind} ids to fuzz with`);
  });
  after(async () => {
    agent.destroy();
    await sb?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const resolve = (s: Segment): string => {
    if ('literal' in s) return s.literal;
    const list = pools[s.real];
    return list[s.n % list.length] as string;
  };

  function build(r: FuzzRequest): { url: string; method: string; headers: Record<string, string>; host: string | null; body: string | undefined } {
    let p = r.path;
    if (r.target === 'api') {
      for (const [name, seg] of Object.entries(r.segments)) p = p.replace(`{${name}}`, resolve(seg));
      const tenant = r.tenant === 'good' ? sb.tenant : r.tenant;
      p = `/crm/v2/tenant/${tenant}${p}`;
    }
    const query = r.appKey === 'query' ? [r.query, `servicetitanapplicationkey=${sb.credentials.appKey}`].filter(Boolean).join('&') : r.query;
    const headers: Record<string, string> = {};
    const token = r.auth === 'read' ? tokens.read : tokens.write;
    if (r.target === 'token') {
      if (r.auth !== 'write') headers.authorization = `Basic ${Buffer.from(r.basic).toString('base64')}`;
    } else if (r.auth === 'write' || r.auth === 'read') headers.authorization = `Bearer ${token}`;
    else if (r.auth === 'bare') headers.authorization = `  ${token}  `;
    else if (r.auth === 'garbage') headers.authorization = 'Bearer a.b.c';
    else if (r.auth === 'basic') headers.authorization = 'Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ=';
    if (r.appKey === 'good') headers['st-app-key'] = sb.credentials.appKey;
    else if (r.appKey === 'wrong') headers['st-app-key'] = 'wrong-key';
    if (r.body !== undefined && r.contentType !== undefined) headers['content-type'] = r.contentType;
    const hosts: Record<FuzzRequest['host'], string | null> = {
      good: `127.0.0.1:${sb.port}`, localhost: `localhost:${sb.port}`, ipv6: `[::1]:${sb.port}`, evil: `evil.example:${sb.port}`, wrongPort: `127.0.0.1:${sb.port + 1}`, none: null,
    };
    return { url: `${sb.url}${p}${query ? `?${query}` : ''}`, method: r.method, headers, host: hosts[r.host], body: r.body };
  }

  void test(`random and hostile requests: no 5xx, ApiErrorResponse errors, rejected requests change nothing (${RUNS} runs, seed ${SEED})`, async (t) => {
    const details = await fc.check(fc.asyncProperty(requestArb, async (r) => {
      const req = build(r);
      const stateBefore = sb.snapshot();
      const fileBefore = fs.readFileSync(file, 'utf8');
      let reply: Reply;
      try {
        reply = await rawRequest(req.url, { method: req.method, headers: req.headers, host: req.host, body: req.body, agent });
      } catch (e) {
        assert.fail(`${req.method} ${req.url}: no answer (${(e as Error).message})`);
      }
      const what = `${req.method} ${req.url.slice(0, 300)} host=${String(req.host)} ${JSON.stringify(req.headers)} body=${(req.body ?? '').slice(0, 300)}\n-> ${reply.status} ${reply.text.slice(0, 500)}`;
      stats.requests++;
      stats.byStatus.set(reply.status, (stats.byStatus.get(reply.status) ?? 0) + 1);
      // A fault rule the fuzz added through the admin route must not fault the next request.
      if (sb.faults.list().length > 0) sb.faults.clear();

      assert.ok(reply.status >= 200 && reply.status < 500, `5xx or odd status: ${what}`);
      const stateAfter = sb.snapshot();
      if (reply.status >= 300) {
        if (req.method !== 'HEAD') {
          const problem = problemShape(reply);
          const oauth = r.target === 'token' ? oauthShape(reply) : 'not the token endpoint';
          assert.ok(problem === undefined || oauth === undefined, `not an ApiErrorResponse (${problem ?? ''}) nor OAuth error (${oauth ?? ''}): ${what}`);
        }
        assert.equal(stateAfter, stateBefore, `a rejected request changed the state: ${what}`);
        assert.equal(fs.readFileSync(file, 'utf8'), fileBefore, `a rejected request changed the data file: ${what}`);
        return;
      }
      // Accepted: saved before the answer, and no null leaked into the body.
      assert.equal(fs.readFileSync(file, 'utf8'), stateAfter, `the data file lags behind an acknowledged request: ${what}`);
      if (reply.text !== '' && req.method !== 'HEAD') {
        assert.notEqual(reply.body, undefined, `a 2xx body is not JSON: ${what}`);
        const at = findNull(reply.body, '$');
        assert.equal(at, undefined, `a 2xx body holds null at ${at ?? ''}: ${what}`);
        // Created entities join the id pools so later requests hit them.
        const id: unknown = reply.body?.id;
        if (r.method === 'POST' && r.target === 'api' && (typeof id === 'string' || typeof id === 'number')) {
          if (r.path === '/contacts') pools.person.push(String(id));
          else if (r.path.endsWith('/contact-methods')) pools.method.push(String(id));
          else if (r.path === '/customers') pools.customer.push(String(id));
        }
      }
      if (r.target === 'admin' && r.path === '/__sandbox/revoke-tokens') await refreshTokens();
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    if (details.failed) {
      // Deeply nested bodies make fast-check's report huge: keep its lines short.
      const report = (fc.defaultReportMessage(details) ?? 'failed').split('\n').map((l) => (l.length > 1500 ? `${l.slice(0, 1500)}… (${l.length} chars)` : l));
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      assert.fail(`${cause.slice(0, 3000)}\n${report.join('\n')}`);
    }
    const byStatus = [...stats.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ');
    t.diagnostic(`answers by status: ${byStatus}`);
    // Whatever the run wrote is a data file the sandbox loads again, unchanged.
    const final = sb.snapshot();
    await sb.close();
    ({ sb, c } = await withSandbox({ customers: 30, seed: 11, dataFile: file }));
    assert.deepEqual(JSON.parse(sb.snapshot()), JSON.parse(final), 'the data file reloads to the same state');
    // Enough requests get through to the handlers for the run to mean something.
    assert.ok((stats.byStatus.get(200) ?? 0) > RUNS / 10, `too few 200s: ${byStatus}`);
    assert.ok((stats.byStatus.get(400) ?? 0) > RUNS / 10, `too few 400s: ${byStatus}`);
  });
});
