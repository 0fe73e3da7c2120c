/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withSandbox, type Json } from './helpers';

void describe('sandbox scale and determinism', () => {
  void test('100 000 customers start in a few seconds and serve the first page quickly', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = Date.now();
    const { sb, c } = await withSandbox({ customers: 100_000, seed: 3 });
    try {
      const startMs = Date.now() - t0;
      assert.ok(startMs < 3000, `start took ${startMs} ms`);
      await c.token();
      const t1 = Date.now();
      const first = await c.get('/customers');
      const firstMs = Date.now() - t1;
      assert.equal(first.body.data.length, 50);
      assert.ok(firstMs < 500, `first page took ${firstMs} ms`);
      const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
      assert.ok(heapMb < 100, `heap grew ${heapMb.toFixed(1)} MB`);

      const last = await c.get('/customers?sort=-Id&active=Any&pageSize=1');
      assert.equal(last.body.data[0].id, 10_000_000 + 99_999);
      const t2 = Date.now();
      const total = await c.get('/customers?active=Any&includeTotal=true&pageSize=1');
      assert.equal(total.body.totalCount, 100_000);
      const name = (first.body.data[3].name as string).split(' ')[0] as string;
      const byName = await c.get(`/customers?name=${encodeURIComponent(name)}&pageSize=5&includeTotal=true`);
      assert.ok(byName.body.totalCount > 1);
      assert.ok(Date.now() - t2 < 3000, 'full scans stay interactive');
      const deep = await c.get('/customers?page=1500&pageSize=50');
      assert.equal(deep.body.data.length, 50);
      const contacts = await c.get(`/customers/${10_000_000 + 77_777}/contacts`);
      assert.equal(contacts.status, 200);
      const people = await c.get('/contacts/relationships/10077777');
      assert.ok(people.body.data.length >= 1);
    } finally {
      await sb.close();
    }
  });

  void test('same seed gives the same data; another seed gives different data', async () => {
    const grab = async (seed: number): Promise<Json> => {
      const { sb, c } = await withSandbox({ customers: 30, seed });
      try {
        const customers = (await c.get('/customers?active=Any&pageSize=30')).body.data as Json[];
        const contacts = (await c.get('/contacts?pageSize=100')).body.data as Json[];
        const methods = (await c.get(`/contacts/${contacts[0].id as string}/contact-methods`)).body.data as Json[];
        const cc = (await c.get('/customers/10000002/contacts')).body.data as Json[];
        return { customers, contacts, methods, cc };
      } finally {
        await sb.close();
      }
    };
    const a = await grab(11);
    assert.deepEqual(await grab(11), a);
    const b = await grab(12);
    assert.notDeepEqual(b.customers, a.customers);
    const residential = (a.customers as Json[]).filter((x: Json) => x.type === 'Residential').length;
    assert.ok(residential > 0 && residential < 30, 'mix of residential and commercial');
    assert.ok(new Set((a.contacts as Json[]).map((x: Json) => x.id)).size === a.contacts.length, 'unique GUIDs');
  });
});
