// Every one of the 86 operations gets a request-file template (schemas/stcrm-request-templates.json,
// generated) that passes its own JSON Schema AND the client's checks, and whose `optional` list
// names real optional fields.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildRequest } from '../../../src/api/client';
import { CRM_OPERATION_LIST, CRM_OPERATIONS, isCrmOperationId } from '../../../src/api/schemas/operations';
import { checkRequestFile, parseRequestFile, ruleProblems } from '../../../src/requests/requestFile';
import { loadTemplates, parseTemplates, templateText, TEMPLATES_FILE, type RequestTemplate, type RequestTemplates } from '../../../src/requests/templates';
import { REQUEST_SCHEMA, validate, type Json } from './draft07';
import { takesReference, withoutReference } from './samples';

const ROOT = path.resolve(__dirname, '../../../..');
const TEXT = fs.readFileSync(path.join(ROOT, TEMPLATES_FILE), 'utf8');
const TEMPLATES = parseTemplates(TEXT);

function templateOf(id: string): RequestTemplate {
  if (!isCrmOperationId(id)) throw new Error(`not an operation: ${id}`);
  const template = TEMPLATES[id];
  if (!template) throw new Error(`no template for ${id}`);
  return template;
}

type Node = { [key: string]: Json };
const defs = REQUEST_SCHEMA.definitions as Node;

/** The schema node a `body.a[].b` / `query.x` key of `optional` names, following $ref, allOf, oneOf and items. */
function schemaAt(id: string, key: string): { parent: Node; name: string } | undefined {
  const branch = (REQUEST_SCHEMA.allOf as Node[]).find(
    (c) => ((c.if as Node).properties as Node).operation && (((c.if as Node).properties as Node).operation as Node).const === id,
  );
  const props = (branch?.then as Node).properties as Node;
  const [where, ...rest] = key.split('.');
  let node: Node | undefined = where === 'query' ? (props.query as Node) : where === 'body' ? (props.body as Node) : undefined;
  const deref = (n: Node | undefined): Node | undefined => {
    let x = n;
    for (;;) {
      if (!x) return undefined;
      if (typeof x.$ref === 'string') x = defs[x.$ref.slice('#/definitions/'.length)] as Node;
      else if (Array.isArray(x.allOf) && x.allOf.length === 1) x = x.allOf[0] as Node;
      else if (Array.isArray(x.oneOf)) x = (x.oneOf as Node[]).find((s) => s.type !== 'null');
      else if (takesReference(x)) x = withoutReference(x);
      else return x;
    }
  };
  let parent: Node | undefined;
  let name = '';
  for (const part of rest) {
    const array = part.endsWith('[]');
    name = array ? part.slice(0, -2) : part;
    parent = deref(node);
    node = (parent?.properties as Node | undefined)?.[name] as Node | undefined;
    if (array) node = deref(node)?.items as Node | undefined;
    if (!node) return undefined;
  }
  return parent ? { parent, name } : undefined;
}

void describe('request-file templates', () => {
  void it('exist for all 86 operations, each under its own operationId', () => {
    assert.equal(CRM_OPERATION_LIST.length, 86);
    assert.deepEqual(Object.keys(TEMPLATES).sort(), CRM_OPERATION_LIST.map((op) => op.operationId).sort());
  });

  void it('pass the client checks (buildRequest) for every operation', () => {
    for (const op of CRM_OPERATION_LIST) {
      const t = templateOf(op.operationId);
      assert.doesNotThrow(() => buildRequest(CRM_OPERATIONS[t.operation], { path: t.path, query: t.query, body: t.body }), `${op.operationId}`);
    }
  });

  void it('pass the request-file JSON Schema for every operation (optional list included)', () => {
    for (const op of CRM_OPERATION_LIST) {
      const t = templateOf(op.operationId);
      assert.deepEqual(validate(JSON.parse(templateText(t))), [], op.operationId);
    }
  });

  void it('parse as request files with no problems, rules included', () => {
    for (const op of CRM_OPERATION_LIST) {
      const text = templateText(templateOf(op.operationId));
      const parsed = parseRequestFile(text);
      assert.ok(parsed.ok, op.operationId);
      assert.deepEqual(checkRequestFile(text), [], op.operationId);
      assert.deepEqual(ruleProblems(text), [], op.operationId);
    }
  });

  void it('fill what is required with typed placeholders that suit the overlay rules', () => {
    const contact = templateOf('Customers_CreateContact');
    assert.deepEqual(contact.path, { id: 1 });
    assert.deepEqual(contact.body, { type: 'Phone', value: '(555) 123-4567' });
    const relationship = templateOf('Contacts_CreateContactRelationship');
    assert.deepEqual(relationship.path, { contactId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', relatedEntityId: 1, typeSlug: 'customer' });
    const customer = templateOf('Customers_Create');
    const body = customer.body as { name: string; locations: unknown[] };
    assert.equal(body.locations.length, 1, 'the overlay asks for at least one location');
    assert.notEqual(body.name.trim(), '');
    assert.equal(customer.optional?.['body.locations[].contacts'], 'array of Crm.V2.Customers.NewCustomerContact or null');
    assert.equal(customer.optional?.['body.address.unit'], 'string or null');
    const list = templateOf('Customers_GetList');
    assert.equal(list.query, undefined, 'no required query parameters, so no query');
    assert.equal(list.optional?.['query.pageSize'], 'integer (int32)');
    assert.match(list.optional?.['query.sort'] ?? '', /\+Id, -Id/);
    assert.equal(templateOf('Customers_Get').body, undefined);
    assert.deepEqual(templateOf('Customers_Update').body, {}, 'a body with nothing required is an empty object');
    // A follow-up needs a date: the placeholder is one the client and the schema accept.
    assert.deepEqual(templateOf('Leads_CreateFollowUp').body, { followUpDate: '2026-01-01T09:00:00Z' });
  });

  void it('list only fields that exist and are optional there', () => {
    for (const op of CRM_OPERATION_LIST) {
      for (const key of Object.keys(templateOf(op.operationId).optional ?? {})) {
        assert.match(key, /^(query|body)\./, `${op.operationId}: ${key}`);
        if (key.endsWith('[]')) continue;
        const found = schemaAt(op.operationId, key);
        assert.ok(found, `${op.operationId}: ${key} is not in the schema`);
        assert.ok(!((found.parent.required ?? []) as string[]).includes(found.name), `${op.operationId}: ${key} is required`);
      }
    }
  });

  void it('print with keys in the order operation, path, query, body, optional, 2-space indented', () => {
    const text = templateText({
      optional: { 'body.memo': 'string' },
      body: { type: 'Phone', value: '(555) 123-4567' },
      path: { id: 1 },
      operation: 'Customers_CreateContact',
    });
    assert.equal(
      text,
      `{\n  "operation": "Customers_CreateContact",\n  "path": {\n    "id": 1\n  },\n  "body": {\n    "type": "Phone",\n    "value": "(555) 123-4567"\n  },\n  "optional": {\n    "body.memo": "string"\n  }\n}\n`,
    );
    assert.deepEqual(Object.keys(JSON.parse(templateText(templateOf('Customers_Create'))) as object), ['operation', 'body', 'optional']);
  });

  void it('are read from the extension root once, and a broken file is refused', async () => {
    const first: RequestTemplates = await loadTemplates(ROOT);
    assert.equal(await loadTemplates(ROOT), first);
    assert.ok(first.Customers_Get);
    await assert.rejects(loadTemplates(path.join(ROOT, 'no-such-folder')), /ENOENT/);
    assert.throws(() => parseTemplates(JSON.stringify({ templates: { Customers_Get: { operation: 'Customers_Get', extra: 1 } } })), /not a templates file/);
    assert.throws(() => parseTemplates(JSON.stringify({ templates: { Customers_Get: { operation: 'Customers_Update' } } })), /is for Customers_Update/);
    assert.throws(() => parseTemplates(JSON.stringify({ templates: { Nope: { operation: 'Nope' } } })), /not a templates file/);
  });
});
