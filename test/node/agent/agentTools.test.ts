// The agent tools' one implementation (src/agent/) against the sandbox over real loopback HTTP:
// input checked field by field (nothing sent), reads as compact bounded results, a write prepared
// with its exact calls and a fingerprint, run through runWrite: resume after a failed step, a lost
// answer looked for again instead of sent twice, problem details field by field with the trace ID.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CrmClient } from '../../../src/api/client';
import type { CrmTransport } from '../../../src/api/transport';
import { prepareToolCall, WriteSessions, type PreparedToolCall, type PreparedWrite, type WriteRunner } from '../../../src/agent/agentTools';
import { findCustomersInput, TOOL_DESCRIPTIONS } from '../../../src/agent/toolInputs';
import type { AgentToolName } from '../../../src/agent/toolNames';
import { resultTexts, type ToolResult } from '../../../src/agent/toolResults';
import { runWrite, type WriteConnection } from '../../../src/writes/engine';
import { connect, sandbox, type Sandbox } from '../api/transportHarness';

void describe('the agent tools', () => {
  let sb: Sandbox;
  let transport: CrmTransport;
  let client: CrmClient;
  let connection: WriteConnection;
  let customerId: number;
  let sessions: WriteSessions;
  const writes: string[] = [];
  const runner: WriteRunner = (plan, options) =>
    runWrite(connection, plan, { confirm: () => Promise.resolve(false), publish: () => Promise.resolve() }, options);

  before(async () => {
    sb = await sandbox({
      customers: 10,
      log: (line) => {
        if (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line)) writes.push(line.replace(/ -> .*$/, ''));
      },
    });
    transport = connect(sb).transport;
    client = new CrmClient(transport);
    connection = { profile: { id: 'p1', name: 'Test', tenant: sb.tenant, production: false }, client, describe: (request) => transport.describe(request) };
    const first = (await client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(first);
    customerId = first.id;
  });
  after(async () => {
    await transport.close();
    await sb.close();
  });
  beforeEach(() => {
    sb.faults.clear();
    writes.length = 0;
    sessions = new WriteSessions();
  });

  const prepare = (tool: AgentToolName, input: unknown, writesRefused?: string): PreparedToolCall =>
    prepareToolCall(tool, input, { connection, sessions, writesRefused });
  const answer = (prepared: PreparedToolCall): ToolResult => {
    assert.equal(prepared.kind, 'answer');
    return prepared.result;
  };
  const read = async (tool: AgentToolName, input: unknown): Promise<ToolResult> => {
    const prepared = prepare(tool, input);
    assert.equal(prepared.kind, 'read');
    return prepared.run();
  };
  const write = (tool: AgentToolName, input: unknown): PreparedWrite => {
    const prepared = prepare(tool, input);
    assert.equal(prepared.kind, 'write', prepared.kind === 'answer' ? prepared.result.text : '');
    return prepared.write;
  };

  void it('refuses input that does not fit its schema, field by field, before looking anything up', () => {
    const result = answer(prepare('stcrm_createContact', { name: 7, contactMethods: [{ type: 'Pager', value: 'x' }], extra: true }));
    assert.equal(result.isError, true);
    assert.deepEqual(
      (result.data as { fieldErrors: { field: string }[] }).fieldErrors.map((error) => error.field),
      ['name', 'contactMethods[0].type', 'extra'],
    );
    assert.match(result.text, /^stcrm_createContact was not run: its input does not fit\. Fix these fields/);
    assert.match(answer(prepare('stcrm_getCustomer', { customerId: '12' })).text, /- customerId: /);
    assert.match(answer(prepare('stcrm_callOperation', { operation: 'Nope' })).text, /- operation: /);
  });

  void it('says what to fix in the words of the input: path keys and ids, whole numbers, a blank name, __proto__ keys', async () => {
    const fields = (result: ToolResult): string[] =>
      (result.data as { fieldErrors: { field: string; message: string }[] }).fieldErrors.map((error) => `${error.field}: ${error.message}`);
    const byText = await read('stcrm_callOperation', { operation: 'Customers_Get', path: { id: String(customerId) } });
    assert.equal(byText.isError, undefined, byText.text);
    assert.equal((byText.data as { id: number }).id, customerId);
    assert.deepEqual(fields(answer(prepare('stcrm_callOperation', { operation: 'Customers_Get', path: { customerId } }))), [
      'path.customerId: Unknown path key customerId; this operation takes id.',
    ]);
    assert.deepEqual(fields(answer(prepare('stcrm_findCustomers', { pageSize: 2.5 }))), ['pageSize: Enter a whole number.']);
    assert.deepEqual(fields(answer(prepare('stcrm_getCustomer', { customerId: '12' }))), ['customerId: Enter a number, not text (12, not "12").']);
    assert.deepEqual(fields(answer(prepare('stcrm_createContact', { name: '  ' }))), ["name: name is required: enter the person's name."]);
    const hidden = JSON.parse('{"operation":"Customers_GetList","path":{"__proto__":{"id":1}},"query":{"__proto__":"x","pageSize":1}}') as unknown;
    assert.deepEqual(fields(answer(prepare('stcrm_callOperation', hidden))).sort(), [
      'path.__proto__: Unknown key __proto__: no input or CRM field has this name; leave it out.',
      'query.__proto__: Unknown key __proto__: no input or CRM field has this name; leave it out.',
    ]);
    assert.deepEqual(writes, []);
  });

  void it('stcrm_callOperation checks with the client schemas first: a body that does not fit is never sent', () => {
    const result = answer(
      prepare('stcrm_callOperation', { operation: 'Customers_CreateContact', path: { id: customerId }, body: { type: 'Email', value: 'x' } }),
    );
    assert.deepEqual((result.data as { fieldErrors: unknown[] }).fieldErrors, [
      { field: 'body.value', message: 'Enter an email address like name@example.com' },
    ]);
    assert.match(answer(prepare('stcrm_callOperation', {})).text, /- operation: /);
    assert.deepEqual(writes, []);
  });

  void it('stcrm_callOperation reads: the JSON answer, a page note, and a 404 as problem details with the trace ID', async () => {
    const page = await read('stcrm_callOperation', { operation: 'Customers_GetList', query: { pageSize: 2 } });
    assert.match(page.text, /^GET Customers_GetList: HTTP 200 OK in \d+ ms\. Page 1 holds 2 items\. There are more: call again with query\.page = 2\.$/);
    assert.equal((page.data as { data: unknown[] }).data.length, 2);
    const missing = await read('stcrm_callOperation', { operation: 'Customers_Get', path: { id: 99_999_999 } });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /^GET Customers_Get: ServiceTitan answered HTTP 404 Not Found: /);
    assert.match(missing.text, /Trace ID: \S+/);
    const invalid = await read('stcrm_callOperation', { operation: 'Customers_Get', path: { id: 'abc' } });
    assert.match(invalid.text, /nothing was sent, because the input does not fit Customers_Get/);
    assert.match(invalid.text, /- path\.id: /);
  });

  void it('stcrm_getCustomer says how to read the rest of a cut list, and following it gives exactly the records not shown', async () => {
    const customer = (await client.listCustomers({ pageSize: 1, page: 2 })).data[0];
    assert.ok(customer);
    const existing = (await client.allCustomerContacts(customer.id)).length;
    for (let index = existing; index < 25; index++)
      await client.createCustomerContact(customer.id, { type: 'Phone', value: `555010${String(index).padStart(4, '0')}` });
    const all = (await client.allCustomerContacts(customer.id)).map((contact) => contact.id);
    assert.equal(all.length, 25);
    const result = await read('stcrm_getCustomer', { customerId: customer.id });
    const shown = (result.data as { phonesAndEmails: { id: number }[] }).phonesAndEmails.map((row) => row.id);
    assert.equal(shown.length, 10);
    const hint = /Phones and e-mails: 10 shown of 25; the rest with stcrm_callOperation (\{.*?\}), then page 3, 4 … while hasMore/.exec(result.text);
    assert.ok(hint?.[1], result.text);
    const input = JSON.parse(hint[1]) as { operation: string; path: Record<string, number>; query: Record<string, number> };
    const rest: number[] = [];
    for (let page = input.query.page ?? 2; ; page++) {
      const next = await read('stcrm_callOperation', { ...input, query: { ...input.query, page } });
      const body = next.data as { data: { id: number }[]; hasMore: boolean };
      rest.push(...body.data.map((row) => row.id));
      if (!body.hasMore) break;
    }
    assert.deepEqual([...shown, ...rest], all, 'every record once, none skipped');
  });

  void it('stcrm_findCustomers matches name as its description says: a piece of the name in any case, not words in any order', async () => {
    const customer = (await client.listCustomers({ pageSize: 50 })).data.find((row) => /^\S+ \S+$/.test(row.name));
    assert.ok(customer, 'a seeded customer with a two-word name');
    const ids = async (name: string): Promise<number[]> =>
      ((await read('stcrm_findCustomers', { name, pageSize: 50 })).data as { customers: { id: number }[] }).customers.map((row) => row.id);
    const [first = '', second = ''] = customer.name.split(' ');
    assert.ok((await ids(customer.name.slice(1, -1).toUpperCase())).includes(customer.id));
    assert.ok(!(await ids(`${second} ${first}`)).includes(customer.id));
    const described = `${TOOL_DESCRIPTIONS.stcrm_findCustomers.modelDescription} ${String(findCustomersInput.shape.name.description)}`;
    assert.match(described, /as one piece/);
    assert.doesNotMatch(described, /words the (customer )?name contains/i);
  });

  void it('stcrm_findCustomers by e-mail finds the customer of the person with that address', async () => {
    const people = await client.allContactsByRelatedEntity(customerId);
    const person = people[0];
    assert.ok(person);
    const email = `agent-${Date.now().toString(36)}@example.com`;
    await client.createContactMethod(person.id, { type: 'Email', value: email });
    const found = await read('stcrm_findCustomers', { email });
    assert.deepEqual(
      (found.data as { customers: { id: number }[] }).customers.map((row) => row.id),
      [customerId],
    );
    const none = await read('stcrm_findCustomers', { email: 'nobody@example.com' });
    assert.match(none.text, /^No customer has a person with the e-mail address nobody@example.com/);
    assert.match((await read('stcrm_findCustomers', { phone: 'call me' })).text, /- phone: Enter a phone number/);
  });

  void it('a write is prepared with its exact calls and a fingerprint; nothing is sent until it runs', async () => {
    const input = { name: 'Avery Tool', customerId, contactMethods: [{ type: 'Email', value: 'avery@example.com' }] };
    const prepared = write('stcrm_createContact', input);
    assert.deepEqual(
      prepared.confirmation.calls.map((call) => `${call.method} ${call.url.replace(sb.url, '')} ${call.body ?? ''}`.trim()),
      [
        `POST /crm/v2/tenant/${sb.tenant}/contacts {"name":"Avery Tool"}`,
        `POST /crm/v2/tenant/${sb.tenant}/contacts/{contactId}/relationships/${customerId}/customer`,
        `POST /crm/v2/tenant/${sb.tenant}/contacts/{contactId}/contact-methods {"type":"Email","value":"avery@example.com"}`,
      ],
    );
    assert.equal(write('stcrm_createContact', input).fingerprint, prepared.fingerprint, 'the same request, the same fingerprint');
    assert.notEqual(write('stcrm_createContact', { ...input, name: 'Avery Tool 2' }).fingerprint, prepared.fingerprint);
    assert.deepEqual(writes, []);
    const done = await prepared.run(runner, { productionConfirmed: false });
    assert.match(done.text, /^Created Avery Tool for customer #\d+ with 1 contact method\. The new contact's id is /);
    assert.equal(writes.length, 3);
  });

  void it('a step that fails leaves what was done: the same call continues from that step, and the person is made once', async () => {
    sb.faults.add({ kind: 'error5xx', method: 'POST', path: '^/contacts/[^/]+/contact-methods$', status: 500, count: 1 });
    const input = { name: 'Jordan Resume', customerId, contactMethods: [{ type: 'Phone', value: '555-010-7777' }] };
    const failed = await write('stcrm_createContact', input).run(runner, { productionConfirmed: false });
    assert.equal(failed.isError, true);
    assert.match(failed.text, /Adding contact method 1 .*HTTP 500/s);
    assert.match(
      failed.text,
      /Already done: created Jordan Resume \(.+\), linked it to customer #\d+\. Running it again continues from the step that failed\./,
    );
    // The second call lists only what is left, with the new contact's id in the URL.
    const again = write('stcrm_createContact', input);
    assert.deepEqual(
      again.confirmation.calls.map((call) => call.operationId),
      ['ContactMethods_CreateContactMethod'],
    );
    assert.doesNotMatch(again.confirmation.calls[0]?.url ?? '', /\{contactId\}/);
    const done = await again.run(runner, { productionConfirmed: false });
    assert.match(done.text, /^Created Jordan Resume/);
    assert.equal(writes.filter((line) => line === `POST /crm/v2/tenant/${sb.tenant}/contacts`).length, 1, writes.join('\n'));
    assert.equal((await client.allContacts({ name: 'Jordan Resume' })).length, 1);
  });

  void it('after a lost answer, the same call looks again and sends nothing; found means it was made', async () => {
    sb.faults.add({ kind: 'truncate', method: 'POST', path: '^/contacts$', count: 1 });
    const input = { name: 'Lost Answer Person' };
    const lost = await write('stcrm_createContact', input).run(runner, { productionConfirmed: false });
    assert.equal(lost.isError, true);
    assert.match(lost.text, /the answer was lost .* so it may have been created\. Found 1 that may be it/s);
    assert.match(lost.text, /calling stcrm_createContact again with the same input looks again first and sends nothing/);
    const before = writes.length;
    const again = await write('stcrm_createContact', input).run(runner, { productionConfirmed: false });
    assert.match(again.text, /^stcrm_createContact: nothing was sent again\. The earlier call was received: found Lost Answer Person/);
    assert.equal(writes.length, before, 'nothing sent');
    assert.equal((await client.allContacts({ name: 'Lost Answer Person' })).length, 1);
  });

  void it('refuses writes when the surface says so, and still reads', () => {
    const refused = answer(prepare('stcrm_callOperation', { operation: 'Contacts_Create', body: { name: 'X' } }, 'writes are off here'));
    assert.equal(refused.text, 'stcrm_callOperation was not run, and nothing was sent: Contacts_Create changes data, and writes are off here.');
    assert.equal(answer(prepare('stcrm_createContact', { name: 'X' }, 'writes are off here')).isError, true);
    assert.equal(prepare('stcrm_callOperation', { operation: 'Customers_Get', path: { id: customerId } }, 'writes are off here').kind, 'read');
    assert.deepEqual(writes, []);
  });

  void it('a server problem on a write comes back field by field, placed in the tool input', async () => {
    // A customer contact that already exists is refused by the sandbox as a duplicate (problem details with errors).
    const [existing] = await client.allCustomerContacts(customerId);
    assert.ok(existing);
    const result = await write('stcrm_callOperation', {
      operation: 'Customers_CreateContact',
      path: { id: customerId },
      body: { type: existing.type, value: existing.value },
    }).run(runner, { productionConfirmed: false });
    assert.equal(result.isError, true, result.text);
    assert.match(result.text, /^POST Customers_CreateContact: ServiceTitan answered HTTP (400|409)/);
    assert.match(result.text, /Trace ID: /);
    const texts = resultTexts(result, []);
    assert.equal(texts.length, 2);
    assert.ok((JSON.parse(texts[1] ?? '') as { traceId?: string }).traceId);
  });
});
