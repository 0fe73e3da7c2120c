// Each CrmClient method sends exactly the operation the table says (operationId, method, path,
// scope), with a recording requester: no HTTP, so this pins the client to the table on its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as z from 'zod';
import { CrmClient } from '../../../src/api/client';
import type { CrmRequest, CrmRequester } from '../../../src/api/request';
import { CRM_OPERATION_LIST, guid, int64Id, relationshipTypeSlug } from '../../../src/api/schemas';

const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const ADDRESS = { street: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: 'USA' };

/** A minimal valid body for each operation that takes one. */
const BODIES: Record<string, unknown> = {
  Customers_Create: { name: 'A', address: ADDRESS, locations: [{ name: 'Home', address: ADDRESS }] },
  Customers_Update: { name: 'B' },
  Customers_CreateContact: { type: 'Email', value: 'a@example.com' },
  Customers_UpdateContact: { memo: 'm' },
  Contacts_Create: { name: 'C' },
  Contacts_Update: { isArchived: false },
  Contacts_Replace: { isArchived: false },
  ContactMethods_CreateContactMethod: { type: 'Phone', value: '555 123 4567' },
  ContactMethods_UpsertContactMethod: { type: 'Fax', value: '555 123 4567' },
  ContactMethods_UpdateContactMethod: { memo: 'm' },
  Locations_CreateContact: { type: 'Email', value: 'l@example.com' },
  Locations_UpdateContact: { memo: 'm' },
};

class Recorder implements CrmRequester {
  readonly sent: CrmRequest<unknown>[] = [];
  send<T>(request: CrmRequest<T>): Promise<T> {
    this.sent.push(request);
    return Promise.resolve(undefined as T);
  }
}

function sampleFor(schema: z.ZodType, index: number): unknown {
  if (schema === guid) return GUID;
  if (schema === int64Id) return 10_000_000 + index;
  if (schema === relationshipTypeSlug) return 'customer';
  throw new Error('unknown path parameter schema');
}

type ClientMethod = (...args: unknown[]) => Promise<unknown>;

/** The convenience methods of CrmClient and the operation each sends (every other one goes through `call`). */
const CLIENT_METHODS: Record<string, string> = {
  Customers_GetList: 'listCustomers',
  Customers_Get: 'getCustomer',
  Customers_Create: 'createCustomer',
  Customers_Update: 'updateCustomer',
  Customers_GetContactList: 'listCustomerContacts',
  Customers_CreateContact: 'createCustomerContact',
  Customers_UpdateContact: 'updateCustomerContact',
  Customers_DeleteContact: 'deleteCustomerContact',
  Contacts_GetList: 'listContacts',
  Contacts_Get: 'getContact',
  Contacts_Create: 'createContact',
  Contacts_Update: 'updateContact',
  Contacts_Replace: 'replaceContact',
  Contacts_DeleteContact: 'deleteContact',
  Contacts_GetContactRelationshipList: 'listContactRelationships',
  Contacts_CreateContactRelationship: 'createContactRelationship',
  Contacts_DeleteContactRelationship: 'deleteContactRelationship',
  Contacts_GetByRelationshipId: 'listContactsByRelatedEntity',
  ContactMethods_GetContactMethods: 'listContactMethods',
  ContactMethods_GetContactMethod: 'getContactMethod',
  ContactMethods_CreateContactMethod: 'createContactMethod',
  ContactMethods_UpsertContactMethod: 'upsertContactMethod',
  ContactMethods_UpdateContactMethod: 'updateContactMethod',
  ContactMethods_DeleteContactMethod: 'deleteContactMethod',
  Locations_GetList: 'listLocations',
  Locations_Get: 'getLocation',
  Locations_GetContactList: 'listLocationContacts',
  Locations_CreateContact: 'createLocationContact',
  Locations_UpdateContact: 'updateLocationContact',
  Locations_DeleteContact: 'deleteLocationContact',
};
const hasQuery = (op: (typeof CRM_OPERATION_LIST)[number]): boolean => Object.keys(op.query.shape).length > 0;

void describe('CrmClient methods against the operations table', () => {
  for (const op of CRM_OPERATION_LIST.filter((o) => CLIENT_METHODS[o.operationId])) {
    const clientMethod = CLIENT_METHODS[op.operationId] ?? '';
    void it(`${clientMethod} sends ${op.operationId}`, async () => {
      const recorder = new Recorder();
      const client = new CrmClient(recorder);
      const method = (client as unknown as Record<string, ClientMethod>)[clientMethod];
      assert.equal(typeof method, 'function', `CrmClient has no ${clientMethod}`);

      // Client methods take the path parameters in template order, then the query or the body.
      const names = (op.path.match(/\{(\w+)\}/g) ?? []).map((m) => m.slice(1, -1));
      const args: unknown[] = names.map((name, i) => sampleFor(op.pathParams[name] as z.ZodType, i));
      if (op.body) args.push(BODIES[op.operationId]);
      else if (hasQuery(op)) args.push({ pageSize: 7 });
      const controller = new AbortController();
      args.push({ signal: controller.signal, timeoutMs: 1234 });
      await method?.apply(client, args);

      assert.equal(recorder.sent.length, 1);
      const request = recorder.sent[0];
      assert.ok(request);
      assert.equal(request.operationId, op.operationId);
      assert.equal(request.method, op.method);
      assert.equal(request.scope, op.scope);
      assert.equal(request.response, op.response.schema);
      assert.equal(request.signal, controller.signal);
      assert.equal(request.timeoutMs, 1234);
      let expectedPath = op.path;
      names.forEach((name, i) => (expectedPath = expectedPath.replace(`{${name}}`, String(sampleFor(op.pathParams[name] as z.ZodType, i)))));
      assert.equal(request.path, expectedPath);
      assert.deepEqual(request.body, op.body ? BODIES[op.operationId] : undefined);
      assert.deepEqual(request.query, hasQuery(op) ? { pageSize: 7 } : undefined);
    });
  }

  void it('has a body for every operation that takes one', () => {
    assert.deepEqual(
      Object.keys(BODIES).sort(),
      CRM_OPERATION_LIST.filter((op) => op.body && CLIENT_METHODS[op.operationId])
        .map((op) => op.operationId)
        .sort(),
    );
  });
});
