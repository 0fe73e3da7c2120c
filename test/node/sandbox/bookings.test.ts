/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- assertions walk parsed JSON bodies and data files */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index';
import { assertProblem, assertSpec, readFeed, withSandbox, type Client, type Json } from './helpers';

/** Reads an export feed from `from` to its end; fails if it does not end within `maxPages`. */
const MISSING = 99_999_999;
const WEB = 80_000_001;
const MARKET = 80_000_002;
const RETIRED = 80_000_003;

const newBooking = (externalId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  source: 'Website',
  name: 'Fox Mulder',
  summary: 'AC is blowing warm air',
  isFirstTimeClient: true,
  externalId,
  address: { street: '2630 Hegal Pl', unit: 'Apt 42', city: 'Alexandria', state: 'VA', zip: '23242', country: 'USA' },
  contacts: [
    { type: 'MobilePhone', value: '7035550199', memo: 'Cell' },
    { type: 'Email', value: 'fox@example.com' },
  ],
  customerType: 'residential',
  start: '2030-03-04T15:00:00Z',
  campaignId: 2003,
  priority: 'High',
  ...extra,
});

void describe('sandbox booking provider tags', () => {
  let sb: RunningSandbox;
  let c: Client;
  before(async () => {
    ({ sb, c } = await withSandbox());
  });
  after(async () => {
    await sb.close();
  });

  void test('list, filters, get, 404', async () => {
    const r = await c.get('/booking-provider-tags?includeTotal=true');
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.GetBookingProviderTagResponse');
    assert.deepEqual(
      r.body.data.map((t: Json) => [t.id, t.active]),
      [
        [WEB, true],
        [MARKET, true],
        [RETIRED, false],
      ],
    );
    const one = await c.get(`/booking-provider-tags/${WEB}`);
    assertSpec(one.body, 'Crm.V2.GetBookingProviderTagResponse');
    assert.deepEqual(one.body, r.body.data[0]);
    assert.deepEqual(
      (await c.get('/booking-provider-tags?name=widget')).body.data.map((t: Json) => t.id),
      [WEB],
    );
    assert.deepEqual(
      (await c.get(`/booking-provider-tags?ids=${RETIRED},${WEB}`)).body.data.map((t: Json) => t.id),
      [WEB, RETIRED],
    );
    assert.deepEqual(
      (await c.get('/booking-provider-tags?sort=-Id')).body.data.map((t: Json) => t.id),
      [RETIRED, MARKET, WEB],
    );
    assert.equal((await c.get('/booking-provider-tags?createdBefore=2000-01-01')).body.data.length, 0);
    assertProblem(await c.get(`/booking-provider-tags/${MISSING}`), 404);
    assert.ok(assertProblem(await c.get('/booking-provider-tags?sort=Name'), 400).Sort);
  });

  void test('create (409 on a duplicate name), update (400 on a duplicate name)', async () => {
    const r = await c.post('/booking-provider-tags', { tagName: 'Partner Portal', description: 'Bookings from the partner portal' });
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.CreateBookingProviderTagResponse');
    assert.deepEqual([r.body.tagName, r.body.description, r.body.type], ['Partner Portal', 'Bookings from the partner portal', 'V2Api']);
    assert.equal((await c.get(`/booking-provider-tags/${r.body.id as number}`)).body.active, true);

    const before = sb.snapshot();
    assertProblem(await c.post('/booking-provider-tags', { tagName: 'partner portal', description: 'again' }), 409);
    assert.ok(assertProblem(await c.post('/booking-provider-tags', { description: 'no name' }), 400).TagName);
    assert.ok(assertProblem(await c.post('/booking-provider-tags', { tagName: 'X', description: 'd', type: 'V1Api' }), 400)['$.type']);
    assert.equal(sb.snapshot(), before);

    const u = await c.patch(`/booking-provider-tags/${r.body.id as number}`, { description: 'Renamed portal' });
    assert.equal(u.status, 200, u.text);
    assertSpec(u.body, 'Crm.V2.BookingProviderTagResponse');
    assert.deepEqual([u.body.tagName, u.body.description], ['Partner Portal', 'Renamed portal']);
    assert.ok(assertProblem(await c.patch(`/booking-provider-tags/${r.body.id as number}`, { tagName: 'LOCAL SERVICES ADS' }), 400).TagName);
    assert.ok(assertProblem(await c.patch(`/booking-provider-tags/${r.body.id as number}`, { tagName: 5 }), 400)['$.tagName']);
    assertProblem(await c.patch(`/booking-provider-tags/${MISSING}`, { description: 'x' }), 404);
  });
});

void describe('sandbox bookings', () => {
  let sb: RunningSandbox;
  let c: Client;
  before(async () => {
    ({ sb, c } = await withSandbox());
  });
  after(async () => {
    await sb.close();
  });

  void test('tenant list and get: seeded bookings of every provider; filters; 404', async () => {
    const r = await c.get('/bookings?includeTotal=true&pageSize=5000');
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.BookingResponse');
    const all = r.body.data as Json[];
    assert.ok(all.length >= 10);
    assert.deepEqual([...new Set(all.map((b) => b.bookingProviderId))].sort(), [WEB, MARKET, RETIRED]);
    const one = await c.get(`/bookings/${all[0].id as number}`);
    assertSpec(one.body, 'Crm.V2.BookingResponse');
    assert.deepEqual(one.body, all[0]);
    const ext = await c.get(`/bookings?externalId=${encodeURIComponent(all[2].externalId as string)}`);
    assert.deepEqual(
      ext.body.data.map((b: Json) => b.id),
      [all[2].id],
    );
    assert.deepEqual(
      (await c.get('/bookings?sort=-Id&pageSize=3')).body.data.map((b: Json) => b.id),
      all
        .slice(-3)
        .reverse()
        .map((b) => b.id),
    );
    const contacts = await c.get(`/bookings/${all[0].id as number}/contacts`);
    assertSpec(contacts.body, 'PaginatedResponse_Of_Crm.V2.BookingContactResponse');
    assert.ok(contacts.body.data.length >= 1);
    assertProblem(await c.get(`/bookings/${MISSING}`), 404);
    assertProblem(await c.get(`/bookings/${MISSING}/contacts`), 404);
    assert.ok(assertProblem(await c.get('/bookings?ids=a'), 400).Ids);
  });

  void test('provider: create, get, list; another provider sees none of it', async () => {
    const r = await c.post(`/booking-provider/${WEB}/bookings`, newBooking('WEB-1001'));
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.BookingResponse');
    const b = r.body;
    assert.deepEqual(
      [b.status, b.bookingProviderId, b.customerType, b.start, b.priority, b.externalId, b.summary, b.address.unit],
      ['New', WEB, 'Residential', '2030-03-04T15:00:00.000Z', 'High', 'WEB-1001', 'AC is blowing warm air', 'Apt 42'],
    );
    const mine = await c.get(`/booking-provider/${WEB}/bookings/${b.id as number}`);
    assertSpec(mine.body, 'Crm.V2.BookingResponse');
    assert.deepEqual(mine.body, b);
    assert.deepEqual((await c.get(`/bookings/${b.id as number}`)).body, b);
    const contacts = await c.get(`/booking-provider/${WEB}/bookings/${b.id as number}/contacts`);
    assertSpec(contacts.body, 'PaginatedResponse_Of_Crm.V2.BookingContactResponse');
    assert.deepEqual(
      contacts.body.data.map((x: Json) => [x.type, x.value, x.memo]),
      [
        ['MobilePhone', '7035550199', 'Cell'],
        ['Email', 'fox@example.com', ''],
      ],
    );

    const list = await c.get(`/booking-provider/${WEB}/bookings?pageSize=5000`);
    assertSpec(list.body, 'PaginatedResponse_Of_Crm.V2.BookingResponse');
    assert.ok(list.body.data.every((x: Json) => x.bookingProviderId === WEB));
    assert.ok(list.body.data.some((x: Json) => x.id === b.id));
    assert.deepEqual(
      (await c.get(`/booking-provider/${WEB}/bookings?externalId=WEB-1001`)).body.data.map((x: Json) => x.id),
      [b.id],
    );
    assert.ok(!(await c.get(`/booking-provider/${MARKET}/bookings?pageSize=5000`)).body.data.some((x: Json) => x.id === b.id));
    assert.equal((await c.get(`/booking-provider/${MISSING}/bookings`)).body.data.length, 0);

    // Isolation: the other provider gets 404 for everything about this booking.
    assertProblem(await c.get(`/booking-provider/${MARKET}/bookings/${b.id as number}`), 404);
    assertProblem(await c.patch(`/booking-provider/${MARKET}/bookings/${b.id as number}`, { name: 'x' }), 404);
    assertProblem(await c.get(`/booking-provider/${MARKET}/bookings/${b.id as number}/contacts`), 404);
    assertProblem(await c.post(`/booking-provider/${MARKET}/bookings/${b.id as number}/contacts`, { type: 'Phone', value: '7035550100' }), 404);
    assertProblem(await c.post(`/booking-provider/${MARKET}/bookings/${b.id as number}/dismiss`, {}), 404);
    assertProblem(await c.del(`/booking-provider/${MARKET}/bookings/${b.id as number}/contacts/${contacts.body.data[0].id as number}`), 404);
    assert.equal((await c.get(`/bookings/${b.id as number}`)).body.status, 'New');

    // The same externalId is fine for another provider, not for the same one.
    assert.equal((await c.post(`/booking-provider/${MARKET}/bookings`, newBooking('WEB-1001'))).status, 200);
    const before = sb.snapshot();
    assert.ok(assertProblem(await c.post(`/booking-provider/${WEB}/bookings`, newBooking('WEB-1001')), 400).ExternalId);
    assert.ok(assertProblem(await c.post(`/booking-provider/${WEB}/bookings`, newBooking('WEB-1002', { customerType: 'Industrial' })), 400).CustomerType);
    assert.ok(assertProblem(await c.post(`/booking-provider/${WEB}/bookings`, newBooking('WEB-1003', { name: ' ' })), 400).Name);
    assert.ok(
      assertProblem(await c.post(`/booking-provider/${WEB}/bookings`, newBooking('WEB-1004', { contacts: [{ type: 'Email', value: 'nope' }] })), 400)[
        'Contacts[0].Value'
      ],
    );
    const { isFirstTimeClient: _omit, ...noFirst } = newBooking('WEB-1005');
    assert.ok(assertProblem(await c.post(`/booking-provider/${WEB}/bookings`, noFirst), 400).IsFirstTimeClient);
    assert.ok(assertProblem(await c.post(`/booking-provider/${MISSING}/bookings`, newBooking('WEB-1006')), 400).booking_provider);
    assert.ok(assertProblem(await c.post(`/booking-provider/${RETIRED}/bookings`, newBooking('WEB-1007')), 400).booking_provider);
    assert.ok(assertProblem(await c.post('/booking-provider/web/bookings', newBooking('WEB-1008')), 400).booking_provider);
    assert.equal(sb.snapshot(), before, 'rejected creates change nothing');
  });

  void test('provider: update (409 on a taken externalId), 404, 400', async () => {
    const a = (await c.post(`/booking-provider/${WEB}/bookings`, newBooking('UPD-1'))).body;
    const b = (await c.post(`/booking-provider/${WEB}/bookings`, newBooking('UPD-2'))).body;
    const r = await c.patch(`/booking-provider/${WEB}/bookings/${a.id as number}`, {
      name: 'Dana Scully',
      summary: 'Changed',
      customerType: 'Commercial',
      jobTypeId: 4002,
      externalId: 'UPD-1b',
      address: { street: '1 Oak St', unit: 'Suite 9', city: 'Denver', state: 'CO', zip: '80203', country: 'USA' },
    });
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.BookingResponse');
    assert.deepEqual(
      [r.body.name, r.body.summary, r.body.customerType, r.body.jobTypeId, r.body.externalId, r.body.address.city, r.body.source],
      ['Dana Scully', 'Changed', 'Commercial', 4002, 'UPD-1b', 'Denver', 'Website'],
    );
    const before = sb.snapshot();
    assertProblem(await c.patch(`/booking-provider/${WEB}/bookings/${a.id as number}`, { externalId: b.externalId }), 409);
    assertProblem(await c.patch(`/booking-provider/${WEB}/bookings/${MISSING}`, { name: 'x' }), 404);
    assert.ok(assertProblem(await c.patch(`/booking-provider/${WEB}/bookings/${a.id as number}`, { priority: 'Whenever' }), 400)['$.priority']);
    assert.ok(assertProblem(await c.patch(`/booking-provider/${WEB}/bookings/${a.id as number}`, { name: '' }), 400).Name);
    assert.ok(assertProblem(await c.patch(`/booking-provider/${WEB}/bookings/${a.id as number}`, { address: { street: '1 Oak St' } }), 400)['Address.City']);
    assert.equal(sb.snapshot(), before, 'rejected updates change nothing');
  });

  void test('provider: booking contacts create, update (409 on a duplicate), delete', async () => {
    const b = (await c.post(`/booking-provider/${MARKET}/bookings`, newBooking('CON-1', { contacts: [] }))).body;
    const base = `/booking-provider/${MARKET}/bookings/${b.id as number}/contacts`;
    const phone = await c.post(base, { type: 'phone', value: '(703) 555-0111' });
    assert.equal(phone.status, 200, phone.text);
    assertSpec(phone.body, 'Crm.V2.BookingContactResponse');
    assert.deepEqual([phone.body.type, phone.body.value, phone.body.memo], ['Phone', '(703) 555-0111', '']);
    const email = (await c.post(base, { type: 'Email', value: 'scully@example.com', memo: 'Work' })).body;
    assert.equal(email.memo, 'Work');
    assert.ok(assertProblem(await c.post(base, { type: 'Pager', value: '7035550111' }), 400).Type);
    assert.ok(assertProblem(await c.post(base, { type: 'Email', value: 'nope' }), 400).Value);
    assert.ok(assertProblem(await c.post(base, { type: 'Phone', value: '703.555.0111' }), 400).Value);
    assert.ok(assertProblem(await c.post(base, { value: '7035550111' }), 400).Type);

    const u = await c.patch(`${base}/${phone.body.id as number}`, { type: 'MobilePhone', memo: 'Cell' });
    assert.equal(u.status, 200, u.text);
    assertSpec(u.body, 'Crm.V2.UpdateBookingContactRequest');
    assert.deepEqual(u.body, { type: 'MobilePhone', value: '(703) 555-0111', memo: 'Cell' });
    const listed = (await c.get(base)).body.data as Json[];
    assert.deepEqual(
      listed.map((x) => [x.id, x.type, x.memo]),
      [
        [phone.body.id, 'MobilePhone', 'Cell'],
        [email.id, 'Email', 'Work'],
      ],
    );
    await c.post(base, { type: 'Phone', value: '7035550122' });
    const dup = await c.patch(`${base}/${phone.body.id as number}`, { type: 'Phone', value: '703-555-0122' });
    assertProblem(dup, 409);
    assert.ok(assertProblem(await c.patch(`${base}/${email.id as number}`, { value: 'still-not-an-email' }), 400).Value);
    assert.ok(assertProblem(await c.patch(`${base}/${email.id as number}`, { type: 'Fax2' }), 400)['$.type']);
    assertProblem(await c.patch(`${base}/${MISSING}`, { memo: 'x' }), 404);

    const del = await c.del(`${base}/${email.id as number}`);
    assert.deepEqual([del.status, del.text], [200, '']);
    assertProblem(await c.del(`${base}/${email.id as number}`), 404);
    assert.ok(!(await c.get(`/bookings/${b.id as number}/contacts`)).body.data.some((x: Json) => x.id === email.id));
    assert.deepEqual(Object.keys(assertProblem(await c.del(`${base}/abc`), 400)), ['contactId']);
  });

  void test('provider: dismiss sets the status', async () => {
    const b = (await c.post(`/booking-provider/${WEB}/bookings`, newBooking('DIS-1'))).body;
    const r = await c.post(`/booking-provider/${WEB}/bookings/${b.id as number}/dismiss`, { callReasonId: 6002, dismissingMemo: 'Duplicate request' });
    assert.deepEqual([r.status, r.text], [200, '']);
    const after = (await c.get(`/booking-provider/${WEB}/bookings/${b.id as number}`)).body;
    assertSpec(after, 'Crm.V2.BookingResponse');
    assert.equal(after.status, 'Dismissed');
    assert.equal((await c.post(`/booking-provider/${WEB}/bookings/${b.id as number}/dismiss`, {})).status, 200);
    assertProblem(await c.post(`/booking-provider/${WEB}/bookings/${MISSING}/dismiss`, {}), 404);
    // {booking_provider} is a string in this operation's definition: a word names no provider.
    assertProblem(await c.post(`/booking-provider/web/bookings/${b.id as number}/dismiss`, {}), 404);
    assert.ok(assertProblem(await c.post(`/booking-provider/${WEB}/bookings/${b.id as number}/dismiss`, { callReasonId: 'x' }), 400)['$.callReasonId']);
  });

  void test('export: read to the end, then each change shows up exactly once', async () => {
    const first = await c.get('/export/bookings');
    assert.equal(first.status, 200, first.text);
    assertSpec(first.body, 'ExportResponse_Of_Crm.V2.ExportBookingResponse');
    const start = await readFeed(c, '/export/bookings');
    const ids = start.rows.map((b) => b.id as number);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, (await c.get('/bookings?pageSize=1&includeTotal=true')).body.totalCount);

    const created = (await c.post(`/booking-provider/${WEB}/bookings`, newBooking('EXP-1'))).body;
    const seeded = start.rows.find((b) => b.id < 100_000_000 && b.bookingProviderId === MARKET);
    await c.patch(`/booking-provider/${MARKET}/bookings/${seeded.id as number}`, { summary: 'Patched' });
    await c.post(`/booking-provider/${MARKET}/bookings/${seeded.id as number}/dismiss`, {});
    await c.post(`/booking-provider/${WEB}/bookings/${created.id as number}/contacts`, { type: 'Phone', value: '7035550133' });
    const next = await readFeed(c, '/export/bookings', start.continueFrom);
    for (const row of next.rows) assertSpec(row, 'Crm.V2.ExportBookingResponse');
    assert.deepEqual(next.rows.map((b) => b.id).sort(), [created.id, seeded.id].sort());
    assert.deepEqual([next.rows.find((b) => b.id === seeded.id).summary, next.rows.find((b) => b.id === seeded.id).status], ['Patched', 'Dismissed']);
    assert.equal((await readFeed(c, '/export/bookings', next.continueFrom)).rows.length, 0);
    assert.ok(assertProblem(await c.get('/export/bookings?from=%%%'), 400).from);
  });
});

void describe('sandbox sales persistence', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sales-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void test('leads, notes, bookings, contacts, tags and the export position survive a restart', async () => {
    const file = path.join(dir, 'crm.json');
    let { sb, c } = await withSandbox({ dataFile: file });
    const tag = (await c.post('/booking-provider-tags', { tagName: 'Kept', description: 'survives' })).body;
    const booking = (await c.post(`/booking-provider/${tag.id as number}/bookings`, newBooking('KEEP-1'))).body;
    const lead = (await c.post('/leads', { campaignId: 2001, summary: 'Kept lead', bookingId: booking.id })).body;
    const note = (await c.post(`/leads/${lead.id as number}/notes`, { text: 'Kept note' })).body;
    await c.post(`/leads/${lead.id as number}/dismiss`, { dismissingReasonId: 5003 });
    const leadFeed = await readFeed(c, '/export/leads');
    const bookingFeed = await readFeed(c, '/export/bookings');
    const bytes = fs.readFileSync(file);
    assert.equal((await c.post('/leads', { campaignId: 2001, summary: 's', customerId: MISSING })).status, 400);
    assert.deepEqual(fs.readFileSync(file), bytes, 'a rejected write does not touch the file');
    await sb.close();

    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      const l = (await c.get(`/leads/${lead.id as number}`)).body;
      assert.deepEqual([l.status, l.dismissingReasonId, l.bookingId], ['Dismissed', 5003, booking.id]);
      assert.deepEqual((await c.get(`/leads/${lead.id as number}/notes`)).body.data, [note]);
      assert.deepEqual((await c.get(`/booking-provider/${tag.id as number}/bookings/${booking.id as number}`)).body, booking);
      assert.equal((await c.get(`/bookings/${booking.id as number}/contacts`)).body.data.length, 2);
      assert.equal((await c.get(`/booking-provider-tags/${tag.id as number}`)).body.tagName, 'Kept');
      // Continuation tokens from before the restart still work: nothing changed since.
      assert.equal((await readFeed(c, '/export/leads', leadFeed.continueFrom)).rows.length, 0);
      assert.equal((await readFeed(c, '/export/bookings', bookingFeed.continueFrom)).rows.length, 0);
      const later = (await c.post('/leads', { campaignId: 2001, summary: 'After restart' })).body;
      assert.ok(later.id > note.id, 'ids continue after the restart');
      assert.deepEqual(
        (await readFeed(c, '/export/leads', leadFeed.continueFrom)).rows.map((x) => x.id),
        [later.id],
      );
    } finally {
      await sb.close();
    }
  });

  void test('a data file without sales loads with the seeded sales; a broken sales section is refused', async () => {
    const { sb: fresh } = await withSandbox();
    const content = JSON.parse(fresh.snapshot());
    await fresh.close();
    assert.ok(content.sales, 'the data file holds the sales snapshot');
    const old = path.join(dir, 'old.json');
    const { sales: _sales, ...withoutSales } = content;
    fs.writeFileSync(old, JSON.stringify(withoutSales));
    const { sb, c } = await withSandbox({ dataFile: old });
    try {
      assert.ok((await c.get('/leads?pageSize=1&includeTotal=true')).body.totalCount > 0);
      assert.equal((await c.get(`/booking-provider-tags/${WEB}`)).status, 200);
    } finally {
      await sb.close();
    }

    const broken = path.join(dir, 'broken.json');
    const bad = structuredClone(content);
    bad.sales.leads[0].customerId = MISSING;
    fs.writeFileSync(broken, JSON.stringify(bad));
    await assert.rejects(startSandbox({ customers: 40, seed: 7, dataFile: broken }), /sales\.leads\[0\]\.customerId/);
    bad.sales.leads[0].status = 'Lost';
    fs.writeFileSync(broken, JSON.stringify(bad));
    await assert.rejects(startSandbox({ customers: 40, seed: 7, dataFile: broken }), /sales\.leads\.0\.status/);
  });
});
