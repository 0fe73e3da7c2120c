// The request-file JSON Schema (schemas/stcrm-request.schema.json, generated): its shape per
// operation, the document's descriptions, zod's own patterns, and that it agrees with the client:
// over thousands of mutated requests, the schema refuses exactly what the client refuses (the
// overlay's rules aside, which ruleProblems reports).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as z from 'zod';
import * as P from '../../../src/api/schemas/primitives';
import { CRM_OPERATION_LIST, type CrmOperation } from '../../../src/api/schemas/operations';
import { checkRequestFile, ruleProblems } from '../../../src/requests/requestFile';
import { REQUEST_SCHEMA, unknownKeywords, validate, type Json } from './draft07';
import { branchOf, sampleOf, withoutReference } from './samples';

type Node = { [key: string]: Json };
const ROOT = path.resolve(__dirname, '../../../..');
const SPEC = JSON.parse(fs.readFileSync(path.join(ROOT, 'openapi/tenant-crm-v2.2026-05.json'), 'utf8')) as {
  components: { schemas: Record<string, { properties?: Record<string, { description?: string }> }> };
};
const defs = REQUEST_SCHEMA.definitions as Node;
const operationNode = (REQUEST_SCHEMA.properties as Node).operation as Node;

/** A property's schema as the client sees it: without the `{{name}}` reference every value may also be. */
const prop = (properties: Json | undefined, name: string): Node => withoutReference(((properties ?? {}) as Node)[name] as Node);

function patternOf(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' }) as { pattern?: string };
  assert.ok(json.pattern, 'zod gives the schema a pattern');
  return json.pattern;
}

/** What the client refuses, without the overlay's rules (the schema leaves those to ruleProblems). */
function clientProblems(request: unknown): string[] {
  const text = JSON.stringify(request);
  const rules = new Set(ruleProblems(text).map((e) => JSON.stringify(e)));
  return checkRequestFile(text)
    .filter((e) => !rules.has(JSON.stringify(e)))
    .map((e) => `${e.path.join('.')}: ${e.message}`);
}

const MUTANTS: Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2147483648,
  9007199254740992,
  'text',
  '',
  '  ',
  '2026-01-01T09:00:00',
  '2026-01-01T09:00Z',
  '2026-02-30T09:00:00Z',
  '3F2504E0-4F89-11D3-9A0C-0305E82C3301',
  '{3f2504e0-4f89-11d3-9a0c-0305e82c3301}',
  '1, 2',
  '1,,2',
  '-id',
  '+ModifiedOn',
  'Phone',
  'customer',
  [],
  ['text'],
  [1],
  [0],
  {},
];

/** Every request one step away from `request`: each value below path/query/body replaced, each key removed, one added. */
function* mutations(request: Node): Generator<Node> {
  const clone = (): Node => JSON.parse(JSON.stringify(request)) as Node;
  function* at(prefix: (string | number)[], value: Json): Generator<(string | number)[]> {
    yield prefix;
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* at([...prefix, i], value[i] ?? null);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* at([...prefix, k], v);
  }
  const set = (target: Node, where: (string | number)[], value: Json | undefined): void => {
    let node: Json = target;
    for (const key of where.slice(0, -1)) node = (node as Record<string, Json>)[key] ?? null;
    const last = where[where.length - 1] ?? '';
    if (value === undefined) {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete (node as Record<string, Json>)[last];
    } else (node as Record<string, Json>)[last] = value;
  };
  for (const top of ['path', 'query', 'body'] as const) {
    if (!(top in request)) {
      const added = clone();
      added[top] = {};
      yield added;
      continue;
    }
    for (const where of at([top], request[top] ?? null)) {
      for (const mutant of MUTANTS) {
        const m = clone();
        set(m, where, mutant);
        yield m;
      }
      const removed = clone();
      set(removed, where, undefined);
      yield removed;
      const value = where.reduce<Json>((n, k) => (n as Record<string, Json>)[k] ?? null, request);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const extra = clone();
        set(extra, [...where, 'zzUnknown'], 1);
        yield extra;
      }
    }
  }
}

function fullRequest(op: CrmOperation): Node {
  const branch = branchOf(op.operationId);
  const request: Node = { operation: op.operationId, path: sampleOf(branch.path) };
  const query = sampleOf(branch.query);
  if (Object.keys(query as Node).length > 0) request.query = query;
  if (op.body) request.body = sampleOf(branch.body, {}, 2);
  return request;
}

void describe('the request-file JSON Schema', () => {
  void it('is draft-07, uses only keywords the tests check, and every $ref resolves', () => {
    assert.equal(REQUEST_SCHEMA.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(unknownKeywords(REQUEST_SCHEMA), []);
    const text = JSON.stringify(REQUEST_SCHEMA);
    assert.equal(text.includes('#/components/'), false);
    for (const [, name] of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) assert.ok(name && defs[name], `dangling ${name}`);
    for (const [, pattern] of text.matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g))
      assert.doesNotThrow(() => new RegExp(JSON.parse(pattern ?? '""') as string, 'u'));
  });

  void it('offers the 86 operationIds, each described as METHOD path — summary', () => {
    const [listed, anyString] = operationNode.anyOf as Node[];
    assert.deepEqual(anyString, { type: 'string' }, 'an unknown id is the extension’s to mark, with the closest one');
    assert.deepEqual(
      listed?.enum,
      CRM_OPERATION_LIST.map((op) => op.operationId),
    );
    const descriptions = listed?.enumDescriptions as string[];
    const markdown = listed?.markdownEnumDescriptions as string[];
    assert.equal(descriptions.length, 86);
    assert.equal(markdown.length, 86);
    CRM_OPERATION_LIST.forEach((op, i) => {
      assert.equal(descriptions[i], `${op.method} ${op.path} — ${op.summary}`);
      assert.ok(markdown[i]?.includes(op.scope), `${op.operationId} names its scope`);
    });
    assert.equal(REQUEST_SCHEMA.additionalProperties, false);
    assert.deepEqual(Object.keys(REQUEST_SCHEMA.properties as Node).sort(), ['$schema', 'body', 'operation', 'optional', 'path', 'query']);
  });

  void it('gives each operation exactly its path parameters, query parameters and body', () => {
    assert.equal((REQUEST_SCHEMA.allOf as Json[]).length, 86);
    for (const op of CRM_OPERATION_LIST) {
      const branch = branchOf(op.operationId);
      const pathNames = Object.keys(op.pathParams);
      assert.deepEqual(Object.keys(branch.path.properties as Node), pathNames, op.operationId);
      assert.deepEqual(branch.path.required ?? [], pathNames, op.operationId);
      assert.equal(branch.path.additionalProperties, false);
      assert.deepEqual(Object.keys(branch.query.properties as Node), Object.keys(op.query.shape), op.operationId);
      assert.equal(branch.query.additionalProperties, false);
      if (op.body) {
        assert.deepEqual(withoutReference(branch.body).allOf, [{ $ref: `#/definitions/${op.body.definition}` }], op.operationId);
        assert.ok(branch.required.includes('body'), `${op.operationId} requires its body`);
      } else {
        assert.deepEqual(branch.body.not, {}, `${op.operationId} forbids a body`);
        assert.equal(branch.required.includes('body'), false);
      }
      assert.equal(branch.required.includes('path'), pathNames.length > 0, op.operationId);
    }
  });

  void it("keeps the document's descriptions for hovers, and every request object is strict", () => {
    const create = defs['Crm.V2.Customers.CreateCustomerRequest'] as Node;
    const properties = create.properties;
    assert.equal(prop(properties, 'name').description, SPEC.components.schemas['Crm.V2.Customers.CreateCustomerRequest']?.properties?.name?.description);
    assert.match(prop(properties, 'address').description as string, /Bill-To/);
    assert.deepEqual(prop(properties, 'locations').minItems, 1, "the overlay's minItems");
    const query = branchOf('Customers_GetList').query.properties;
    assert.match(prop(query, 'pageSize').description as string, /How many records/);
    for (const [name, def] of Object.entries(defs)) {
      const node = def as Node;
      if (node.type === 'object' && node.properties) assert.equal(node.additionalProperties, false, name);
    }
  });

  void it("uses zod's own patterns for GUIDs, dates and ID lists, and the client's relationship slugs", () => {
    assert.equal(prop(branchOf('ContactMethods_GetContactMethods').path.properties, 'contactId').pattern, patternOf(P.guid));
    const query = branchOf('Customers_GetList').query.properties;
    assert.equal(prop(query, 'createdBefore').pattern, patternOf(P.dateTimeFilter));
    const ids = prop(query, 'ids').anyOf as Node[];
    assert.equal(ids[1]?.pattern, (z.toJSONSchema(P.idList, { target: 'draft-7' }) as { anyOf: { pattern?: string }[] }).anyOf[1]?.pattern);
    assert.equal(prop((defs['Crm.V2.CreateFollowUpRequest'] as Node).properties, 'followUpDate').pattern, patternOf(P.dateTimeInput));
    assert.deepEqual(prop(branchOf('Contacts_CreateContactRelationship').path.properties, 'typeSlug').enum, [...P.RELATIONSHIP_TYPE_SLUGS]);
    // Sorting is case-insensitive in the client; the pattern spells that out.
    const sort = new RegExp(prop(query, 'sort').pattern as string, 'u');
    for (const ok of ['Id', '+id', '-MODIFIEDON', 'createdOn']) assert.ok(sort.test(ok), ok);
    for (const bad of ['', '+', 'Name', '++Id', 'Id ']) assert.equal(sort.test(bad), false, bad);
  });

  void it('takes a {{name}} reference wherever a value goes (stcrm.env.json), and text with references in a constrained text field', () => {
    for (const request of [
      { operation: 'Customers_Get', path: { id: '{{customerId}}' } },
      { operation: 'Contacts_CreateContactRelationship', path: { contactId: '{{id}}', relatedEntityId: '{{customerId}}', typeSlug: '{{slug}}' } },
      { operation: 'ContactMethods_CreateContactMethod', path: { contactId: '{{id}}' }, body: { type: '{{type}}', value: 'kim.{{run}}@example.com' } },
      { operation: 'Customers_Create', body: '{{customer}}' },
      { operation: 'Customers_GetList', query: { pageSize: '{{size}}', createdOnOrAfter: '{{$isoTimestamp}}' } },
    ]) {
      assert.deepEqual(validate(request), [], JSON.stringify(request));
    }
    // A reference is text of its own: not half of a number, nor an id of another shape.
    assert.notDeepEqual(validate({ operation: 'Customers_Get', path: { id: '1{{x}}' } }), []);
    assert.notDeepEqual(validate({ operation: 'Contacts_Get', path: { id: 'abc' } }), []);
  });

  void it('refuses what a request file must not be (negative cases)', () => {
    const ok = { operation: 'Customers_CreateContact', path: { id: 1 }, body: { type: 'Email', value: 'name@example.com' } };
    assert.deepEqual(validate(ok), []);
    const refused: [string, unknown][] = [
      ['no operation', { path: { id: 1 } }],
      ['an unknown top-level key', { ...ok, headers: {} }],
      ['a missing path', { operation: 'Customers_Get' }],
      ['a missing path parameter', { operation: 'Customers_Get', path: {} }],
      ['an extra path parameter', { operation: 'Customers_Get', path: { id: 1, other: 2 } }],
      ['a string id', { operation: 'Customers_Get', path: { id: '1' } }],
      ['a zero id', { operation: 'Customers_Get', path: { id: 0 } }],
      ['a bad GUID', { operation: 'Contacts_Get', path: { id: 'abc' } }],
      ['a body on a GET', { operation: 'Customers_Get', path: { id: 1 }, body: {} }],
      ['no body where one is needed', { operation: 'Customers_CreateContact', path: { id: 1 } }],
      ['an unknown body field', { ...ok, body: { ...ok.body, extra: 1 } }],
      ['a wrong enum value', { ...ok, body: { type: 'Pager', value: 'x' } }],
      ['an unknown query parameter', { operation: 'Customers_GetList', query: { size: 1 } }],
      ['a page size over 5000', { operation: 'Customers_GetList', query: { pageSize: 5001 } }],
      ['a date without an offset in a filter', { operation: 'Customers_GetList', query: { createdBefore: '2026-01-01T09:00:00' } }],
      ['an empty ID list', { operation: 'Customers_GetList', query: { ids: [] } }],
      [
        'no location for a new customer',
        { operation: 'Customers_Create', body: { name: 'A', locations: [], address: { street: 's', city: 'c', state: 's', zip: 'z', country: 'c' } } },
      ],
      ['an optional list with a non-string', { ...ok, optional: { 'body.memo': 1 } }],
    ];
    for (const [what, value] of refused) assert.notDeepEqual(validate(value), [], `should refuse ${what}`);
    // A date without an offset is fine in a body (the client reads it as .NET does).
    assert.deepEqual(validate({ operation: 'Leads_CreateFollowUp', path: { id: 1 }, body: { followUpDate: '2026-01-01T09:00:00' } }), []);
    assert.deepEqual(validate({ ...ok, $schema: './x.json', optional: { 'body.memo': 'string or null' } }), []);
    // An unknown operation is the extension's to mark, once, with the closest id (jsonEditor.test.ts).
    assert.deepEqual(validate({ operation: 'Customer_Get' }), []);
  });

  void it('agrees with the client on every operation: a full sample passes both, and each mutation is refused by both or neither', () => {
    const disagreements: string[] = [];
    let checked = 0;
    for (const op of CRM_OPERATION_LIST) {
      const full = fullRequest(op);
      assert.deepEqual(validate(full), [], `${op.operationId}: the full sample passes the schema`);
      assert.deepEqual(clientProblems(full), [], `${op.operationId}: the full sample passes the client`);
      for (const m of mutations(full)) {
        checked++;
        const schema = validate(m);
        const client = clientProblems(m);
        if ((schema.length === 0) !== (client.length === 0)) {
          disagreements.push(`${JSON.stringify(m)}\n   schema: ${JSON.stringify(schema.slice(0, 2))}\n   client: ${JSON.stringify(client.slice(0, 2))}`);
        }
      }
    }
    assert.ok(checked > 5000, `only ${checked} mutations`);
    assert.deepEqual(disagreements.slice(0, 10), [], `${disagreements.length} of ${checked} disagree`);
  });
});
