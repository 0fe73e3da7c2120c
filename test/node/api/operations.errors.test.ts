// How CrmClient failures surface against the real sandbox: server 400/404/409 as ProblemError,
// missing scope as ForbiddenError, our own validation as RequestValidationError with nothing sent,
// plus per-call signal/timeout and paging a large tenant to the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { operationParams } from '../../../src/api/client';
import { CancelledError, ForbiddenError, ProblemError, RequestValidationError, TimeoutError } from '../../../src/api/errors';
import { iteratePages } from '../../../src/api/paging';
import { CRM_OPERATIONS, createCustomerRequest } from '../../../src/api/schemas';
import { ADDRESS, startClientFixture, type ClientFixture } from './operationsHarness';

async function rejection<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

void describe('errors from the sandbox', () => {
  let fx: ClientFixture;
  before(async () => {
    fx = await startClientFixture(30);
  });
  after(async () => {
    await fx.close();
  });

  void it('a 400 is a ProblemError with the field errors and the trace ID', async () => {
    // Valid for our schema (the spec sets no length limit), too long for ServiceTitan.
    const error = await rejection(fx.client.createContact({ name: 'x'.repeat(300), title: 'y'.repeat(150) }), ProblemError);
    assert.equal(error.status, 400);
    assert.match(error.traceId ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const fields = error.fieldErrors.map((f) => f.field).sort();
    assert.deepEqual(fields, ['Name', 'Title']);
    assert.match(error.fieldErrors.find((f) => f.field === 'Name')?.message ?? '', /maximum length of 255/);
  });

  void it('a customer without locations: the document allows it, the overlay refuses it, and so would the server', async () => {
    const body = { name: 'No Locations', address: ADDRESS, locations: [] };
    assert.equal(createCustomerRequest.safeParse(body).success, false);
    const refused = await rejection(fx.client.createCustomer(body), RequestValidationError);
    assert.deepEqual(refused.issues, [{ field: 'locations', message: 'Add at least one service location.', location: 'body', path: ['locations'] }]);

    const op = CRM_OPERATIONS.Customers_Create;
    const sent = await rejection(
      fx.transport.send({ operationId: op.operationId, method: op.method, path: op.path, body, response: op.response.schema, scope: op.scope }),
      ProblemError,
    );
    assert.equal(sent.status, 400);
    assert.ok(
      sent.fieldErrors.some((f) => f.field === 'Locations'),
      JSON.stringify(sent.fieldErrors),
    );
  });

  void it("the server's field errors keep array rows apart and tell route values from body fields", async () => {
    const op = CRM_OPERATIONS.Customers_Create;
    const location = { name: 'Home', address: ADDRESS };
    const body = {
      name: 'Rows',
      address: ADDRESS,
      locations: [location],
      contacts: [
        { type: 'Email', value: 'a@example.com' },
        { type: 'Email', value: 'nope' },
      ],
    };
    const rows = await rejection(
      fx.transport.send({
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        body,
        response: op.response.schema,
        scope: op.scope,
        params: operationParams(op),
      }),
      ProblemError,
    );
    assert.deepEqual(
      rows.fieldErrors.map((f) => [f.location, f.path]),
      [['body', ['Contacts', 1, 'Value']]],
      JSON.stringify(rows.fieldErrors),
    );

    const get = CRM_OPERATIONS.Customers_Get;
    const route = await rejection(
      fx.transport.send({
        operationId: get.operationId,
        method: get.method,
        path: '/customers/abc',
        response: get.response.schema,
        scope: get.scope,
        params: operationParams(get),
      }),
      ProblemError,
    );
    assert.deepEqual(
      route.fieldErrors.map((f) => [f.field, f.location, f.path]),
      [['id', 'path', ['id']]],
      JSON.stringify(route.fieldErrors),
    );
  });

  void it('a 404 is a ProblemError with status 404', async () => {
    const error = await rejection(fx.client.getCustomer(999_999_999), ProblemError);
    assert.equal(error.status, 404);
    assert.ok(error.traceId);
    const contact = await rejection(fx.client.getContact('00000000-0000-0000-0000-000000000001'), ProblemError);
    assert.equal(contact.status, 404);
  });

  void it('a 403 for the read-only client is a ForbiddenError naming the scope', async () => {
    const page = await fx.readOnly.listCustomers({ pageSize: 1 });
    assert.equal(page.data.length, 1);
    const error = await rejection(fx.readOnly.createContact({ name: 'Not allowed' }), ForbiddenError);
    assert.equal(error.requiredScope, 'tn.crm.contacts:w');
    assert.match(error.message, /tn\.crm\.contacts:w/);
    const customer = await rejection(fx.readOnly.updateCustomer(page.data[0]?.id ?? 1, { name: 'x' }), ForbiddenError);
    assert.equal(customer.requiredScope, 'tn.crm.customers:w');
  });

  void it('RequestValidationError names each field and sends nothing', async () => {
    await fx.client.listCustomers({ pageSize: 1 }); // token fetched, so only API calls could change
    const before = fx.sb.stats();

    const email = await rejection(fx.client.createCustomerContact(10_000_001, { type: 'Email', value: 'not-an-address' }), RequestValidationError);
    assert.equal(email.operationId, 'Customers_CreateContact');
    assert.deepEqual(email.issues, [{ field: 'value', message: 'Enter an email address like name@example.com', location: 'body', path: ['value'] }]);
    assert.match(email.message, /value: Enter an email address like name@example\.com/);

    const method = await rejection(
      fx.client.createContactMethod('not-a-guid', { type: 'Pager', value: '12', extra: true } as unknown as Parameters<
        typeof fx.client.createContactMethod
      >[1]),
      RequestValidationError,
    );
    assert.deepEqual(method.issues.map((i) => `${i.location}:${i.field}`).sort(), ['body:extra', 'body:type', 'path:contactId']);

    const phone = await rejection(fx.client.createLocationContact(30_000_000, { type: 'MobilePhone', value: '12345' }), RequestValidationError);
    assert.match(phone.issues[0]?.message ?? '', /mobile number with 10 to 15 digits/);

    const ids = await rejection(fx.client.getCustomer(-5), RequestValidationError);
    assert.deepEqual(
      ids.issues.map((i) => [i.field, i.location, i.path]),
      [['id', 'path', ['id']]],
    );
    await rejection(fx.client.getCustomer(1.5), RequestValidationError);
    await rejection(fx.client.deleteContactRelationship('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 0, 'customer'), RequestValidationError);

    const query = await rejection(fx.client.listCustomers({ pageSize: 10_000, active: 'yes' as 'True', createdBefore: 'yesterday' }), RequestValidationError);
    assert.deepEqual(query.issues.map((i) => i.field).sort(), ['active', 'createdBefore', 'pageSize']);
    assert.ok(
      query.issues.every((i) => i.location === 'query' && i.path.length === 1),
      JSON.stringify(query.issues),
    );

    const patch = await rejection(
      fx.client.updateContact('3f2504e0-4f89-11d3-9a0c-0305e82c3301', { name: 'x' } as Parameters<typeof fx.client.updateContact>[1]),
      RequestValidationError,
    );
    assert.deepEqual(patch.issues, [
      { field: 'isArchived', message: 'Say whether the contact is archived (true or false).', location: 'body', path: ['isArchived'] },
    ]);

    assert.deepEqual(fx.sb.stats(), before);
  });

  void it('path parameters are encoded and validated before they reach the URL', () => {
    const request = fx.client.prepare('Contacts_CreateContactRelationship', {
      path: { contactId: '3F2504E0-4F89-11D3-9A0C-0305E82C3301', relatedEntityId: 10_000_001, typeSlug: 'location' },
    });
    assert.equal(request.path, '/contacts/3F2504E0-4F89-11D3-9A0C-0305E82C3301/relationships/10000001/location');
    assert.equal(request.scope, 'tn.crm.contacts:w');
    assert.throws(() => fx.client.prepare('Customers_Get', { path: { id: '1/../2' } }), RequestValidationError);
    assert.throws(() => fx.client.prepare('Contacts_Get', { path: { id: '../customers' } }), RequestValidationError);
  });

  void it('passes the per-call signal and timeout to the transport', async () => {
    await rejection(fx.client.listCustomers({}, { signal: AbortSignal.abort() }), CancelledError);
    fx.sb.faults.add({ kind: 'latency', latencyMs: 1000, path: '/locations' });
    try {
      const error = await rejection(fx.client.listLocations({}, { timeoutMs: 100 }), TimeoutError);
      assert.equal(error.timeoutMs, 100);
    } finally {
      fx.sb.faults.clear();
    }
  });
});

void describe('paging 1,000 customers', () => {
  let fx: ClientFixture;
  before(async () => {
    fx = await startClientFixture(1000);
  });
  after(async () => {
    await fx.close();
  });

  void it('walks every page to the end with exact counts and totals', async () => {
    fx.sb.resetStats();
    const seen = new Set<number>();
    const pages: { page: number; size: number; hasMore: boolean; total: number | undefined }[] = [];
    const fetchPage = (query: { page: number; pageSize: number; includeTotal?: boolean }, signal?: AbortSignal) =>
      fx.client.listCustomers({ ...query, active: 'Any', sort: '+Id' }, { signal });
    for await (const page of iteratePages(fetchPage, { pageSize: 128, includeTotal: true })) {
      pages.push({ page: page.page, size: page.data.length, hasMore: page.hasMore, total: page.totalCount });
      for (const customer of page.data) seen.add(customer.id);
    }
    assert.equal(seen.size, 1000);
    assert.deepEqual(
      pages.map((p) => p.page),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.deepEqual(
      pages.map((p) => p.size),
      [128, 128, 128, 128, 128, 128, 128, 104],
    );
    assert.deepEqual(
      pages.map((p) => p.hasMore),
      [true, true, true, true, true, true, true, false],
    );
    assert.ok(pages.every((p) => p.total === 1000));
    assert.equal(fx.sb.stats().apiRequests, 8);
  });

  void it('iterate and all helpers give every active customer exactly once', async () => {
    const first = await fx.client.listCustomers({ pageSize: 1, includeTotal: true });
    const active = first.totalCount;
    assert.ok(active !== undefined && active > 800 && active < 1000, `about 10% are inactive, got ${String(active)}`);
    const all = await fx.client.allCustomers({}, { pageSize: 300 });
    assert.equal(all.length, active);
    assert.equal(new Set(all.map((c) => c.id)).size, active);
    assert.ok(all.every((c) => c.active));

    let count = 0;
    for await (const customer of fx.client.iterateCustomers({ active: 'False' }, { pageSize: 5000 })) {
      assert.equal(customer.active, false);
      count++;
    }
    assert.equal(count + active, 1000);
  });

  void it('a page past the end is empty and says there is no more', async () => {
    const page = await fx.client.listCustomers({ page: 3, pageSize: 500, active: 'Any', includeTotal: true });
    assert.deepEqual(page.data, []);
    assert.equal(page.hasMore, false);
    assert.equal(page.totalCount, 1000);
  });
});
