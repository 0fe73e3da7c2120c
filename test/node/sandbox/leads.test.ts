/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../../sandbox/index';
import { assertProblem, assertSpec, readFeed, withSandbox, type Client, type Json } from './helpers';

const MISSING = 99_999_999;

/** Reads an export feed from `from` to its end; fails if it does not end within `maxPages`. */
void describe('sandbox leads', () => {
  let sb: RunningSandbox;
  let c: Client;
  let all: Json[];
  before(async () => {
    ({ sb, c } = await withSandbox());
    const r = await c.get('/leads?pageSize=5000&includeTotal=true');
    assert.equal(r.status, 200, r.text);
    all = r.body.data as Json[];
  });
  after(async () => {
    await sb.close();
  });

  void test('seeded leads: list, paging, get, 404 and 400', async () => {
    const r = await c.get('/leads?includeTotal=true&pageSize=10');
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.LeadResponse');
    assert.ok(r.body.totalCount >= 20, `seeded leads: ${String(r.body.totalCount)}`);
    assert.equal(r.body.data.length, 10);
    assert.equal(r.body.hasMore, true);
    const page2 = await c.get('/leads?page=2&pageSize=10');
    assert.notEqual(page2.body.data[0].id, r.body.data[0].id);
    for (const status of ['Open', 'Dismissed', 'Converted'])
      assert.ok(
        all.some((l) => l.status === status),
        `a seeded ${status} lead`,
      );
    assert.ok(
      all.some((l) => l.customerId === null),
      'a seeded prospect',
    );

    const first = r.body.data[0];
    const one = await c.get(`/leads/${first.id as number}`);
    assert.equal(one.status, 200);
    assertSpec(one.body, 'Crm.V2.LeadResponse');
    assert.deepEqual(one.body, first);
    assertProblem(await c.get(`/leads/${MISSING}`), 404);
    assert.deepEqual(Object.keys(assertProblem(await c.get('/leads/abc'), 400)), ['id']);
  });

  void test('list filters', async () => {
    const q = async (query: string): Promise<Json[]> => {
      const r = await c.get(`/leads?pageSize=5000&${query}`);
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.LeadResponse');
      return r.body.data as Json[];
    };
    const dismissed = await q('status=dismissed');
    assert.ok(dismissed.length > 0 && dismissed.every((l) => l.status === 'Dismissed'));
    const withCustomer = all.find((l) => l.customerId !== null);
    const byCustomer = await q(`customerId=${withCustomer.customerId as number}`);
    assert.ok(byCustomer.length > 0 && byCustomer.every((l) => l.customerId === withCustomer.customerId));
    const without = await q('withoutCustomer=true');
    assert.ok(without.length > 0 && without.every((l) => l.customerId === null && l.locationId === null));
    assert.equal((await q('withoutCustomer=false')).length + without.length, all.length);
    const prospects = await q('isProspect=true');
    assert.ok(prospects.every((l) => l.customerId === null || l.status !== 'Converted'));
    assert.ok((await q('isProspect=false')).every((l) => l.customerId !== null && l.status === 'Converted'));
    const forms = await q('isCaptureSourceForm=true');
    assert.ok(forms.length > 0 && forms.every((l) => l.captureSource === 'Form'));
    assert.equal((await q('isCaptureSourceForm=false')).length + forms.length, all.length);

    const named = all.find((l) => typeof l.leadCustomerName === 'string');
    const word = (named.leadCustomerName as string).split(' ')[0]!.toUpperCase();
    const byName = await q(`leadCustomerName=${encodeURIComponent(word)}`);
    assert.ok(byName.some((l) => l.id === named.id) && byName.every((l) => (l.leadCustomerName as string).toUpperCase().includes(word)));
    const phoned = all.find((l) => typeof l.leadPhone === 'string');
    const digits = phoned.leadPhone as string;
    const formatted = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    assert.ok((await q(`leadPhone=${encodeURIComponent(formatted)}`)).some((l) => l.id === phoned.id));

    // Customer filters go through the lead's customer.
    const customer = (await c.get(`/customers/${withCustomer.customerId as number}`)).body;
    const inCity = await q(`customerCity=${encodeURIComponent(customer.address.city as string)}&customerState=${customer.address.state as string}`);
    assert.ok(inCity.some((l) => l.id === withCustomer.id) && inCity.every((l) => l.customerId !== null));
    assert.ok((await q(`customerZip=${customer.address.zip as string}`)).some((l) => l.id === withCustomer.id));
    const created = customer.createdOn as string;
    assert.ok((await q(`customerCreatedOnOrAfter=${created}`)).some((l) => l.id === withCustomer.id));
    assert.ok(!(await q(`customerCreatedBefore=${created}`)).some((l) => l.id === withCustomer.id));
    assert.ok((await q(`customerModifiedOnOrAfter=${customer.modifiedOn as string}`)).some((l) => l.id === withCustomer.id));

    const ids = [all[0].id, all[3].id] as number[];
    assert.deepEqual(
      (await q(`ids=${ids.join(',')}`)).map((l) => l.id),
      ids,
    );
    const desc = await q('sort=-Id');
    assert.deepEqual(
      desc.map((l) => l.id),
      [...all].map((l) => l.id).reverse(),
    );
    const byCreated = await q('sort=%2BCreatedOn');
    assert.ok(byCreated.every((l, i) => i === 0 || Date.parse(byCreated[i - 1].createdOn) <= Date.parse(l.createdOn)));
    const since = await q('modifiedOnOrAfter=2024-06-01');
    assert.ok(since.every((l) => Date.parse(l.modifiedOn) >= Date.parse('2024-06-01')));
    const urls = await q('genPermUrl=true&pageSize=3');
    assert.ok(urls.every((l) => typeof l.leadUrl === 'string' && (l.leadUrl as string).includes(String(l.id))));
    assert.ok(
      all.every((l) => l.leadUrl === null),
      'leadUrl only with genPermUrl=true',
    );

    assert.ok(assertProblem(await c.get('/leads?status=Lost'), 400).Status);
    assert.ok(assertProblem(await c.get('/leads?sort=Name'), 400).Sort);
    assert.ok(assertProblem(await c.get('/leads?ids=1,x'), 400).Ids);
    assert.ok(assertProblem(await c.get('/leads?isProspect=maybe'), 400).IsProspect);
    assert.ok(assertProblem(await c.get('/leads?customerCreatedBefore=soon'), 400).CustomerCreatedBefore);
  });

  void test('create: references must exist; a location implies its customer; rejected writes change nothing', async () => {
    const withCustomer = all.find((l) => l.customerId !== null && l.locationId !== null);
    const created = await c.post('/leads', {
      locationId: withCustomer.locationId,
      campaignId: 2002,
      summary: 'Heat pump quote',
      tagTypeIds: [107, 107, 108],
      followUpDate: '2030-01-02T03:04:05Z',
      leadPhone: '2125550100',
      priority: 'high',
    });
    assert.equal(created.status, 200, created.text);
    assertSpec(created.body, 'Crm.V2.LeadResponse');
    assert.equal(created.body.status, 'Open');
    assert.equal(created.body.priority, 'High');
    assert.equal(created.body.customerId, withCustomer.customerId);
    assert.deepEqual(created.body.tagTypeIds, [107, 108]);
    assert.equal(created.body.followUpDate, '2030-01-02T03:04:05.000Z');
    assert.equal(created.body.createdById, 1);
    assert.deepEqual((await c.get(`/leads/${created.body.id as number}`)).body, created.body);
    const plain = await c.post('/leads', { campaignId: 2001, summary: 'Walk-in' });
    assert.equal(plain.body.priority, 'Normal');
    assert.equal(plain.body.customerId, null);

    const before = sb.snapshot();
    assert.ok(assertProblem(await c.post('/leads', { summary: 'no campaign' }), 400).CampaignId);
    assert.ok(assertProblem(await c.post('/leads', { campaignId: 1 }), 400).Summary);
    assert.ok(assertProblem(await c.post('/leads', { campaignId: 1, summary: 's', customerId: MISSING }), 400).CustomerId);
    assert.ok(assertProblem(await c.post('/leads', { campaignId: 1, summary: 's', locationId: MISSING }), 400).LocationId);
    const other = all.find((l) => l.customerId !== null && l.customerId !== withCustomer.customerId);
    assert.ok(
      assertProblem(await c.post('/leads', { campaignId: 1, summary: 's', customerId: other.customerId, locationId: withCustomer.locationId }), 400).LocationId,
    );
    assert.ok(assertProblem(await c.post('/leads', { campaignId: 1, summary: 's', bookingId: MISSING }), 400).BookingId);
    assert.ok(assertProblem(await c.post('/leads', { campaignId: 1, summary: 's', priority: 'Meh' }), 400)['$.priority']);
    assert.ok(assertProblem(await c.post('/leads', { campaignId: 1, summary: 's', status: 'Open' }), 400)['$.status']);
    assert.equal(sb.snapshot(), before, 'rejected creates change nothing');
  });

  void test('update (PATCH): given fields only; 404; 400', async () => {
    const lead = (await c.post('/leads', { campaignId: 2001, summary: 'Original', leadCity: 'Austin', jobTypeId: 4001 })).body;
    const r = await c.patch(`/leads/${lead.id as number}`, { summary: 'Changed', priority: 'Urgent', leadCity: '', businessUnitId: 3003 });
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.LeadResponse');
    assert.deepEqual([r.body.summary, r.body.priority, r.body.leadCity, r.body.jobTypeId, r.body.businessUnitId], ['Changed', 'Urgent', null, 4001, 3003]);
    assert.ok(Date.parse(r.body.modifiedOn) >= Date.parse(lead.modifiedOn));
    assert.equal(r.body.createdOn, lead.createdOn);
    assertProblem(await c.patch(`/leads/${MISSING}`, { summary: 'x' }), 404);
    assert.ok(assertProblem(await c.patch(`/leads/${lead.id as number}`, { campaignId: 'many' }), 400)['$.campaignId']);
    assert.ok(assertProblem(await c.patch(`/leads/${lead.id as number}`, { customerId: 10000001 }), 400)['$.customerId']);
    assert.equal((await c.get(`/leads/${lead.id as number}`)).body.summary, 'Changed');
  });

  void test('follow-up sets the date and keeps its text as a note', async () => {
    const lead = (await c.post('/leads', { campaignId: 2001, summary: 'Call back' })).body;
    const r = await c.post(`/leads/${lead.id as number}/follow-up`, { followUpDate: '2031-05-06T07:00:00Z', text: 'Call after lunch', pinToTop: true });
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.FollowUpResponse');
    assert.deepEqual(r.body, { leadId: lead.id, followUpDate: '2031-05-06T07:00:00.000Z', text: 'Call after lunch', pinToTop: true });
    assert.equal((await c.get(`/leads/${lead.id as number}`)).body.followUpDate, '2031-05-06T07:00:00.000Z');
    const notes = (await c.get(`/leads/${lead.id as number}/notes`)).body.data as Json[];
    assert.deepEqual(
      notes.map((n) => [n.text, n.isPinned]),
      [['Call after lunch', true]],
    );
    const bare = await c.post(`/leads/${lead.id as number}/follow-up`, { followUpDate: '2031-06-01' });
    assert.deepEqual(bare.body, { leadId: lead.id, followUpDate: '2031-06-01T00:00:00.000Z', text: null, pinToTop: false });
    assert.ok(assertProblem(await c.post(`/leads/${lead.id as number}/follow-up`, { text: 'no date' }), 400).FollowUpDate);
    assert.ok(assertProblem(await c.post(`/leads/${lead.id as number}/follow-up`, { followUpDate: 'tomorrow' }), 400)['$.followUpDate']);
    assertProblem(await c.post(`/leads/${MISSING}/follow-up`, { followUpDate: '2031-06-01' }), 404);
  });

  void test('notes: list with paging and dates, create, 404, 400', async () => {
    const seeded = all.find((l) => l.id !== undefined);
    const list = await c.get(`/leads/${seeded.id as number}/notes?includeTotal=true`);
    assert.equal(list.status, 200, list.text);
    assertSpec(list.body, 'PaginatedResponse_Of_Crm.V2.NoteResponse');
    const lead = (await c.post('/leads', { campaignId: 2001, summary: 'Notes' })).body;
    const n1 = await c.post(`/leads/${lead.id as number}/notes`, { text: 'First note' });
    assert.equal(n1.status, 200, n1.text);
    assertSpec(n1.body, 'Crm.V2.NoteResponse');
    assert.deepEqual([n1.body.text, n1.body.isPinned, n1.body.createdById], ['First note', false, 1]);
    const n2 = await c.post(`/leads/${lead.id as number}/notes`, { text: 'Pinned', pinToTop: true });
    assert.equal(n2.body.isPinned, true);
    const page = await c.get(`/leads/${lead.id as number}/notes?pageSize=1&includeTotal=true`);
    assert.deepEqual([page.body.totalCount, page.body.hasMore, page.body.data[0].id], [2, true, n1.body.id]);
    assert.equal((await c.get(`/leads/${lead.id as number}/notes?createdBefore=2000-01-01`)).body.data.length, 0);
    assertProblem(await c.get(`/leads/${MISSING}/notes`), 404);
    assertProblem(await c.post(`/leads/${MISSING}/notes`, { text: 'x' }), 404);
    assert.ok(assertProblem(await c.post(`/leads/${lead.id as number}/notes`, { pinToTop: true }), 400).Text);
    assert.ok(assertProblem(await c.get(`/leads/${lead.id as number}/notes?page=0`), 400).Page);
  });

  void test('dismiss sets the status and reason', async () => {
    const lead = (await c.post('/leads', { campaignId: 2001, summary: 'Not interested' })).body;
    const r = await c.post(`/leads/${lead.id as number}/dismiss`, { dismissingReasonId: 5002 });
    assert.deepEqual([r.status, r.text], [200, '']);
    const after = (await c.get(`/leads/${lead.id as number}`)).body;
    assertSpec(after, 'Crm.V2.LeadResponse');
    assert.deepEqual([after.status, after.dismissingReasonId], ['Dismissed', 5002]);
    assert.ok((await c.get('/leads?status=Dismissed&pageSize=5000')).body.data.some((l: Json) => l.id === lead.id));
    assert.ok(assertProblem(await c.post(`/leads/${lead.id as number}/dismiss`, {}), 400).DismissingReasonId);
    assertProblem(await c.post(`/leads/${MISSING}/dismiss`, { dismissingReasonId: 1 }), 404);
  });

  void test('lead form: creates a Form lead, ?id= adds to it, 400s', async () => {
    const r = await c.post('/leads/form', {
      name: ' Dana Scully ',
      email: 'dana@example.com',
      phoneNumber: '(202) 555-0147',
      summary: 'Strange noises in the attic',
      address: { street: '1 Oak St', city: 'Denver', state: 'CO', zip: '80203', country: 'USA' },
    });
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.SubmitLeadFormResponse');
    const lead = (await c.get(`/leads/${r.body.leadId as number}`)).body;
    assertSpec(lead, 'Crm.V2.LeadResponse');
    assert.deepEqual(
      [lead.status, lead.captureSource, lead.leadCustomerName, lead.leadEmail, lead.leadPhone, lead.leadCity, lead.summary, lead.customerId],
      ['Open', 'Form', 'Dana Scully', 'dana@example.com', '(202) 555-0147', 'Denver', 'Strange noises in the attic', null],
    );
    assert.ok((await c.get('/leads?isCaptureSourceForm=true&pageSize=5000')).body.data.some((l: Json) => l.id === lead.id));
    const again = await c.post(`/leads/form?id=${lead.id as number}`, { name: 'Dana Scully', summary: 'Also the basement' });
    assert.deepEqual(again.body, { leadId: lead.id });
    assert.equal((await c.get(`/leads/${lead.id as number}`)).body.summary, 'Also the basement');

    const before = sb.snapshot();
    assert.ok(assertProblem(await c.post('/leads/form', { email: 'x@example.com' }), 400).Name);
    assert.ok(assertProblem(await c.post('/leads/form', { name: 'A', email: 'not-an-email' }), 400).Email);
    assert.ok(assertProblem(await c.post('/leads/form', { name: 'A', phoneNumber: '12' }), 400).PhoneNumber);
    assert.ok(assertProblem(await c.post(`/leads/form?id=${MISSING}`, { name: 'A' }), 400).Id);
    assert.ok(assertProblem(await c.post('/leads/form?id=abc', { name: 'A' }), 400).Id);
    assert.ok(assertProblem(await c.post('/leads/form', { name: 'A', address: { street: '1 Oak St' } }), 400)['Address.City']);
    assert.equal(sb.snapshot(), before, 'rejected forms change nothing');
  });

  void test('export: read to the end, then each change shows up exactly once', async () => {
    const first = await c.get('/export/leads');
    assert.equal(first.status, 200, first.text);
    assertSpec(first.body, 'ExportResponse_Of_Crm.V2.ExportLeadsResponse');
    // More leads than one export page (50) holds, so the feed has to page.
    for (let i = 0; i < 12; i++) assert.equal((await c.post('/leads', { campaignId: 2001, summary: `Filler ${i}` })).status, 200);
    const start = await readFeed(c, '/export/leads');
    const ids = start.rows.map((l) => l.id as number);
    assert.equal(new Set(ids).size, ids.length, 'no lead twice');
    const total = (await c.get('/leads?pageSize=1&includeTotal=true')).body.totalCount as number;
    assert.equal(ids.length, total, 'every lead once');
    assert.ok(start.pages >= 2, `the feed pages (${start.pages} page(s) for ${ids.length} leads)`);
    assert.ok(start.rows.every((l) => l.active === true));
    const empty = await c.get(`/export/leads?from=${encodeURIComponent(start.continueFrom)}`);
    assert.deepEqual([empty.body.hasMore, empty.body.data.length], [false, 0]);

    const created = (await c.post('/leads', { campaignId: 2001, summary: 'Exported' })).body;
    const seeded = all.find((l) => l.id < 100_000_000);
    await c.patch(`/leads/${seeded.id as number}`, { summary: 'Changed once' });
    await c.patch(`/leads/${seeded.id as number}`, { summary: 'Changed twice' });
    await c.post(`/leads/${created.id as number}/dismiss`, { dismissingReasonId: 5001 });
    const next = await readFeed(c, '/export/leads', start.continueFrom);
    for (const row of next.rows) assertSpec(row, 'Crm.V2.ExportLeadsResponse');
    assert.deepEqual(next.rows.map((l) => l.id).sort(), [created.id, seeded.id].sort());
    assert.equal(next.rows.find((l) => l.id === seeded.id).summary, 'Changed twice');
    assert.equal(next.rows.find((l) => l.id === created.id).status, 'Dismissed');
    assert.equal((await readFeed(c, '/export/leads', next.continueFrom)).rows.length, 0);

    // A note is no change of the lead; a date starts the feed at a point in time.
    await c.post(`/leads/${created.id as number}/notes`, { text: 'quiet' });
    assert.equal((await readFeed(c, '/export/leads', next.continueFrom)).rows.length, 0);
    const recent = await readFeed(c, '/export/leads', '2024-06-01');
    assert.ok(recent.rows.length < ids.length + 1 && recent.rows.every((l) => Date.parse(l.modifiedOn) >= Date.parse('2024-06-01')));
    assert.ok(recent.rows.some((l) => l.id === created.id));
    assert.ok(assertProblem(await c.get('/export/leads?from=not-a-token'), 400).from);
    assert.ok(assertProblem(await c.get('/export/leads?includeRecentChanges=often'), 400).IncludeRecentChanges);
  });
});
