import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancelledError } from '../../../src/api/errors';
import { iterateItems, iteratePages, type PageFetcher } from '../../../src/api/paging';
import type { CrmTransport } from '../../../src/api/transport';
import { caught, connect, customerPage, fakeApi, fakeTransport, sandbox, type Sandbox } from './transportHarness';

type Customer = { id: number; name: string };

/** A fetcher over the transport with the typed page schema (what the operations module will do). */
function customersFetcher(transport: CrmTransport, extra: Record<string, string> = {}): PageFetcher<Customer> {
  return (query, signal) =>
    transport.send({ operationId: 'Customers_GetList', method: 'GET', path: '/customers', query: { ...query, ...extra }, response: customerPage, signal });
}

void describe('paging against a server that never stops saying hasMore', () => {
  void it('stops at maxPages, on an empty page and at totalCount', async () => {
    let mode: 'full' | 'empty' | 'total' = 'full';
    const api = await fakeApi((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const page = Number(url.searchParams.get('page'));
      const pageSize = Number(url.searchParams.get('pageSize'));
      const data = mode === 'empty' && page > 3 ? [] : Array.from({ length: pageSize }, (_, i) => ({ id: page * 1000 + i, name: `c${i}` }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ page, pageSize, hasMore: true, totalCount: mode === 'total' ? 25 : null, data }));
    });
    try {
      const { transport } = fakeTransport(api.environment);
      let pages = 0;
      for await (const page of iteratePages(customersFetcher(transport), { pageSize: 10, maxPages: 7 })) {
        pages++;
        assert.equal(page.data.length, 10);
      }
      assert.equal(pages, 7, 'maxPages is a hard stop');

      mode = 'empty';
      pages = 0;
      for await (const _page of iteratePages(customersFetcher(transport), { pageSize: 10 })) pages++;
      assert.equal(pages, 4, 'an empty page ends the walk');

      mode = 'total';
      let items = 0;
      for await (const _item of iterateItems(customersFetcher(transport), { pageSize: 10, includeTotal: true })) items++;
      assert.equal(items, 30, 'stops once totalCount items were seen (3 pages of 10 for a total of 25)');
      await transport.close();
    } finally {
      await api.close();
    }
  });

  void it('stops with CancelledError when the signal aborts between pages', async () => {
    const api = await fakeApi((req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ page, pageSize: 1, hasMore: true, data: [{ id: page, name: 'x' }] }));
    });
    try {
      const { transport } = fakeTransport(api.environment);
      const controller = new AbortController();
      let pages = 0;
      const error = await caught(async () => {
        for await (const _page of iteratePages(customersFetcher(transport), { pageSize: 1, signal: controller.signal })) {
          if (++pages === 3) controller.abort();
        }
      });
      assert.ok(error instanceof CancelledError);
      assert.equal(pages, 3);
      await transport.close();
    } finally {
      await api.close();
    }
  });
});

void describe('paging 1,000 sandbox customers', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox({ customers: 1000 });
  });
  after(async () => {
    await sb.close();
  });

  for (const pageSize of [100, 37]) {
    void it(`pages to the end with exact counts (pageSize ${pageSize})`, async () => {
      sb.resetStats();
      const { transport } = connect(sb);
      const ids = new Set<number>();
      let pages = 0;
      let last = 0;
      for await (const page of iteratePages(customersFetcher(transport, { active: 'Any' }), { pageSize, includeTotal: true })) {
        pages++;
        assert.equal(page.page, pages);
        assert.equal(page.totalCount, 1000);
        for (const customer of page.data) ids.add(customer.id);
        last = page.data.length;
      }
      assert.equal(ids.size, 1000, 'every customer once');
      assert.equal(pages, Math.ceil(1000 / pageSize));
      assert.equal(last, 1000 - (pages - 1) * pageSize);
      assert.equal(sb.stats().apiRequests, pages, 'one call per page');
      assert.equal(sb.stats().tokenRequests, 1);
      await transport.close();
    });
  }

  void it('survives faults while paging (retries are invisible to the iterator)', async () => {
    sb.faults.add({ kind: 'error5xx', path: '/customers', status: 503, rate: 0.3, count: 5 });
    sb.faults.add({ kind: 'reset', path: '/customers', rate: 0.3, count: 3 });
    const { transport } = connect(sb, { maxRetries: 10 });
    let count = 0;
    for await (const _customer of iterateItems(customersFetcher(transport, { active: 'Any' }), { pageSize: 200 })) count++;
    assert.equal(count, 1000);
    sb.faults.clear();
    await transport.close();
  });
});
