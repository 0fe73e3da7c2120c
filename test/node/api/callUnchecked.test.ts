// client.callUnchecked over real loopback HTTP: the input goes out as written (a suite step's
// `"check": false`), answered raw; only what cannot be one URL is refused, before anything is sent.
// And the write pipeline's unchecked step: previewed for the production confirmation as it will go.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RequestValidationError } from '../../../src/api/errors';
import { runWrite, type WriteConfirmation } from '../../../src/writes/engine';
import { operationPlan } from '../../../src/writes/recordPlans';
import { startClientFixture, type ClientFixture } from './operationsHarness';
import { caught } from './transportHarness';

void describe('client.callUnchecked', () => {
  let fx: ClientFixture;
  /** Request lines the sandbox logged (method and path as received). */
  const lines: string[] = [];
  let customerId: number;

  before(async () => {
    fx = await startClientFixture(5, { log: (line) => lines.push(line.replace(/ -> .*$/, '')) });
    const first = (await fx.client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(first);
    customerId = first.id;
  });
  after(async () => {
    await fx.close();
  });
  beforeEach(() => {
    lines.length = 0;
  });

  void it('sends a body the request schema refuses, and answers with what the server said', async () => {
    const body = { type: 'Email', value: 'not-an-email' };
    await assert.rejects(fx.client.callRaw('Customers_CreateContact', { path: { id: customerId }, body: body as never }), RequestValidationError);
    assert.deepEqual(lines, [], 'the checked call sent nothing');
    const raw = await fx.client.callUnchecked('Customers_CreateContact', { path: { id: customerId }, body });
    assert.equal(raw.status, 400);
    assert.deepEqual(Object.keys(raw.problem?.errors ?? {}), ['Value']);
    assert.equal(lines.length, 1);
  });

  void it('sends unknown fields, a body where none is taken, and query parameters the operation does not have', async () => {
    const raw = await fx.client.callUnchecked('Customers_Get', {
      path: { id: String(customerId) },
      query: { zzUnknown: 'x y', ids: [1, 2] },
      body: { extra: true },
    });
    assert.equal(raw.status, 200);
    assert.ok(raw.check?.ok, 'a 2xx answer is still checked against the response schema');
    assert.match(lines[0] ?? '', new RegExp(`^GET /crm/v2/tenant/${fx.sb.tenant}/customers/${customerId}\\?`));
    assert.match(lines[0] ?? '', /zzUnknown=x(%20|\+)y/);
    assert.match(lines[0] ?? '', /ids=1(,|%2C)2/);
  });

  void it('keeps each path value one URL segment, and refuses what no URL can carry before sending', async () => {
    const slash = await fx.client.callUnchecked('Contacts_Get', { path: { id: 'a/b?c#d' } });
    assert.equal(slash.status, 400, 'the sandbox says the id is not a GUID: it got the whole value as the id');
    assert.equal(lines[0], `GET /crm/v2/tenant/${fx.sb.tenant}/contacts/a%2Fb%3Fc%23d`);
    lines.length = 0;
    for (const id of ['..', '.', '', 'half \ud800', { nested: 1 }, undefined]) {
      const error = await caught(() => fx.client.callUnchecked('Contacts_Get', { path: { id } }));
      assert.ok(error instanceof RequestValidationError, `${JSON.stringify(id)}: ${error.message}`);
      assert.deepEqual(
        error.issues.map((issue) => `${issue.location}:${issue.field}`),
        ['path:id'],
      );
    }
    const query = await caught(() => fx.client.callUnchecked('Customers_GetList', { query: { name: { $gt: 'a' } } }));
    assert.ok(query instanceof RequestValidationError);
    assert.deepEqual(
      query.issues.map((issue) => `${issue.location}:${issue.field}`),
      ['query:name'],
    );
    assert.deepEqual(lines, [], 'nothing was sent');
  });

  void it('runs as a write step: the production confirmation shows the unchecked body as it will be sent', async () => {
    const asked: WriteConfirmation[] = [];
    const connection = {
      profile: { id: 'p', name: 'Live', tenant: fx.sb.tenant, production: true },
      client: fx.client,
      describe: (request: Parameters<typeof fx.transport.describe>[0]) => fx.transport.describe(request),
    };
    const hooks = {
      confirm: (confirmation: WriteConfirmation) => {
        asked.push(confirmation);
        return Promise.resolve(true);
      },
      publish: () => Promise.resolve(),
    };
    const outcome = await runWrite(
      connection,
      operationPlan('Customers_CreateContact', { path: { id: customerId }, body: { type: 'Email', value: 'nope' } }, { unchecked: true }),
      hooks,
    );
    assert.equal(outcome.status, 'done');
    assert.equal(outcome.status === 'done' ? outcome.result.status : 0, 400);
    assert.deepEqual(
      asked.map((confirmation) => confirmation.calls.map((call) => `${call.method} ${call.url} ${call.body ?? ''}`)),
      [[`POST ${fx.sb.url}/crm/v2/tenant/${fx.sb.tenant}/customers/${customerId}/contacts {"type":"Email","value":"nope"}`]],
    );
  });
});
