// PagedList against the sandbox over loopback HTTP: appends in place, shares in-flight loads,
// ends exactly, never shows an item twice. One case uses a lying loader (hasMore forever).
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ContactMethod, Customer } from '../../../src/api/schemas';
import { PagedList } from '../../../src/tree/pagedList';
import { startClientFixture, type ClientFixture } from '../api/operationsHarness';

void describe('PagedList', () => {
  let fx: ClientFixture;
  before(async () => {
    fx = await startClientFixture(237);
  });
  after(() => fx.close());

  const customers = (pageSize: number) =>
    new PagedList<Customer>(
      (page, size) => fx.client.listCustomers({ page, pageSize: size, includeTotal: true }),
      () => pageSize,
      (c) => String(c.id),
    );

  void test('pages to the end with the exact total, in server order', async () => {
    const list = customers(50);
    let pages = 0;
    while (list.hasMore) {
      await list.loadNext();
      pages += 1;
    }
    const total = list.totalCount;
    assert.ok(total !== undefined && total > 150);
    assert.equal(list.items.length, total);
    assert.equal(pages, Math.ceil(total / 50));
    const ids = list.items.map((c) => c.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    await list.loadNext(); // a load after the end is a no-op
    assert.equal(list.items.length, total);
  });

  void test('concurrent loads share one request', async () => {
    const list = customers(20);
    fx.sb.resetStats();
    await Promise.all([list.loadNext(), list.loadNext(), list.loadNext()]);
    assert.equal(fx.sb.stats().apiRequests, 1);
    assert.equal(list.items.length, 20);
  });

  void test('a failed load keeps what was loaded and can be retried', async () => {
    const list = customers(10);
    await list.loadNext();
    fx.sb.faults.add({ kind: 'error5xx', status: 500, path: '/customers', count: 1 });
    await assert.rejects(list.loadNext(), /500|Internal/i);
    assert.equal(list.items.length, 10);
    assert.ok(list.hasMore);
    await list.loadNext();
    assert.equal(list.items.length, 20);
    assert.equal(new Set(list.items.map((c) => c.id)).size, 20);
  });

  void test('an included item shows once, counts once, and is not repeated when its page arrives', async () => {
    const list = customers(100);
    await list.loadNext();
    const last = (await fx.client.listCustomers({ page: 3, pageSize: 100 })).data.at(-1);
    assert.ok(last);
    list.include(last);
    assert.equal(list.items.at(-1)?.id, last.id);
    while (list.hasMore) await list.loadNext();
    assert.equal(list.items.filter((c) => c.id === last.id).length, 1);
    assert.equal(list.items.length, list.totalCount);
  });

  void test('remove drops an item and counts it out of the total', async () => {
    const list = customers(10);
    await list.loadNext();
    const total = list.totalCount ?? 0;
    const first = list.items[0];
    assert.ok(first);
    assert.equal(list.remove(String(first.id)), true);
    assert.equal(list.remove(String(first.id)), false);
    assert.equal(list.totalCount, total - 1);
    assert.ok(!list.items.some((c) => c.id === first.id));
  });

  void test('a delete before Load more skips no row (the server moved the later rows up)', async () => {
    const person = await fx.client.createContact({ name: 'Many Methods' });
    for (let i = 0; i < 25; i++) await fx.client.createContactMethod(person.id, { type: 'Email', value: `m${i}@example.com` });
    const list = new PagedList<ContactMethod>(
      (page, size) => fx.client.listContactMethods(person.id, { page, pageSize: size, includeTotal: true }),
      () => 10,
      (m) => m.id,
    );
    await list.loadNext();
    await list.loadNext();
    const victim = list.items[3];
    assert.ok(victim);
    await fx.client.deleteContactMethod(person.id, victim.id);
    assert.equal(list.remove(victim.id), true);
    while (list.hasMore) await list.loadNext();
    const server = (await fx.client.allContactMethods(person.id)).map((m) => m.id);
    assert.equal(server.length, 24);
    assert.deepEqual(
      list.items.map((m) => m.id),
      server,
      'every remaining row once, in order',
    );
  });

  void test('paging ends against a server that says hasMore forever with empty pages', async () => {
    let calls = 0;
    const list = new PagedList<number>(
      (page) => {
        calls += 1;
        return Promise.resolve({ page, pageSize: 2, hasMore: true, data: page === 1 ? [1, 2] : [] });
      },
      () => 2,
      String,
    );
    for (let i = 0; i < 10 && list.hasMore; i++) await list.loadNext();
    assert.equal(list.hasMore, false);
    assert.equal(calls, 2);
    assert.deepEqual(list.items, [1, 2]);
  });
});
