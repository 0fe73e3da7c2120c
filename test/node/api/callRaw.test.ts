// client.call and client.callRaw over real loopback HTTP: the sandbox for real answers, tiny
// loopback servers for answers the sandbox never gives (a 200 of the wrong shape, not JSON).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CrmClient } from '../../../src/api/client';
import { RequestValidationError } from '../../../src/api/errors';
import { startClientFixture, type ClientFixture } from './operationsHarness';
import { caught, fakeApi, fakeTransport } from './transportHarness';

void describe('client.call', () => {
  let fx: ClientFixture;
  before(async () => {
    fx = await startClientFixture();
  });
  after(async () => {
    await fx.close();
  });

  void it('sends any operation by its operationId, typed from the table', async () => {
    const page = await fx.client.call('Customers_GetList', { query: { pageSize: 2, includeTotal: true, active: 'Any' } });
    assert.equal(page.data.length, 2);
    assert.equal(page.totalCount, 30);
    const first = page.data[0];
    assert.ok(first);
    const one = await fx.client.call('Customers_Get', { path: { id: first.id } });
    assert.equal(one.name, first.name);
    const contact = await fx.client.call('Contacts_Create', { body: { name: 'Call Test' } });
    assert.equal(contact.name, 'Call Test');
  });

  void it('checks the input first and sends nothing when it does not fit', async () => {
    fx.sb.resetStats();
    const error = await caught(() => fx.client.call('Customers_Get', { path: { id: -1 } }));
    assert.ok(error instanceof RequestValidationError);
    assert.deepEqual(
      error.issues.map((i) => `${i.location}:${i.field}`),
      ['path:id'],
    );
    const bodyError = await caught(() => fx.client.call('Contacts_Create', { body: { name: 'x', nickname: 'y' } as never }));
    assert.ok(bodyError instanceof RequestValidationError);
    assert.deepEqual(
      bodyError.issues.map((i) => i.field),
      ['nickname'],
    );
    assert.equal(fx.sb.stats().apiRequests, 0);
  });
});

void describe('client.callRaw', () => {
  let fx: ClientFixture;
  before(async () => {
    fx = await startClientFixture();
  });
  after(async () => {
    await fx.close();
  });

  void it('returns a 200 with its status, headers, body text, parsed JSON, the schema verdict and timings', async () => {
    const raw = await fx.client.callRaw('Customers_GetList', { query: { pageSize: 1 } });
    assert.equal(raw.status, 200);
    assert.equal(raw.operationId, 'Customers_GetList');
    assert.equal(raw.method, 'GET');
    assert.match(raw.url, /\/crm\/v2\/tenant\/1000\/customers\?pageSize=1$/);
    assert.match(raw.headers['content-type'] ?? '', /application\/json/);
    assert.deepEqual(raw.json, JSON.parse(raw.text));
    assert.ok(raw.check?.ok);
    if (raw.check?.ok) assert.equal(raw.check.value.data.length, 1);
    assert.equal(raw.timings.attempts, 1);
    assert.ok(raw.timings.totalMs >= raw.timings.responseMs && raw.timings.responseMs > 0);
    assert.equal(raw.problem, undefined);
  });

  void it('returns an error status with its problem details instead of throwing', async () => {
    const raw = await fx.client.callRaw('Customers_Get', { path: { id: 999_999_999 } });
    assert.equal(raw.status, 404);
    assert.equal(raw.check, undefined);
    assert.equal(raw.problem?.status, 404);
    assert.match(raw.problem?.traceId ?? '', /\w/);
    const bad = await fx.client.callRaw('Customers_CreateContact', { path: { id: 999_999_999 }, body: { type: 'Email', value: 'a@example.com' } });
    assert.equal(bad.status, 404);
  });

  void it('still refuses input that does not fit, before sending', async () => {
    const error = await caught(() => fx.client.callRaw('Customers_GetList', { query: { pageSize: 0 } }));
    assert.ok(error instanceof RequestValidationError);
  });

  void it('keeps secrets out of the URL, headers and body it returns', async () => {
    const server = await fakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': 'fake-app-key' });
      res.end(JSON.stringify({ page: 1, pageSize: 1, hasMore: false, data: [], note: 'token fake-token-abc123 and secret fake-secret' }));
    });
    const { transport } = fakeTransport(server.environment);
    try {
      const raw = await new CrmClient(transport).callRaw('Customers_GetList', {});
      for (const secret of ['fake-app-key', 'fake-token-abc123', 'fake-secret']) {
        assert.equal(`${raw.url} ${JSON.stringify(raw.headers)} ${raw.text} ${JSON.stringify(raw.json)}`.includes(secret), false, `${secret} leaked`);
      }
    } finally {
      await transport.close();
      await server.close();
    }
  });

  void it('reports a 200 of the wrong shape, and one that is not JSON, rather than throwing', async () => {
    let body = JSON.stringify({ page: 1, pageSize: 50, hasMore: 'no', data: [{ id: 'x' }] });
    const server = await fakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const { transport } = fakeTransport(server.environment);
    try {
      const client = new CrmClient(transport);
      const wrong = await client.callRaw('Customers_GetList', {});
      assert.equal(wrong.status, 200);
      assert.equal(wrong.check?.ok, false);
      if (wrong.check && !wrong.check.ok)
        assert.ok(
          wrong.check.issues.some((i) => i.field === 'hasMore'),
          JSON.stringify(wrong.check.issues),
        );
      // The same answer through call() is a ResponseShapeError.
      await assert.rejects(client.call('Customers_GetList', {}), /does not have the expected shape/);

      body = '{"page": 1, "data": [';
      const cut = await client.callRaw('Customers_GetList', {});
      assert.equal(cut.json, undefined);
      assert.match(cut.jsonError ?? '', /not valid JSON/);
      assert.equal(cut.check?.ok, false);
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
