// Creates whose outcome is unknown: the errors say so, nothing repeats them, and recovery finds
// what the sandbox really made. Real loopback HTTP against the sandbox, no mocked fetch.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CrmClient } from '../../../src/api/client';
import { customEnvironment } from '../../../src/api/environments';
import { NetworkError, TimeoutError } from '../../../src/api/errors';
import { findPossiblyCreated, RecoveryNotSupportedError } from '../../../src/api/recovery';
import type { CrmTransport } from '../../../src/api/transport';
import { caught, connect, sandbox, type Sandbox } from './transportHarness';

const MAY_HAVE_BEEN_CREATED = /may have been created\. Check before you send it again\./;

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function assertUnknownOutcome(error: Error, record: string): void {
  assert.ok(error instanceof NetworkError || error instanceof TimeoutError, `${error.name}: ${error.message}`);
  assert.equal(error.outcomeUnknown, true, error.message);
  assert.match(error.message, new RegExp(`the ${record} ${MAY_HAVE_BEEN_CREATED.source}`, 'i'));
  assert.doesNotMatch(error.message, /try again/i);
}

let counter = 0;
/** A 10-digit phone number no seeded record uses, as digits. */
function uniqueDigits(): string {
  counter++;
  return `555${String(Date.now() % 10_000).padStart(4, '0')}${String(counter).padStart(3, '0')}`;
}
function dotted(digits: string): string {
  return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}`;
}
function bracketed(digits: string): string {
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

void describe('a POST whose outcome is unknown', () => {
  let sb: Sandbox;
  let transport: CrmTransport;
  let client: CrmClient;

  before(async () => {
    sb = await sandbox();
    transport = connect(sb).transport;
    client = new CrmClient(transport);
    // Fetch the token now, so the stats below count API calls only.
    await client.listCustomers({ pageSize: 1 });
  });
  after(async () => {
    await transport.close();
    await sb.close();
  });

  void it('truncate: the contact exists, the error says so, the POST went out once, and recovery finds exactly it', async () => {
    const name = `Truncated ${uniqueDigits()}`;
    // count 2: the rule left with count 1 proves the POST matched it exactly once.
    sb.faults.add({ kind: 'truncate', method: 'POST', path: '/contacts', count: 2 });
    sb.resetStats();
    const since = new Date();
    const error = await caught(() => client.createContact({ name }));
    assert.equal(sb.stats().apiRequests, 1, 'sent exactly once, never repeated');
    assert.deepEqual(
      sb.faults.list().map((rule) => rule.count),
      [1],
    );
    sb.faults.clear();

    assert.ok(error instanceof NetworkError, `${error.name}: ${error.message}`);
    assertUnknownOutcome(error, 'contact');
    assert.match(error.message, /^POST \/contacts was sent, but the connection was closed before a complete answer arrived \(UND_ERR_SOCKET\)/);

    const made = (await client.allContacts({ name })).filter((contact) => contact.name === name);
    assert.equal(made.length, 1, 'the handler ran before the body was cut off');
    const found = await findPossiblyCreated(client, 'Contacts_Create', { body: { name } }, { since });
    assert.deepEqual(
      found.map((candidate) => candidate.record.id),
      [made[0]?.id],
    );
    assert.match(found[0]?.reason ?? '', /same name/);
  });

  void it('truncate with a referenceId: recovery matches by referenceId and ignores look-alikes', async () => {
    const name = `Ref ${uniqueDigits()}`;
    const referenceId = `ext-${uniqueDigits()}`;
    const since = new Date();
    await client.createContact({ name, referenceId: `${referenceId}-other` });
    await client.createContact({ name, title: 'Owner' });
    sb.faults.add({ kind: 'truncate', method: 'POST', path: '/contacts', count: 1 });
    assertUnknownOutcome(await caught(() => client.createContact({ name, referenceId })), 'contact');

    const found = await findPossiblyCreated(client, 'Contacts_Create', { body: { name, referenceId } }, { since });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.record.referenceId, referenceId);
    assert.match(found[0]?.reason ?? '', /reference ID/);
    // Without a referenceId, only the one with the same name, no title and no referenceId would match: none here.
    assert.deepEqual(await findPossiblyCreated(client, 'Contacts_Create', { body: { name } }, { since }), []);
  });

  void it('reset: the handler never ran, so nothing exists and recovery returns []', async () => {
    const name = `Reset ${uniqueDigits()}`;
    sb.faults.add({ kind: 'reset', method: 'POST', path: '/contacts', count: 1 });
    sb.resetStats();
    const since = new Date();
    const error = await caught(() => client.createContact({ name }));
    assert.equal(sb.stats().apiRequests, 1);
    assertUnknownOutcome(error, 'contact');
    assert.ok(error instanceof NetworkError && ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(error.code ?? ''), String(error));

    assert.deepEqual(
      (await client.allContacts({ name })).map((contact) => contact.name),
      [],
    );
    assert.deepEqual(await findPossiblyCreated(client, 'Contacts_Create', { body: { name } }, { since }), []);
  });

  void it('timeout: TimeoutError with outcomeUnknown; the sandbox still runs the handler after its delay, and recovery finds the contact', async () => {
    const name = `Slow ${uniqueDigits()}`;
    sb.faults.add({ kind: 'latency', method: 'POST', path: '/contacts', latencyMs: 600, count: 1 });
    sb.resetStats();
    const since = new Date();
    const started = Date.now();
    const error = await caught(() => client.createContact({ name }, { timeoutMs: 100 }));
    assert.ok(Date.now() - started < 500, 'the client gave up at its timeout');
    assert.ok(error instanceof TimeoutError, `${error.name}: ${error.message}`);
    assert.equal(error.timeoutMs, 100);
    assertUnknownOutcome(error, 'contact');
    assert.match(error.message, /^POST \/contacts was sent, but ServiceTitan did not answer within 0\.1 s/);
    assert.equal(sb.stats().apiRequests, 1);

    // Right after the timeout the sandbox is still sleeping: not created yet.
    assert.deepEqual(await findPossiblyCreated(client, 'Contacts_Create', { body: { name } }, { since }), []);
    // Then it runs the handler anyway, although the client has hung up.
    let found = await findPossiblyCreated(client, 'Contacts_Create', { body: { name } }, { since });
    for (let i = 0; i < 40 && found.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      found = await findPossiblyCreated(client, 'Contacts_Create', { body: { name } }, { since });
    }
    assert.equal(found.length, 1, 'the sandbox created the contact after the client timed out');
    assert.equal(found[0]?.record.name, name);
    assert.equal(sb.stats().apiRequests > 1, true);
    assert.equal((await client.allContacts({ name })).length, 1, 'and only once');
  });

  void it('ECONNREFUSED: nothing was sent, outcomeUnknown is false', async () => {
    // Tokens from the sandbox, API calls to a port nobody listens on.
    const port = await closedPort();
    const refused = connect(sb, { environment: customEnvironment(`http://127.0.0.1:${port}`, `${sb.url}/connect/token`) }).transport;
    const error = await caught(() => new CrmClient(refused).createContact({ name: 'Never sent' }));
    await refused.close();
    assert.ok(error instanceof NetworkError, `${error.name}: ${error.message}`);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /connection was refused \(ECONNREFUSED\)/);
  });

  void it('a GET that fails the same ways is not outcomeUnknown and keeps its messages', async () => {
    const once = connect(sb, { maxRetries: 0 }).transport;
    const reader = new CrmClient(once);
    for (const kind of ['truncate', 'reset'] as const) {
      sb.faults.add({ kind, method: 'GET', path: '/contacts', count: 1 });
      const error = await caught(() => reader.listContacts({ pageSize: 5 }));
      assert.ok(error instanceof NetworkError, `${kind}: ${error.name}: ${error.message}`);
      assert.equal(error.outcomeUnknown, false, kind);
      assert.match(error.message, /closed before a complete answer arrived.*try again/, kind);
    }
    sb.faults.add({ kind: 'latency', method: 'GET', path: '/contacts', latencyMs: 400, count: 1 });
    const timeout = await caught(() => reader.listContacts({ pageSize: 5 }, { timeoutMs: 100 }));
    assert.ok(timeout instanceof TimeoutError, `${timeout.name}: ${timeout.message}`);
    assert.equal(timeout.outcomeUnknown, false);
    assert.match(timeout.message, /did not answer within 0\.1 s.*try again/);
    await once.close();
  });

  void it('Customers_CreateContact with truncate: recovery finds the phone, even written differently', async () => {
    const customerId = (await client.listCustomers({ pageSize: 1 })).data[0]?.id ?? 0;
    const digits = uniqueDigits();
    const body = { type: 'Phone' as const, value: bracketed(digits), memo: 'office' };
    sb.faults.add({ kind: 'truncate', method: 'POST', path: `/customers/${customerId}/contacts`, count: 1 });
    sb.resetStats();
    const since = new Date();
    assertUnknownOutcome(await caught(() => client.createCustomerContact(customerId, body)), 'customer contact');
    assert.equal(sb.stats().apiRequests, 1);

    const made = (await client.allCustomerContacts(customerId)).filter((contact) => contact.value.replace(/\D/g, '') === digits);
    assert.equal(made.length, 1);
    const found = await findPossiblyCreated(
      client,
      'Customers_CreateContact',
      { path: { id: customerId }, body: { ...body, value: dotted(digits) } },
      { since },
    );
    assert.deepEqual(
      found.map((candidate) => candidate.record.id),
      [made[0]?.id],
    );
    assert.match(found[0]?.reason ?? '', /by digits/);
    // A different memo is a different contact.
    assert.deepEqual(
      await findPossiblyCreated(client, 'Customers_CreateContact', { path: { id: customerId }, body: { ...body, memo: 'home' } }, { since }),
      [],
    );
  });

  void it('Locations_CreateContact with truncate: recovery finds it', async () => {
    const locationId = (await client.listLocations({ pageSize: 1 })).data[0]?.id ?? 0;
    const digits = uniqueDigits();
    const body = { type: 'MobilePhone' as const, value: dotted(digits) };
    sb.faults.add({ kind: 'truncate', method: 'POST', path: `/locations/${locationId}/contacts`, count: 1 });
    sb.resetStats();
    const since = new Date();
    assertUnknownOutcome(await caught(() => client.createLocationContact(locationId, body)), 'location contact');
    assert.equal(sb.stats().apiRequests, 1);

    const found = await findPossiblyCreated(
      client,
      'Locations_CreateContact',
      { path: { id: locationId }, body: { ...body, value: bracketed(digits) } },
      { since },
    );
    assert.equal(found.length, 1);
    assert.equal(found[0]?.record.value.replace(/\D/g, ''), digits);
    assert.equal(found[0]?.record.type, 'MobilePhone');
  });

  void it('ContactMethods_CreateContactMethod with truncate: recovery finds it by contact, type, digits, memo and referenceId', async () => {
    const contact = await client.createContact({ name: `Methods ${uniqueDigits()}` });
    const digits = uniqueDigits();
    const body = { type: 'Phone' as const, value: bracketed(digits), memo: 'desk', referenceId: `m-${digits}` };
    // An older look-alike without the referenceId must not match.
    await client.createContactMethod(contact.id, { type: 'Phone', value: dotted(digits), memo: 'desk' });
    sb.faults.add({ kind: 'truncate', method: 'POST', path: `/contacts/${contact.id}/contact-methods`, count: 1 });
    sb.resetStats();
    const since = new Date();
    assertUnknownOutcome(await caught(() => client.createContactMethod(contact.id, body)), 'contact method');
    assert.equal(sb.stats().apiRequests, 1);

    const found = await findPossiblyCreated(
      client,
      'ContactMethods_CreateContactMethod',
      { path: { contactId: contact.id }, body: { ...body, value: dotted(digits) } },
      { since },
    );
    assert.equal(found.length, 1);
    assert.equal(found[0]?.record.referenceId, body.referenceId);
    assert.equal(found[0]?.record.contactId, contact.id);
  });

  void it('Contacts_CreateContactRelationship with truncate: recovery finds the relationship', async () => {
    const contact = await client.createContact({ name: `Related ${uniqueDigits()}` });
    const customerId = (await client.listCustomers({ pageSize: 2 })).data[1]?.id ?? 0;
    const path = { contactId: contact.id, relatedEntityId: customerId, typeSlug: 'customer' };
    const since = new Date();
    assert.deepEqual(await findPossiblyCreated(client, 'Contacts_CreateContactRelationship', { path }, { since }), []);
    sb.faults.add({ kind: 'truncate', method: 'POST', path: `/contacts/${contact.id}/relationships`, count: 1 });
    sb.resetStats();
    assertUnknownOutcome(await caught(() => client.createContactRelationship(contact.id, customerId, 'customer')), 'relationship');
    assert.equal(sb.stats().apiRequests, 1);

    const found = await findPossiblyCreated(client, 'Contacts_CreateContactRelationship', { path }, { since });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.record.relatedEntityId, customerId);
    assert.equal(found[0]?.record.typeSlug, 'customer');
  });

  void it('other operations: recovery says it is not supported', async () => {
    const error = await caught(() => findPossiblyCreated(client, 'Customers_Update', { path: { id: 1 }, body: {} }, { since: new Date() }));
    assert.ok(error instanceof RecoveryNotSupportedError, `${error.name}: ${error.message}`);
    assert.match(error.message, /Customers_Update .*not supported/);
  });
});
