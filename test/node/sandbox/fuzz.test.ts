/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- assertions walk parsed JSON bodies */
// Property-based fuzz over every operation of CRM_SPEC: random and hostile requests (methods, paths
// from the document's templates with real or hostile ids, query values and JSON bodies derived from
// the document's schemas and then mutated, Host / Content-Type / auth headers). For every answer:
// no 5xx, every error is an ApiErrorResponse (the token endpoint may use its OAuth format), every
// error status of an operation is one the document lists for it (or a gateway status, or on the
// commented allow-list below), every 2xx body validates against the 2026 document's response
// schema, a rejected request changed nothing (in memory and on disk), and an accepted one was
// saved before it was answered. It runs twice: with the live API's nulls (the default; a 2xx body
// validates against the document with openapi/overlay.json's nulls) and without them (a 2xx body
// validates against the document alone and holds no null at all).
//
// SANDBOX_FUZZ_RUNS=5000 SANDBOX_FUZZ_SEED=123 node --test out/test/node/sandbox/fuzz.test.ts
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import { Router } from '../../../sandbox/http';
import type { RunningSandbox } from '../../../sandbox/index';
import { readSavedState } from '../../../sandbox/persistence';
import { TAG_TYPE_IDS } from '../../../sandbox/seed';
import type { SpecOperation, SpecParameter, SpecSchema } from '../../../sandbox/specTypes';
import { rawRequest, specProblems, withSandbox, type Client, type Json, type Nulls, type Reply } from './helpers';

/** FILE and FILE.journal of a --data file, as text: what a rejected request must leave as it was. */
const savedFiles = (file: string): string => [file, `${file}.journal`].map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')).join('\n');

const RUNS = Number(process.env.SANDBOX_FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.SANDBOX_FUZZ_SEED ?? 20260501);

// ---- what a request is made of -----------------------------------------------------------------
/**
 * A pool of real ids to put in a path: the customer/location/contact kinds below, or
 * `<first segment>.<parameter>` (e.g. `leads.id`) for the other resources, filled from their lists.
 */
type IdKind = string;
const KNOWN_KINDS = [
  'customer',
  'location',
  'customerContact',
  'locationContact',
  'person',
  'method',
  'entity',
  'customerNote',
  'locationNote',
  'tag',
  'technician',
  'preference',
  'slug',
];

/** A path parameter: a real id of the right kind (or of another kind), or a hostile literal. */
type Segment = { real: true; n: number; otherKind: number | undefined } | { literal: string };

interface Template {
  op: SpecOperation;
  path: string;
  methods: string[];
  params: Record<string, IdKind>;
  query: SpecParameter[];
}

function kindOf(path: string, name: string): IdKind {
  if (name === 'contactMethodId') return 'method';
  if (name === 'relatedEntityId' || name === 'relationshipId') return 'entity';
  if (name === 'typeSlug') return 'slug';
  if (name === 'tagTypeId') return 'tag';
  if (name === 'preferredTechnicianId') return 'technician';
  if (name === 'preferenceName') return 'preference';
  if (name === 'noteId' && path.startsWith('/customers/')) return 'customerNote';
  if (name === 'noteId' && path.startsWith('/locations/')) return 'locationNote';
  if (name === 'contactId' && path.startsWith('/customers/{id}/contacts/')) return 'customerContact';
  if (name === 'contactId' && path.startsWith('/locations/{id}/contacts/')) return 'locationContact';
  if (path.startsWith('/customers/{id}')) return 'customer';
  if (path.startsWith('/locations/{id}')) return 'location';
  if (path.startsWith('/contacts/')) return 'person';
  return `${path.split('/')[1] ?? ''}.${name}`;
}

/** One template per operation of the document. */
const TEMPLATES: Template[] = CRM_SPEC.operations.map((op) => ({
  op,
  path: op.path,
  methods: [op.method],
  params: Object.fromEntries(op.parameters.filter((x) => x.in === 'path').map((x) => [x.name, kindOf(op.path, x.name)])),
  query: op.parameters.filter((x) => x.in === 'query'),
}));

const HOSTILE_SEGMENTS = [
  '0',
  '-1',
  '1e3',
  '0x10',
  '99999999999999999999',
  '9223372036854775807',
  '9007199254740993',
  ' 1',
  '%20',
  '%zz',
  '%',
  '%E0%A4%A',
  '..',
  '.',
  '%2F',
  '%2e%2e',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '%C3%A9',
  '00000000-0000-0000-0000-000000000000',
  '{00000000-0000-4000-8000-000000000000}',
  'a'.repeat(3000),
  '',
  'customer',
  'location',
  'booking',
];
const QUERY_KEYS = [
  'page',
  'pageSize',
  'includeTotal',
  'sort',
  'ids',
  'name',
  'street',
  'unit',
  'city',
  'state',
  'zip',
  'country',
  'phone',
  'active',
  'createdBefore',
  'createdOnOrAfter',
  'modifiedBefore',
  'modifiedOnOrAfter',
  'externalDataApplicationGuid',
  'externalDataKey',
  'externalDataValues',
  'latitude',
  'longitude',
  'excludeAccountingChangesFromModifiedDateRange',
  'customerId',
  'title',
  'referenceId',
  'isArchived',
  'type',
  'value',
  'relatedEntityId',
  'typeSlug',
  'typeName',
  'servicetitanapplicationkey',
  '__proto__',
  'constructor',
];
const QUERY_VALUES = [
  '1',
  '0',
  '-1',
  '5000',
  '5001',
  '2147483648',
  '1e400',
  '0x10',
  'abc',
  'true',
  'False',
  'Any',
  'maybe',
  '+Id',
  '-Id',
  ' Id',
  'Name',
  '-ModifiedOn',
  '1,2,3',
  `${'1,'.repeat(60)}1`,
  '2020-01-01',
  'yesterday',
  '2025-01-01T00:00:00Z',
  '%zz',
  '%',
  '',
  'Phone',
  'Email',
  'Pager',
  '11111111-2222-3333-4444-555555555555',
  'not-a-guid',
  'customer',
  '__proto__',
  'a'.repeat(2000),
];
const FIELD_NAMES = [
  'name',
  'type',
  'value',
  'memo',
  'title',
  'referenceId',
  'isArchived',
  'address',
  'street',
  'unit',
  'city',
  'state',
  'zip',
  'country',
  'latitude',
  'longitude',
  'locations',
  'contacts',
  'customFields',
  'typeId',
  'tagTypeIds',
  'externalData',
  'applicationGuid',
  'key',
  'patchMode',
  'doNotMail',
  'doNotService',
  'active',
  'NAME',
  'Type',
  '__proto__',
  'constructor',
  'prototype',
  'taxExempt',
  'id',
];
/** Query values for a parameter of the document, by its schema (valid ones and near misses). */
function queryValuesFor(p: SpecParameter): readonly string[] {
  const t = Array.isArray(p.schema.type) ? p.schema.type.find((x) => x !== 'null') : p.schema.type;
  if (p.name === 'sort') return ['+Id', '-Id', ' Id', '-ModifiedOn', '+CreatedOn', 'Name', '-Nope'];
  if (p.name === 'from') return ['2020-01-01', '2025-01-01T00:00:00Z', 'cf1.MC4wLjA', 'cf1.OTk5OTk5OTkuMC4w', 'cf1.!', 'garbage', '2020-13-45'];
  if (/Ids$|^ids$/.test(p.name)) return ['10000003,10000006', '30000006', '1,x', `${'1,'.repeat(60)}1`, ''];
  if (t === 'integer') return ['1', '0', '-1', '50', '5000', '5001', '2147483648', '9223372036854775808', '1.5', 'abc', '10000003', '30000006'];
  if (t === 'number') return ['1.5', '-97.7', '1e400', '0x10', 'abc'];
  if (t === 'boolean') return ['true', 'false', 'True', 'yes', '1'];
  if (p.schema.format === 'date-time') return ['2020-01-01', '2025-01-01T00:00:00Z', '2100-01-01', 'yesterday', '2020-13-01'];
  if (p.schema.format === 'guid') return ['11111111-2222-3333-4444-555555555555', 'not-a-guid', '00000000-0000-0000-0000-000000000000'];
  return ['Any', 'True', 'False', 'Email', 'Phone', 'customer', 'New', 'a', '%', 'x'.repeat(300)];
}

const GUID = '11111111-2222-3333-4444-555555555555';
/** Tag type ids that exist, so valid bodies stay valid (an unknown tag type id is a 400). */
const TAG = (n: number): number => TAG_TYPE_IDS.first + n;
/** A plausible valid value for a schema of the document (what the fuzz starts from before mutating). */
function sampleFor(schema: SpecSchema, prop: string, depth = 0): Json {
  if (schema.oneOf) return sampleFor(schema.oneOf.find((x) => x.$ref !== undefined) ?? {}, prop, depth);
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = CRM_SPEC.schemas[name] ?? {};
    if (target.enum) return name === 'Crm.V2.ContactType' ? 'Email' : target.enum[0];
    return sampleFor(target, prop, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (schema.enum) return schema.enum[0];
  switch (type) {
    case 'object': {
      if (depth > 6) return {};
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sampleFor(v, k, depth + 1);
      if (out.type === 'Email' && 'value' in out) out.value = 'fuzz@example.com';
      return out;
    }
    case 'array':
      return prop === 'tagTypeIds' ? [TAG(0)] : prop === 'customerIds' ? [10000003] : [sampleFor(schema.items ?? {}, prop, depth + 1)];
    case 'integer':
      return prop === 'customerId' ? 10000003 : prop === 'locationId' ? 30000006 : prop.endsWith('Id') ? 1 : 2;
    case 'number':
      return 1.5;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return '2026-06-01T10:00:00Z';
      if (schema.format === 'guid' || schema.format === 'uuid') return GUID;
      if (prop === 'value') return 'fuzz@example.com';
      if (prop === 'type') return 'Email';
      if (prop === 'email') return 'fuzz@example.com';
      if (/phone/i.test(prop)) return '5125550100';
      return prop === 'name' ? 'Fuzz Name' : 'fuzz';
    default:
      return null;
  }
}

/** Number tokens JSON.stringify cannot produce. */
const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '1E+999',
  '9223372036854775807',
  '9223372036854775808',
  '9007199254740993',
  '1.0',
  '-0',
  '1e-400',
  '0.1e1',
  '123456789012345678901234567890',
];
const HOSTILE_STRINGS = [
  '',
  ' ',
  '1e400',
  '0x1F',
  'Infinity',
  'NaN',
  '9223372036854775807',
  '12',
  '30.5',
  'Phone',
  'email',
  'LandlinePhone',
  'Merge',
  'a@b.c',
  '(512) 555-0100',
  '+1 512 555 0199',
  '2125550123',
  '00000000-0000-4000-8000-000000000000',
  '__proto__',
  'x'.repeat(300),
  '\u0000',
  '\ud800',
];

/** JSON text, with what JSON.stringify never writes: huge numbers, lone surrogates, deep nesting, odd keys. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false'),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.constantFrom(...RAW_NUMBERS),
    fc.constantFrom(...HOSTILE_STRINGS).map((s) => JSON.stringify(s)),
    fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), tie('value')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

const PLACEHOLDER = 'FUZZ_RAW_VALUE';
const address = { street: '1 Fuzz Way', unit: 'Apt 2', city: 'Austin', state: 'TX', zip: '78701', country: 'USA', latitude: 30.1, longitude: -97.7 };
const guid = GUID;
/** Valid bodies per operation ("METHOD template"); the fuzz mutates one part of them, so validation runs deep. */
const VALID_BODIES: Record<string, Json> = {
  'POST /customers': {
    name: 'Fuzz Co',
    type: 'Commercial',
    doNotMail: false,
    address,
    tagTypeIds: [TAG(1), String(TAG(2))],
    customFields: [{ typeId: 9001, value: 'x' }],
    locations: [
      {
        name: 'Fuzz HQ',
        address,
        contacts: [{ type: 'Phone', value: '5125550100' }],
        tagTypeIds: [TAG(3)],
        externalData: { applicationGuid: guid, externalData: [{ key: 'k', value: 'v' }] },
      },
    ],
    contacts: [{ type: 'Email', value: 'ops@example.com', memo: 'm' }],
    externalData: { applicationGuid: guid, externalData: [{ key: 'k', value: 'v' }] },
  },
  'PATCH /customers/{id}': {
    name: 'Renamed',
    type: 'Residential',
    address,
    doNotMail: true,
    doNotService: false,
    active: true,
    tagTypeIds: [String(TAG(2))],
    customFields: [{ typeId: '9002', value: 'gate' }],
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
// Every other operation with a body starts from a sample derived from its schema.
for (const op of CRM_SPEC.operations) {
  if (op.body && !VALID_BODIES[`${op.method} ${op.path}`]) VALID_BODIES[`${op.method} ${op.path}`] = sampleFor({ $ref: `#/components/schemas/${op.body}` }, '');
}
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

interface Mutation {
  op: 'replace' | 'delete' | 'add';
  where: number;
  hostile: number;
  raw: string;
  key: string;
}

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
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
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
  {
    weight: 8,
    arbitrary: fc.record({ other: fc.nat(9), mutation: fc.option(mutationArb, { freq: 4, nil: undefined }) }).map((b) => ({ kind: 'valid' as const, ...b })),
  },
  { weight: 2, arbitrary: jsonText.map((text) => ({ kind: 'text' as const, text })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '',
        ' ',
        '{',
        '{"name":',
        '{"name":"x"}}',
        '\ufeff{}',
        '{"name":"x",}',
        "{'name':'x'}",
        'null',
        '[]',
        '"x"',
        '{"__proto__":{"name":"x"}}',
        '{"name":"a","name":5}',
        '{"constructor":{"prototype":{}}}',
      )
      .map((text) => ({ kind: 'text' as const, text })),
  },
  { weight: 1, arbitrary: fc.constantFrom(1000, 100_000).map((n) => ({ kind: 'text' as const, text: `{"name":${'['.repeat(n)}${']'.repeat(n)}}` })) },
  { weight: 1, arbitrary: fc.constantFrom(50, 5000).map((n) => ({ kind: 'text' as const, text: `${'{"address":'.repeat(n)}{}${'}'.repeat(n)}` })) },
);

function bodyFor(operation: string, plan: BodyPlan): string | undefined {
  if (plan.kind === 'none') return undefined;
  if (plan.kind === 'text') return plan.text;
  // Mostly the operation's own body; sometimes another one (wrong shape, unknown members).
  const valid: Json = plan.other < 8 ? (VALID_BODIES[operation] ?? ALL_BODIES[plan.other % ALL_BODIES.length]) : ALL_BODIES[plan.other % ALL_BODIES.length];
  return plan.mutation ? mutate(valid, plan.mutation) : JSON.stringify(valid);
}

const segmentArb: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 8, arbitrary: fc.nat().map((n) => ({ real: true as const, n, otherKind: undefined })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([n, k]) => ({ real: true as const, n, otherKind: k })) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map((literal) => ({ literal })) },
  // Unknown GUIDs in every .NET format.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.uuid(), fc.nat(4)).map(([u, f]) => ({ literal: [u, u.toUpperCase(), `{${u}}`, `(${u})`, u.replace(/-/g, '')][f] ?? u })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => ({ literal: encodeURIComponent(s) })) },
);

interface FuzzRequest {
  target: 'api' | 'token' | 'admin' | 'other';
  method: string;
  /** For the API: the path below /crm/v2/tenant/{tenant}, with its segments; otherwise the full path. */
  path: string;
  segments: Record<string, { kind: IdKind; seg: Segment }>;
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

const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...QUERY_KEYS).chain((k) => fc.constantFrom(k, k.toUpperCase(), k.toLowerCase())),
        fc.string({ maxLength: 6 }),
      ),
      fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ maxLength: 10 })),
      fc.boolean(),
    ),
    { maxLength: 5 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v, raw]) => {
        // Raw values keep a few characters http.request allows but URLSearchParams has to cope with.
        const value = raw && /^[\w%+,.~-]*$/.test(v) ? v : encodeURIComponent(v);
        return `${encodeURIComponent(k)}=${value}`;
      })
      .join('&'),
  );

const tokenBodyArb = fc
  .record({
    grant: fc.constantFrom('client_credentials', 'client_credentials', 'password', '', 'CLIENT_CREDENTIALS'),
    id: fc.constantFrom('sandbox-client', 'sandbox-readonly-client', 'nobody', '%zz', '', 'sandbox-client%'),
    secret: fc.constantFrom('sandbox-secret', 'sandbox-readonly-secret', 'wrong', '%E0%A4%A', ''),
    scope: fc.option(fc.constantFrom('tn.crm.customers:r', 'tn.crm.customers:w tn.crm.contacts:r', 'everything', ' '), { nil: undefined }),
    raw: fc.boolean(),
  })
  .map((f) => {
    const parts = [`grant_type=${f.grant}`, `client_id=${f.id}`, `client_secret=${f.secret}`];
    if (f.scope !== undefined) parts.push(`scope=${encodeURIComponent(f.scope)}`);
    return f.raw ? parts.join('&') : new URLSearchParams(parts.map((p) => p.split('=') as [string, string])).toString();
  });

const requestArb: fc.Arbitrary<FuzzRequest> = fc
  .record({
    kind: fc.constantFrom('api', 'api', 'api', 'api', 'api', 'api', 'api', 'api', 'token', 'admin', 'other'),
    template: fc.nat(TEMPLATES.length - 1),
    specQuery: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(2)), { maxLength: 4 }),
    // Mostly a method the route has, so requests get past the router.
    routeMethod: fc.oneof({ weight: 6, arbitrary: fc.nat().map((n) => ({ route: n })) }, { weight: 1, arbitrary: fc.constant(undefined) }),
    method: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
      { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'PROPFIND', 'FOO', 'TRACE') },
    ),
    segmentSeeds: fc.array(segmentArb, { minLength: 4, maxLength: 4 }),
    tenant: fc.oneof(
      { weight: 12, arbitrary: fc.constant('good') },
      { weight: 1, arbitrary: fc.constantFrom('01000', '999', 'abc', '%zz', '-1', '99999999999999999999') },
    ),
    query: queryArb,
    body: bodyPlanArb,
    tokenBody: tokenBodyArb,
    adminPath: fc.constantFrom('/__sandbox/faults', '/__sandbox/stats', '/__sandbox/revoke-tokens', '/__sandbox/nothing', '/__sandbox', '/__sandbox/faults/'),
    otherPath: fc.constantFrom(
      '/',
      '/crm/v2/',
      '/crm/v2/tenant/',
      '/crm/v2/tenant/1000',
      '/connect',
      '/connect/token/x',
      '/%zz',
      '/favicon.ico',
      '//crm/v2/tenant/1000/customers',
    ),
    host: fc.oneof(
      { weight: 14, arbitrary: fc.constant('good' as const) },
      { weight: 1, arbitrary: fc.constantFrom('localhost', 'ipv6', 'evil', 'wrongPort', 'none') },
    ),
    contentType: fc.oneof(
      { weight: 10, arbitrary: fc.constant('application/json') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          undefined,
          'text/json',
          'application/merge-patch+json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/x-www-form-urlencoded',
          '',
          'application/jsonx',
          'APPLICATION/JSON',
        ),
      },
    ),
    auth: fc.oneof(
      { weight: 12, arbitrary: fc.constant('write' as const) },
      { weight: 1, arbitrary: fc.constantFrom('read', 'garbage', 'none', 'basic', 'bare') },
    ),
    appKey: fc.oneof({ weight: 14, arbitrary: fc.constant('good' as const) }, { weight: 1, arbitrary: fc.constantFrom('wrong', 'none', 'query') }),
    basic: fc.constantFrom(
      'sandbox-client:sandbox-secret',
      'sandbox-readonly-client:sandbox-readonly-secret',
      'a%zz:b',
      'sandbox-client:%',
      ':x',
      'x',
      'sandbox-client:wrong',
    ),
  })
  .map((r): FuzzRequest => {
    const t = TEMPLATES[r.template] as Template;
    const segments: Record<string, { kind: IdKind; seg: Segment }> = {};
    Object.entries(t.params).forEach(([name, kind], i) => {
      segments[name] = { kind, seg: r.segmentSeeds[i % r.segmentSeeds.length] as Segment };
    });
    // Query values the document's parameters allow (or nearly), besides the random ones.
    const specQuery =
      t.query.length === 0
        ? []
        : r.specQuery.map(([a, b, cse]) => {
            const p = t.query[a % t.query.length] as SpecParameter;
            const values = queryValuesFor(p);
            const key = cse === 0 ? p.name : cse === 1 ? p.name.toUpperCase() : p.name.toLowerCase();
            return `${encodeURIComponent(key)}=${encodeURIComponent(values[b % values.length] as string)}`;
          });
    const query = [...specQuery, r.query].filter((x) => x !== '').join('&');
    const target: FuzzRequest['target'] = r.kind;
    const isToken = target === 'token';
    const method = target === 'api' && r.routeMethod ? (t.methods[r.routeMethod.route % t.methods.length] as string) : r.method;
    return {
      target,
      method: isToken ? (r.method === 'GET' ? 'GET' : 'POST') : method,
      path: target === 'api' ? t.path : target === 'admin' ? r.adminPath : target === 'token' ? '/connect/token' : r.otherPath,
      segments,
      tenant: r.tenant,
      query,
      body: isToken ? r.tokenBody : bodyFor(`${method} ${target === 'admin' ? r.adminPath : t.path}`, r.body),
      host: r.host,
      contentType: isToken ? (r.contentType === 'application/json' ? 'application/x-www-form-urlencoded' : r.contentType) : r.contentType,
      auth: r.auth,
      basic: r.basic,
      appKey: r.appKey,
    };
  });

// ---- checks ----------------------------------------------------------------------------------
/**
 * Error statuses any operation may answer besides those its document entry lists: the gateway's
 * (401 token, 403 app key or scope, 429 rate limit) and the server's (413 body too large, 415 not
 * JSON). 404 for another tenant is the gateway's too (checked by its title below).
 */
const GATEWAY_STATUSES = new Set([401, 403, 413, 415, 429]);
/**
 * Statuses the sandbox answers on purpose although the document does not list them for the
 * operation. Each entry says why; a status that is neither listed nor here fails the fuzz.
 */
const UNLISTED_STATUSES: Record<string, { statuses: number[]; why: string }> = {
  // The document lists no 404, but an id in the path can name nothing; answered like the operation's GET.
  Leads_Update: { statuses: [404], why: 'an unknown lead, answered like Leads_Get' },
  Leads_CreateFollowUp: { statuses: [404], why: 'an unknown lead, answered like Leads_Get' },
  Contacts_Replace: { statuses: [404], why: 'an unknown contact, answered like Contacts_Update (PUT does not create a contact)' },
  BookingProviderTags_Update: { statuses: [404], why: 'an unknown tag, answered like BookingProviderTags_Get' },
  Bookings_DismissBooking: { statuses: [404], why: 'an unknown booking or provider, answered like Bookings_GetForProvider' },
};

const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']);

function problemShape(r: Reply): string | undefined {
  if (!/^application\/problem\+json/.test(r.headers.get('content-type') ?? '')) return `content-type ${r.headers.get('content-type') ?? 'missing'}`;
  const b = r.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return 'body is not an object';
  const keys = Object.keys(b as object)
    .sort()
    .join(',');
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
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const f = findNull(v[i], `${at}[${i}]`);
      if (f) return f;
    }
    return undefined;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const f = findNull(x, `${at}.${k}`);
      if (f) return f;
    }
  }
  return undefined;
}

for (const nulls of ['live', 'document'] as const satisfies readonly Nulls[]) fuzzSuite(nulls);

function fuzzSuite(nulls: Nulls): void {
  const options = { customers: 30, seed: 11, liveNulls: nulls === 'live' };
  void describe(`sandbox fuzz (fast-check), ${nulls === 'live' ? "with the live API's nulls" : 'as the document says'}`, () => {
    let dir: string;
    let file: string;
    let sb: RunningSandbox;
    let c: Client;
    let tokens: { write: string; read: string };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const pools = new Map<IdKind, string[]>(KNOWN_KINDS.map((k) => [k, []]));
    const pool = (kind: IdKind): string[] => {
      let l = pools.get(kind);
      if (!l) {
        l = [];
        pools.set(kind, l);
      }
      return l;
    };
    const router = new Router(CRM_SPEC.operations);
    const stats = { requests: 0, byStatus: new Map<number, number>(), okOperations: new Set<string>() };
    /** `operationId status` the document does not list for the operation (nor the allow-list), with an example. */
    const unlisted = new Map<string, string>();

    const refreshTokens = async (): Promise<void> => {
      c.forgetToken();
      tokens = { write: await c.token(), read: await c.readOnlyToken() };
    };

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sandbox-fuzz-'));
      file = path.join(dir, 'crm.json');
      ({ sb, c } = await withSandbox({ ...options, dataFile: file }));
      await refreshTokens();
      const opts = { token: tokens.write };
      const ids = async (p: string): Promise<string[]> => {
        const r = await c.get(p, opts);
        const rows = (Array.isArray(r.body) ? r.body : (r.body?.data ?? [])) as Json[];
        return rows.map((x: Json) => String(x.id));
      };
      for (let i = 0; i < 30; i += 3) {
        const id = 10_000_000 + i;
        pool('customer').push(String(id));
        pool('customerContact').push(...(await ids(`/customers/${id}/contacts`)));
        pool('customerNote').push(...(await ids(`/customers/${id}/notes`)));
        for (const l of await ids(`/locations?customerId=${id}&active=Any`)) {
          pool('location').push(l);
          pool('locationContact').push(...(await ids(`/locations/${l}/contacts`)));
          pool('locationNote').push(...(await ids(`/locations/${l}/notes`)));
        }
      }
      for (const p of await ids('/contacts?pageSize=12')) {
        pool('person').push(p);
        pool('method').push(...(await ids(`/contacts/${p}/contact-methods`)));
      }
      pool('entity').push(...pool('customer'), ...pool('location'));
      pool('slug').push('customer', 'location', 'booking', 'Customer', 'vendor', '%zz');
      pool('tag').push('101', '105', '110', '120', '121', '0');
      pool('technician').push('2001', '2020', '2040', '2041', '1');
      pool('preference').push('JobReminders', 'marketingupdates', 'InvoiceStatements', 'Nope');
      // The other resources: ids from every list operation without path parameters.
      for (const t of TEMPLATES) {
        if (
          t.op.method !== 'GET' ||
          Object.keys(t.params).length > 0 ||
          t.path.startsWith('/export') ||
          !/^PaginatedResponse/.test(t.op.response?.$ref?.split('/').pop() ?? '')
        )
          continue;
        const r = await c.get(`${t.path}?pageSize=20`, opts);
        for (const row of (r.body?.data ?? []) as Json[]) {
          const seg = t.path.split('/')[1] ?? '';
          if (KNOWN_KINDS.some((k) => pool(k).includes(String(row.id)))) continue;
          pool(`${seg}.id`).push(String(row.id));
          if (row.bookingProviderId !== undefined) {
            pool('booking-provider.booking_provider').push(String(row.bookingProviderId));
            pool('booking-provider.id').push(String(row.id));
          }
        }
      }
      for (const b of pool('bookings.id').slice(0, 5)) {
        const contacts = await ids(`/bookings/${b}/contacts`);
        pool('booking-provider.contactId').push(...contacts);
        pool('bookings.contactId').push(...contacts);
      }
      for (const kind of ['customer', 'location', 'customerContact', 'locationContact', 'person', 'method', 'entity'])
        assert.ok(pool(kind).length > 0, `no ${kind} ids to fuzz with`);
    });
    after(async () => {
      agent.destroy();
      await sb?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const allKinds = (): IdKind[] => [...pools.keys()];
    const resolve = (kind: IdKind, s: Segment): string => {
      if ('literal' in s) return s.literal;
      const k = s.otherKind === undefined ? kind : (allKinds()[s.otherKind % allKinds().length] as IdKind);
      const list = pool(k);
      // A resource without known ids gets small numbers (some of them exist).
      return list.length === 0 ? String(1 + (s.n % 5)) : (list[s.n % list.length] as string);
    };

    function build(r: FuzzRequest): { url: string; method: string; headers: Record<string, string>; host: string | null; body: string | undefined } {
      let p = r.path;
      if (r.target === 'api') {
        for (const [name, { kind, seg }] of Object.entries(r.segments)) p = p.replace(`{${name}}`, resolve(kind, seg));
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
        good: `127.0.0.1:${sb.port}`,
        localhost: `localhost:${sb.port}`,
        ipv6: `[::1]:${sb.port}`,
        evil: `evil.example:${sb.port}`,
        wrongPort: `127.0.0.1:${sb.port + 1}`,
        none: null,
      };
      return { url: `${sb.url}${p}${query ? `?${query}` : ''}`, method: r.method, headers, host: hosts[r.host], body: r.body };
    }

    void test(`random and hostile requests: no 5xx, ApiErrorResponse errors, rejected requests change nothing (${RUNS} runs, seed ${SEED})`, async (t) => {
      const details = await fc.check(
        fc.asyncProperty(requestArb, async (r) => {
          const req = build(r);
          const stateBefore = sb.snapshot();
          const filesBefore = savedFiles(file);
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
          // The operation that answered (the URL as the server parsed it).
          const sub = /^\/crm\/v2\/tenant\/([^/]+)(\/.*)?$/i.exec(new URL(req.url).pathname);
          const routed = r.target === 'api' && sub ? router.match(req.method, sub[2] ?? '/') : undefined;
          const op = routed?.kind === 'found' ? routed.operation : undefined;
          if (op && reply.status >= 300) {
            // The gateway's 404: a tenant that is no int64 matches no route; another tenant is unknown to the token.
            const gateway404 = reply.status === 404 && (!/^\d+$/.test(sub?.[1] ?? '') || /^Tenant .* not found$/.test(String(reply.body?.title)));
            const allowed =
              op.errorStatuses.includes(reply.status) ||
              GATEWAY_STATUSES.has(reply.status) ||
              gateway404 ||
              (UNLISTED_STATUSES[op.operationId]?.statuses ?? []).includes(reply.status);
            const key = `${op.operationId} ${reply.status}`;
            if (!allowed && !unlisted.has(key))
              unlisted.set(key, `${key}: ${req.method} ${req.url.slice(0, 200)} body=${(req.body ?? '').slice(0, 200)} -> ${reply.text.slice(0, 300)}`);
          }
          if (reply.status >= 300) {
            if (req.method !== 'HEAD') {
              const problem = problemShape(reply);
              const oauth = r.target === 'token' ? oauthShape(reply) : 'not the token endpoint';
              assert.ok(problem === undefined || oauth === undefined, `not an ApiErrorResponse (${problem ?? ''}) nor OAuth error (${oauth ?? ''}): ${what}`);
            }
            assert.equal(stateAfter, stateBefore, `a rejected request changed the state: ${what}`);
            assert.equal(savedFiles(file), filesBefore, `a rejected request changed the data file: ${what}`);
            return;
          }
          // Accepted: saved before the answer (what a restart would load is the live state), and no null leaked into the body.
          assert.equal(readSavedState(file), stateAfter, `the data file lags behind an acknowledged request: ${what}`);
          // The 2026 response schema of the operation that answered.
          if (op) stats.okOperations.add(op.operationId);
          if (op && req.method !== 'HEAD') {
            if (op.response === null) assert.equal(reply.text, '', `${op.operationId} has no response body: ${what}`);
            else {
              const problems = specProblems(reply.body, op.response, nulls);
              assert.deepEqual(problems, [], `${op.operationId}: the body breaks the 2026 schema (${problems.slice(0, 5).join('; ')}): ${what}`);
            }
          }
          if (reply.text !== '' && req.method !== 'HEAD') {
            assert.notEqual(reply.body, undefined, `a 2xx body is not JSON: ${what}`);
            // Without the live nulls, a bare nullable value (GET …/preferredtechnician) may be null; no field ever is.
            // With them, the schema check above says where a null may be.
            const at = nulls === 'live' || (reply.body === null && op?.response?.nullable === true) ? undefined : findNull(reply.body, '$');
            assert.equal(at, undefined, `a 2xx body holds null at ${at ?? ''}: ${what}`);
            // Created entities join the id pools so later requests hit them.
            const id: unknown = reply.body?.id;
            if (req.method === 'POST' && op && (typeof id === 'string' || typeof id === 'number')) {
              const kind = kindOf(`${op.path}/{id}`, 'id');
              const created: Record<string, IdKind> = {
                '/contacts': 'person',
                '/contacts/{contactId}/contact-methods': 'method',
                '/customers': 'customer',
                '/locations': 'location',
                '/customers/{id}/notes': 'customerNote',
                '/locations/{id}/notes': 'locationNote',
              };
              pool(created[op.path] ?? kind).push(String(id));
            }
          }
          if (r.target === 'admin' && r.path === '/__sandbox/revoke-tokens') await refreshTokens();
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      if (details.failed) {
        // Deeply nested bodies make fast-check's report huge: keep its lines short.
        const report = (fc.defaultReportMessage(details) ?? 'failed')
          .split('\n')
          .map((l) => (l.length > 1500 ? `${l.slice(0, 1500)}… (${l.length} chars)` : l));
        const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        assert.fail(`${cause.slice(0, 3000)}\n${report.join('\n')}`);
      }
      assert.deepEqual(
        [...unlisted.keys()].sort(),
        [],
        `statuses the document does not list for the operation (list them in UNLISTED_STATUSES with a reason, or answer a listed one):\n${[...unlisted.values()].join('\n\n')}`,
      );
      const byStatus = [...stats.byStatus.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}:${n}`)
        .join(' ');
      t.diagnostic(`answers by status: ${byStatus}`);
      t.diagnostic(`operations that answered 2xx: ${stats.okOperations.size} of ${CRM_SPEC.operations.length}`);
      // Whatever the run wrote is a data file the sandbox loads again, unchanged.
      const final = sb.snapshot();
      await sb.close();
      ({ sb, c } = await withSandbox({ ...options, dataFile: file }));
      assert.deepEqual(JSON.parse(sb.snapshot()), JSON.parse(final), 'the data file reloads to the same state');
      // Enough requests get through to the handlers for the run to mean something.
      assert.ok((stats.byStatus.get(200) ?? 0) > RUNS / 10, `too few 200s: ${byStatus}`);
      assert.ok((stats.byStatus.get(400) ?? 0) > RUNS / 10, `too few 400s: ${byStatus}`);
    });
  });
}
