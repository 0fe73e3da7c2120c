/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies */
// Export change feeds: read to the end, each change exactly once, nothing new until the next change.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { assertProblem, assertSpec, readFeed, withSandbox, type Client, type Json } from './helpers';

interface Feed {
  data: Json[];
  token: string;
  pages: number;
}

/** A feed read to its end, every page checked against `def`. */
async function readToEnd(c: Client, p: string, def: string, from?: string): Promise<Feed> {
  const feed = await readFeed(c, p, from, { definition: def });
  return { data: feed.rows, token: feed.continueFrom, pages: feed.pages };
}

const ids = (rows: Json[]): number[] => rows.map((r: Json) => r.id as number);
const unique = (xs: number[]): boolean => new Set(xs).size === xs.length;

void describe('sandbox export feeds', () => {
  void test('customers: seeded records once in modifiedOn order, then each API change once; caught-up feed stays empty', async () => {
    const { sb, c } = await withSandbox();
    try {
      const first = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse');
      assert.equal(first.data.length, 40);
      assert.ok(unique(ids(first.data)));
      const times = first.data.map((x: Json) => Date.parse(x.modifiedOn as string));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'seeded records in modifiedOn order',
      );
      const again = await c.get(`/export/customers?from=${first.token}`);
      assert.deepEqual([again.body.hasMore, again.body.data], [false, []]);
      assert.equal(again.body.continueFrom, first.token, 'the token stays put while nothing changes');

      const created = await c.post('/customers', {
        name: 'Feed Co',
        address: { street: '1 Feed St', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
        locations: [{ name: 'Feed HQ', address: { street: '1 Feed St', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' } }],
      });
      assert.equal(created.status, 200, created.text);
      assert.equal((await c.patch('/customers/10000005', { name: 'Renamed Once' })).status, 200);
      assert.equal((await c.patch('/customers/10000005', { name: 'Renamed Twice' })).status, 200);
      assert.equal((await c.post('/customers/10000006/tags/115')).status, 200);
      const rejected = await c.patch('/customers/10000007', { name: '' });
      assert.equal(rejected.status, 400);
      const next = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse', first.token);
      assert.deepEqual(ids(next.data), [created.body.id, 10_000_005, 10_000_006], 'each changed record once, at its latest change');
      assert.equal(next.data[1].name, 'Renamed Twice');
      assert.ok(next.data[2].tagTypeIds.includes(115));
      const none = await c.get(`/export/customers?from=${encodeURIComponent(next.token)}&includeRecentChanges=true`);
      assert.deepEqual([none.body.hasMore, none.body.data], [false, []]);

      // The full feed from the start: every customer exactly once, changed ones after the seeded ones.
      const full = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse');
      assert.equal(full.data.length, 41);
      assert.ok(unique(ids(full.data)));
      assert.deepEqual(ids(full.data).slice(-3), [created.body.id, 10_000_005, 10_000_006]);
    } finally {
      await sb.close();
    }
  });

  void test('contacts feed pages; changes made while paging show up exactly once; deletes come back inactive', async () => {
    const { sb, c } = await withSandbox();
    try {
      const all = (await c.get('/customers/contacts?pageSize=5000')).body.data as Json[];
      assert.ok(all.length > 50, 'more seeded contacts than one export page');
      const page1 = await c.get('/export/customers/contacts');
      assertSpec(page1.body, 'ExportResponse_Of_Crm.V2.ExportCustomerContactResponse');
      assert.equal(page1.body.hasMore, true);
      const seen = ids(page1.body.data as Json[]);
      const read = all.find((x: Json) => seen.includes(x.id as number));
      const unread = all.find((x: Json) => !seen.includes(x.id as number) && x.type === 'Email');
      const gone = all.find((x: Json) => !seen.includes(x.id as number) && x.id !== unread.id);
      assert.equal((await c.patch(`/customers/${read.customerId}/contacts/${read.id}`, { memo: 'changed after read' })).status, 200);
      assert.equal((await c.patch(`/customers/${unread.customerId}/contacts/${unread.id}`, { value: 'moved@example.com' })).status, 200);
      assert.equal((await c.del(`/customers/${gone.customerId}/contacts/${gone.id}`)).status, 200);
      const rest = await readToEnd(
        c,
        '/export/customers/contacts',
        'ExportResponse_Of_Crm.V2.ExportCustomerContactResponse',
        page1.body.continueFrom as string,
      );
      assert.ok(rest.pages >= 1);
      const restIds = ids(rest.data);
      assert.ok(unique(restIds), 'no contact twice after the first page');
      assert.equal(restIds.filter((x) => x === read.id).length, 1, 'a contact changed after it was read comes again, once');
      assert.equal(
        rest.data
          .filter((x: Json) => x.id === unread.id)
          .map((x: Json) => x.value)
          .join(),
        'moved@example.com',
      );
      const tomb = rest.data.filter((x: Json) => x.id === gone.id);
      assert.deepEqual(
        tomb.map((x: Json) => [x.active, x.customerId]),
        [[false, gone.customerId]],
      );
      const everything = new Set([...seen, ...restIds]);
      for (const x of all) assert.ok(everything.has(x.id as number), `contact ${String(x.id)} was never exported`);
      assert.deepEqual((await c.get(`/export/customers/contacts?from=${encodeURIComponent(rest.token)}`)).body.data, []);
    } finally {
      await sb.close();
    }
  });

  void test('locations and location contacts feeds follow POST/PATCH /locations and contact writes', async () => {
    const { sb, c } = await withSandbox();
    try {
      const locs = await readToEnd(c, '/export/locations', 'ExportResponse_Of_Crm.V2.ExportLocationsResponse');
      assert.ok(unique(ids(locs.data)));
      const lcs = await readToEnd(c, '/export/locations/contacts', 'ExportResponse_Of_Crm.V2.ExportLocationContactResponse');
      assert.ok(unique(ids(lcs.data)));
      const address = { street: '5 Export Ave', city: 'Mesa', state: 'AZ', zip: '85201', country: 'USA' };
      const loc = await c.post('/locations', { customerId: 10_000_002, name: 'Export Site', address, contacts: [{ type: 'Phone', value: '4805550100' }] });
      assert.equal(loc.status, 200, loc.text);
      assert.equal((await c.patch('/locations/30000004', { name: 'Patched Site' })).status, 200);
      const newLocs = await readToEnd(c, '/export/locations', 'ExportResponse_Of_Crm.V2.ExportLocationsResponse', locs.token);
      assert.deepEqual(ids(newLocs.data), [loc.body.id, 30_000_004]);
      const newContacts = await readToEnd(c, '/export/locations/contacts', 'ExportResponse_Of_Crm.V2.ExportLocationContactResponse', lcs.token);
      assert.deepEqual(
        newContacts.data.map((x: Json) => [x.id, x.locationId, x.active]),
        [[loc.body.contacts[0].id, loc.body.id, true]],
      );
    } finally {
      await sb.close();
    }
  });

  void test('from: a date means "modified on or after"; a bad token is 400 keyed from', async () => {
    const { sb, c } = await withSandbox();
    try {
      const all = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse');
      const cut = '2022-01-01';
      const since = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse', cut);
      const expected = all.data.filter((x: Json) => Date.parse(x.modifiedOn as string) >= Date.parse(cut)).map((x: Json) => x.id as number);
      assert.deepEqual(ids(since.data), expected);
      assert.ok(expected.length > 0 && expected.length < all.data.length);
      assert.deepEqual((await c.get('/export/customers?from=2100-01-01')).body.data, []);
      for (const bad of ['garbage', 'cf1.!!', 'cf1.OTk5OTk5LjAuMA', '2020-13-45', '-1']) {
        assert.deepEqual(Object.keys(assertProblem(await c.get(`/export/customers?from=${encodeURIComponent(bad)}`), 400)), ['from'], bad);
      }
      assertProblem(await c.get('/export/locations?from=nope'), 400);
    } finally {
      await sb.close();
    }
  });

  void test('continuation tokens and changes survive a restart with --data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sandbox-export-'));
    const file = path.join(dir, 'crm.json');
    try {
      let { sb, c } = await withSandbox({ dataFile: file });
      assert.equal((await c.patch('/customers/10000003', { name: 'Before Restart' })).status, 200);
      const end = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse');
      await sb.close();
      ({ sb, c } = await withSandbox({ dataFile: file }));
      try {
        assert.deepEqual((await c.get(`/export/customers?from=${encodeURIComponent(end.token)}`)).body.data, []);
        assert.equal((await c.patch('/customers/10000004', { name: 'After Restart' })).status, 200);
        const next = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse', end.token);
        assert.deepEqual(ids(next.data), [10_000_004]);
        const full = await readToEnd(c, '/export/customers', 'ExportResponse_Of_Crm.V2.ExportCustomerResponse');
        assert.deepEqual(ids(full.data).slice(-2), [10_000_003, 10_000_004]);
        assert.equal(full.data.length, 40);
      } finally {
        await sb.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  void test('stays cheap with 100 000 seeded customers', async () => {
    const { sb, c } = await withSandbox({ customers: 100_000, seed: 3 });
    try {
      await c.token();
      const t0 = Date.now();
      const first = await c.get('/export/customers');
      assert.equal(first.body.data.length, 50);
      const second = await c.get(`/export/customers?from=${encodeURIComponent(first.body.continueFrom as string)}`);
      assert.equal(second.body.data.length, 50);
      assert.ok(!ids(second.body.data).some((x) => ids(first.body.data).includes(x)));
      const contacts = await c.get('/export/customers/contacts');
      assert.equal(contacts.body.data.length, 50);
      const ms = Date.now() - t0;
      assert.ok(ms < 3000, `first export pages took ${ms} ms`);
    } finally {
      await sb.close();
    }
  });
});
