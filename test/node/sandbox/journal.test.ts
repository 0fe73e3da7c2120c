/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- assertions walk parsed JSON bodies and data files */
// The --data journal: every kind of write lands in it (a restart rebuilds exactly the live state),
// writes append instead of rewriting FILE, a kill at any step of a compaction or mid-append still
// loads, damage is refused with what to fix, and a failed append is not acknowledged.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import { MAX_TOKEN_GENERATION } from '../../../sandbox/tokenGeneration';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index';
import { journalLine } from '../../../sandbox/journal';
import { readSavedState } from '../../../sandbox/persistence';
import { assertProblem, assertStartRefused, Client, send, withSandbox, type Json, type Reply } from './helpers';

const WEB = 80_000_001;
const address = { street: '9 Journal Rd', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' };
const newBooking = (externalId: string): Record<string, unknown> => ({
  source: 'Website',
  name: 'Fox Mulder',
  summary: 'AC is blowing warm air',
  isFirstTimeClient: true,
  externalId,
  address,
  start: '2030-03-04T15:00:00Z',
  contacts: [
    { type: 'MobilePhone', value: '7035550199', memo: 'Cell' },
    { type: 'Email', value: 'fox@example.com' },
  ],
});

/** A small deterministic PRNG (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sends writes and remembers which operations answered 2xx and what they created. */
class Writes {
  readonly done = new Set<string>();
  count = 0;
  constructor(private readonly c: Client) {}

  async call(operationId: string, reply: Promise<Reply>): Promise<Json> {
    const r = await reply;
    assert.ok(r.status >= 200 && r.status < 300, `${operationId}: ${r.status} ${r.text}`);
    this.done.add(operationId);
    this.count++;
    return r.body;
  }

  async get(p: string): Promise<Json> {
    const r = await this.c.get(p);
    assert.equal(r.status, 200, r.text);
    return r.body;
  }
  post(op: string, p: string, body?: unknown): Promise<Json> {
    return this.call(op, this.c.post(p, body));
  }
  patch(op: string, p: string, body: unknown): Promise<Json> {
    return this.call(op, this.c.patch(p, body));
  }
  put(op: string, p: string, body: unknown): Promise<Json> {
    return this.call(op, this.c.put(p, body));
  }
  del(op: string, p: string, body?: unknown): Promise<Json> {
    return this.call(op, this.c.call('DELETE', p, body === undefined ? {} : { body }));
  }
}

/** One of every write operation of the document, on records it creates and on seeded ones. */
async function everyWrite(w: Writes, n: number): Promise<void> {
  const customer = await w.post('Customers_Create', '/customers', {
    name: `Journal ${n}`,
    address,
    contacts: [{ type: 'Email', value: `j${n}@example.com` }],
    locations: [{ name: `Site ${n}`, address, contacts: [{ type: 'Phone', value: '2125550100' }] }],
  });
  const cid = customer.id as number;
  const seededCustomer = 10_000_000 + (n % 30);
  await w.patch('Customers_Update', `/customers/${seededCustomer}`, { name: `Seeded ${n}`, doNotMail: n % 2 === 0 });
  const cc = await w.post('Customers_CreateContact', `/customers/${seededCustomer}/contacts`, {
    type: 'Phone',
    value: `21255501${String(n % 100).padStart(2, '0')}`,
  });
  await w.patch('Customers_UpdateContact', `/customers/${seededCustomer}/contacts/${cc.id as number}`, { memo: `memo ${n}` });
  await w.del('Customers_DeleteContact', `/customers/${seededCustomer}/contacts/${cc.id as number}`);
  const note = await w.post('Customers_CreateNote', `/customers/${cid}/notes`, { text: `note ${n}`, pinToTop: true });
  await w.post('Customers_CreateNote', `/customers/${seededCustomer}/notes`, { text: `seeded note ${n}` });
  await w.del('Customers_DeleteNote', `/customers/${cid}/notes/${note.id as number}`);
  await w.post('Customers_CreateTag', `/customers/${cid}/tags/${101 + (n % 10)}`);
  await w.post('Customers_CreateTag', `/customers/${seededCustomer}/tags/119`);
  await w.del('Customers_DeleteTag', `/customers/${seededCustomer}/tags/119`);
  await w.put('BulkTags_AddTags', '/tags', { customerIds: [cid, seededCustomer], tagTypeIds: [120] });
  await w.del('BulkTags_RemoveTags', '/tags', { customerIds: [seededCustomer], tagTypeIds: [120] });

  const loc = await w.post('Locations_Create', '/locations', { customerId: cid, name: `Extra ${n}`, address: { ...address, street: `${n} Extra St` } });
  const lid = loc.id as number;
  await w.patch('Locations_Update', `/locations/${lid}`, { name: `Extra ${n} renamed` });
  const seededLocation = ((await w.get(`/locations?customerId=${seededCustomer}&active=Any`)).data as Json[])[0].id as number;
  await w.patch('Locations_Update', `/locations/${seededLocation}`, { name: `Seeded site ${n}` });
  await w.post('Locations_CreateContact', `/locations/${seededLocation}/contacts`, { type: 'Phone', value: '2125550177' });
  const lc = await w.post('Locations_CreateContact', `/locations/${lid}/contacts`, { type: 'Email', value: `site${n}@example.com` });
  await w.patch('Locations_UpdateContact', `/locations/${lid}/contacts/${lc.id as number}`, { value: `site${n}b@example.com` });
  await w.post('Locations_CreateContact', `/locations/${lid}/contacts`, { type: 'Fax', value: '2125550111' });
  await w.del('Locations_DeleteContact', `/locations/${lid}/contacts/${lc.id as number}`);
  const lnote = await w.post('Locations_CreateNote', `/locations/${lid}/notes`, { text: `site note ${n}` });
  await w.del('Locations_DeleteNote', `/locations/${lid}/notes/${lnote.id as number}`);
  await w.post('Locations_CreateTag', `/locations/${lid}/tags/105`);
  await w.post('Locations_CreateTag', `/locations/${lid}/tags/106`);
  await w.del('Locations_DeleteTag', `/locations/${lid}/tags/105`);
  await w.post('Locations_UpdatePreferredTechnician', `/locations/${lid}/preferredtechnician/${2001 + (n % 40)}`);

  const person = await w.post('Contacts_Create', '/contacts', { name: `Person ${n}`, title: 'Owner' });
  const pid = person.id as string;
  await w.patch('Contacts_Update', `/contacts/${pid}`, { title: `Title ${n}`, isArchived: n % 3 === 0 });
  await w.put('Contacts_Replace', `/contacts/${pid}`, { name: `Person ${n} replaced`, isArchived: false });
  const m = await w.post('ContactMethods_CreateContactMethod', `/contacts/${pid}/contact-methods`, { type: 'Email', value: `p${n}@example.com` });
  const mid = m.id as string;
  await w.patch('ContactMethods_UpdateContactMethod', `/contacts/${pid}/contact-methods/${mid}`, { memo: `m ${n}` });
  await w.put('ContactMethods_UpsertContactMethod', `/contacts/${pid}/contact-methods/${mid}`, { type: 'Email', value: `p${n}x@example.com` });
  const prefs = `/contacts/${pid}/contact-methods/${mid}/preferences`;
  await w.patch('ContactPreferences_UpdateContactMethodPreference', `${prefs}/JobReminders`, { value: 'false' });
  await w.patch('ContactPreferences_UpdateContactMethodPreference', `${prefs}/MarketingUpdates`, { value: 'true' });
  const m2 = await w.post('ContactMethods_CreateContactMethod', `/contacts/${pid}/contact-methods`, { type: 'MobilePhone', value: '2125550123' });
  await w.del('ContactMethods_DeleteContactMethod', `/contacts/${pid}/contact-methods/${m2.id as string}`);
  await w.post('Contacts_CreateContactRelationship', `/contacts/${pid}/relationships/${cid}/customer`);
  await w.post('Contacts_CreateContactRelationship', `/contacts/${pid}/relationships/${lid}/location`);
  await w.del('Contacts_DeleteContactRelationship', `/contacts/${pid}/relationships/${cid}/customer`);
  if (n % 2 === 1) {
    await w.del('Contacts_DeleteContactRelationship', `/contacts/${pid}/relationships/${lid}/location`);
    await w.del('Contacts_DeleteContact', `/contacts/${pid}`);
  }

  const lead = await w.post('Leads_Create', '/leads', { campaignId: 2001, summary: `Lead ${n}`, customerId: cid, locationId: lid });
  await w.patch('Leads_Update', `/leads/${lead.id as number}`, { summary: `Lead ${n} updated`, priority: 'High' });
  await w.post('Leads_CreateNote', `/leads/${lead.id as number}/notes`, { text: `lead note ${n}` });
  await w.post('Leads_CreateFollowUp', `/leads/${lead.id as number}/follow-up`, { followUpDate: '2031-05-06T07:00:00Z', text: 'Call back' });
  await w.post('Leads_Dismiss', `/leads/${lead.id as number}/dismiss`, { dismissingReasonId: 5002 });
  const form = await w.post('Leads_SubmitLeadForm', '/leads/form', { name: `Form ${n}`, email: `form${n}@example.com`, summary: 'From the web' });
  await w.post('Leads_SubmitLeadForm', `/leads/form?id=${form.leadId as number}`, { name: `Form ${n}`, summary: 'Also the attic' });

  const tag = await w.post('BookingProviderTags_Create', '/booking-provider-tags', { tagName: `Portal ${n}`, description: 'journal' });
  await w.patch('BookingProviderTags_Update', `/booking-provider-tags/${tag.id as number}`, { description: `renamed ${n}` });
  const booking = await w.post('Bookings_Create', `/booking-provider/${WEB}/bookings`, newBooking(`J-${n}`));
  const b = `/booking-provider/${WEB}/bookings/${booking.id as number}`;
  await w.patch('Bookings_Update', b, { summary: `Booking ${n}` });
  const bc = await w.post('Bookings_CreateContact', `${b}/contacts`, { type: 'Phone', value: '2125550155' });
  await w.patch('Bookings_UpdateBookingContact', `${b}/contacts/${bc.id as number}`, { memo: 'office' });
  const contacts = (await w.get(`/bookings/${booking.id as number}/contacts`)).data as Json[];
  await w.del('Bookings_DeleteContact', `${b}/contacts/${contacts[0].id as number}`);
  await w.post('Bookings_DismissBooking', `${b}/dismiss`, { dismissingMemo: 'duplicate' });
}

/** fsync costs milliseconds on a disk and nothing here depends on it (a killed process's writes survive in the page cache). */
const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const journalOf = (file: string): string => `${file}.journal`;
const WRITE_OPERATIONS = CRM_SPEC.operations
  .filter((o) => o.method !== 'GET')
  .map((o) => o.operationId)
  .sort();

void describe('sandbox --data journal', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(SCRATCH, 'crm-journal-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void test('every kind of write is journaled: what a restart loads equals the live state', async () => {
    const file = path.join(dir, 'all.json');
    let { sb, c } = await withSandbox({ customers: 30, seed: 5, dataFile: file });
    const w = new Writes(c);
    const initial = fs.readFileSync(file, 'utf8');
    const next = random(13);
    for (let round = 0; round < 6; round++) {
      await everyWrite(w, 2 * Math.floor(next() * 500) + (round % 2)); // odd ones delete their person
      // Token revocations are saved too, through the API's admin route and the handle.
      if (round % 2 === 0) {
        assert.equal(
          (await send(`${sb.url}/__sandbox/revoke-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
          200,
        );
      } else sb.revokeTokens();
      c.forgetToken();
      assert.equal(readSavedState(file), sb.snapshot(), `round ${round}: the saved state differs from the live one`);
    }
    assert.deepEqual([...w.done].sort(), WRITE_OPERATIONS, 'every write operation of the document was made');
    assert.ok(w.count > 300, `${w.count} writes`);
    assert.equal(fs.readFileSync(file, 'utf8'), initial, 'writes are appended to the journal; FILE is left alone until a compaction');
    const live = sb.snapshot();
    await sb.close();
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.startsWith('all.')),
      ['all.json'],
      'a clean stop folds the journal into FILE',
    );
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).journalSeq > 0, true);
    ({ sb, c } = await withSandbox({ customers: 30, seed: 5, dataFile: file }));
    try {
      assert.equal(sb.snapshot(), live, 'FILE alone reloads to the same state');
      await new Writes(c).post('Contacts_Create', '/contacts', { name: 'After the restart' });
      assert.equal(readSavedState(file), sb.snapshot());
    } finally {
      await sb.close();
    }
  });

  void test('a kill at any step of a compaction, or mid-append, loads every acknowledged write', async () => {
    const file = path.join(dir, 'steps.json');
    const { sb, c } = await withSandbox({ dataFile: file });
    const w = new Writes(c);
    const created = fs.readFileSync(file, 'utf8');
    for (let n = 0; n < 5; n++) await w.post('Contacts_Create', '/contacts', { name: `Step ${n}` });
    const live = sb.snapshot();
    const journal = fs.readFileSync(journalOf(file), 'utf8');
    assert.equal(journal.split('\n').length, 6, 'one line per write');
    await sb.close();
    const compacted = fs.readFileSync(file, 'utf8');

    const loads = (name: string, files: { data: string; journal?: string; temp?: string }): string => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, files.data);
      if (files.journal !== undefined) fs.writeFileSync(journalOf(f), files.journal);
      if (files.temp !== undefined) fs.writeFileSync(path.join(dir, `.${name}.4242.1.tmp`), files.temp);
      return f;
    };
    const cases: Array<[string, { data: string; journal?: string; temp?: string }]> = [
      ['killed between two writes', { data: created, journal }],
      ['killed while writing the new FILE (its temp file)', { data: created, journal, temp: compacted.slice(0, 100) }],
      ['killed after the new FILE, before the journal was deleted', { data: compacted, journal }],
      ['killed mid-append (a torn last line)', { data: created, journal: `${journal}{"seq":6,"crc":"0000` }],
      ['killed mid-append, the whole line but its newline', { data: created, journal: journal + journalLine(6, '[["store","nextId",[]]]').trimEnd() }],
      ['compacted', { data: compacted }],
    ];
    for (const [what, files] of cases) {
      const f = loads('case.json', files);
      assert.equal(readSavedState(f), live, what);
      // Starting on it folds what the journal holds into FILE and goes on appending after it.
      const logs: string[] = [];
      const again = await startSandbox({ dataFile: f, log: (l) => logs.push(l) });
      try {
        assert.equal(again.snapshot(), live, what);
        assert.equal(fs.existsSync(journalOf(f)), false, `${what}: the journal was folded into FILE`);
        assert.deepEqual(
          fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
          [],
          `${what}: no temp file is left`,
        );
        if (what.includes('mid-append'))
          assert.ok(
            logs.some((l) => /ignored a torn last record \(line 6/.test(l)),
            logs.join('\n'),
          );
        assert.equal((await new Client(again).post('/contacts', { name: 'later' })).status, 200);
        assert.equal(readSavedState(f), again.snapshot(), `${what}: the next write is saved after what was loaded`);
      } finally {
        await again.close();
      }
      fs.rmSync(journalOf(f), { force: true });
    }
    // A snapshot from before the journal (no journalSeq) is FILE with nothing to replay.
    const old = JSON.parse(compacted);
    delete old.journalSeq;
    assert.equal(readSavedState(loads('old.json', { data: JSON.stringify(old) })), live);
  });

  void test('a damaged journal, or one that does not follow FILE, is refused with what to fix, and both files are kept', async () => {
    const file = path.join(dir, 'damage.json');
    const { sb, c } = await withSandbox({ dataFile: file });
    for (let n = 0; n < 4; n++) assert.equal((await c.post('/contacts', { name: `Kept ${n}` })).status, 200);
    const data = fs.readFileSync(file, 'utf8');
    const generation = JSON.parse(data).tokenGeneration as number;
    const lines = fs.readFileSync(journalOf(file), 'utf8').split('\n').slice(0, -1);
    await sb.close();
    const person =
      '{"id":"0b0e8f9c-3c58-4d6f-9d3e-2f4b5a6c7d8e","isArchived":false,"createdOn":"2026-01-01T00:00:00.000Z","createdBy":1,"modifiedOn":"2026-01-01T00:00:00.000Z","modifiedBy":1}';
    const cases: Array<[string, string | undefined, string, RegExp]> = [
      [
        'a damaged line before a whole one',
        data,
        [lines[0], lines[1]?.replace('Kept', 'Kept!'), lines[2], lines[3]].join('\n') + '\n',
        /damage\.json\.journal line 2 cannot be read \(its crc is .*\), so .*damage\.json was not loaded \(and neither file will be overwritten\)\. Remove that line and the ones after it/,
      ],
      // A last line with its newline was written whole: it is not a torn append, and ignoring it would lose an acknowledged write.
      [
        'a whole last line whose crc does not check out',
        data,
        `${[...lines.slice(0, 3), lines[3]?.replace('Kept', 'Kept!')].join('\n')}\n`,
        /damage\.json\.journal line 4 cannot be read \(its crc is .*\), so .*damage\.json was not loaded \(and neither file will be overwritten\)\. Remove that line and the ones after it/,
      ],
      [
        'a whole last line in a format of another version',
        data,
        `${lines.join('\n')}\n{"version":2,"seq":5,"crc":"00000000","calls":[]}\n`,
        /damage\.json\.journal line 5 cannot be read \(it is JSON but not a \{"seq":…,"crc":…,"calls":…\} record: if another version of the sandbox wrote it, run that version\), so .*Remove that line/,
      ],
      [
        'a whole last line whose checked calls are not JSON',
        data,
        `${lines.join('\n')}\n${journalLine(5, '[["store","nextId",[]]')}`,
        /damage\.json\.journal line 5 cannot be read \(its calls are not JSON \(.*\)\), so .*Remove that line/,
      ],
      [
        'a whole last line that is not JSON',
        data,
        `${lines.join('\n')}\nnot a record\n`,
        /damage\.json\.journal line 5 cannot be read \(not a \{"seq":…,"crc":…,"calls":…\} record\)/,
      ],
      [
        'a revocation to 2^53-1, where counting up stops',
        data,
        `${lines.join('\n')}\n${journalLine(5, `[["auth","revoke",[${Number.MAX_SAFE_INTEGER}]]]`)}`,
        /damage\.json\.journal line 5 \(record 5\) cannot be replayed: call 0 \(auth\.revoke\): 0: Too big: expected number to be <=281474976710656\. .*Remove that line and the ones after it/,
      ],
      [
        'a revocation that skips a generation',
        data,
        `${lines.join('\n')}\n${journalLine(5, `[["auth","revoke",[${generation + 2}]]]`)}`,
        new RegExp(
          `line 5 \\(record 5\\) cannot be replayed: call 0 \\(auth\\.revoke\\) sets the token generation to ${generation + 2}, but a revocation moves it from ${generation} to ${generation + 1} only`,
        ),
      ],
      [
        'records missing between FILE and the journal',
        data,
        `${lines.slice(2).join('\n')}\n`,
        /includes records up to 0 and the journal starts at record 3: records 1 to 2 are missing/,
      ],
      ['records out of order', data, `${[lines[0], lines[2]].join('\n')}\n${lines[1] ?? ''}\n`, /line 2: record 3 follows record 1/],
      [
        'a call no method takes',
        data,
        journalLine(1, '[["store","dropEverything",[]]]'),
        /line 1 \(record 1\) cannot be replayed: call 0: store\.dropEverything is not a journaled method/,
      ],
      [
        'a call with wrong arguments',
        data,
        journalLine(1, `[["store","putPerson",[${person.replace('false', '"no"')},true]]]`),
        /call 0 \(store\.putPerson\): 0\.isArchived: .*expected boolean/,
      ],
      [
        'calls that make an invalid state',
        data,
        journalLine(1, `[["store","putPerson",[${person},false]]]`),
        /with the changes in .*damage\.json\.journal is not a valid CRM sandbox data file.*neither a seeded contact nor in createdPeople/s,
      ],
      ['a journal without its FILE', undefined, `${lines.join('\n')}\n`, /damage\.json\.journal exists but .*damage\.json does not, so nothing was loaded/],
    ];
    for (const [what, snapshot, journal, message] of cases) {
      if (snapshot === undefined) fs.rmSync(file);
      else fs.writeFileSync(file, snapshot);
      fs.writeFileSync(journalOf(file), journal);
      await assertStartRefused(startSandbox({ dataFile: file }), message, what);
      assert.equal(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined, snapshot, `${what}: FILE is kept`);
      assert.equal(fs.readFileSync(journalOf(file), 'utf8'), journal, `${what}: the journal is kept`);
    }
  });

  void test('a failed append is answered 500 and changes nothing; the next write is saved', async (t) => {
    const file = path.join(dir, 'failing.json');
    const logs: string[] = [];
    let { sb, c } = await withSandbox({ dataFile: file, log: (l) => logs.push(l) });
    try {
      assert.equal((await c.post('/contacts', { name: 'Before' })).status, 200);
      // For a moment the journal cannot be opened: a directory has taken its place.
      fs.renameSync(journalOf(file), `${file}.aside`);
      fs.mkdirSync(journalOf(file));
      const before = sb.snapshot();
      assertProblem(await c.post('/contacts', { name: 'Lost' }), 500);
      assertProblem(await c.patch('/customers/10000001', { name: 'Lost' }), 500);
      assert.throws(() => sb.revokeTokens(), /could not be saved/, 'a revocation that is not saved does not happen');
      assert.equal(sb.snapshot(), before, 'memory is what is on disk');
      assert.ok(
        logs.some((l) => /persisting .*failing\.json failed/.test(l)),
        logs.join('\n'),
      );
      fs.rmdirSync(journalOf(file));
      fs.renameSync(`${file}.aside`, journalOf(file));
      assert.equal((await c.post('/contacts', { name: 'After' })).status, 200);
      assert.equal(readSavedState(file), sb.snapshot());
    } finally {
      await sb.close();
    }
    if (!fs.existsSync('/dev/full')) {
      t.diagnostic('no /dev/full: the disk-full case is skipped');
      return;
    }
    // A full disk while the journal is created: the next append starts it afresh.
    const full = path.join(dir, 'full.json');
    ({ sb, c } = await withSandbox({ dataFile: full, log: (l) => logs.push(l) }));
    try {
      fs.symlinkSync('/dev/full', journalOf(full));
      const before = sb.snapshot();
      assertProblem(await c.post('/contacts', { name: 'No space' }), 500);
      assert.equal(sb.snapshot(), before);
      assert.ok(
        logs.some((l) => /ENOSPC/.test(l)),
        logs.join('\n'),
      );
      assert.equal((await c.post('/contacts', { name: 'Space again' })).status, 200);
      assert.equal(fs.lstatSync(journalOf(full)).isSymbolicLink(), false, 'the journal was created afresh');
      assert.equal(readSavedState(full), sb.snapshot());
    } finally {
      await sb.close();
    }
  });

  void test('a failed append whose journal is gone: once the cause is gone, the next write rewrites the journal and survives a restart', async () => {
    const file = path.join(dir, 'recovers.json');
    const logs: string[] = [];
    let { sb, c } = await withSandbox({ dataFile: file, log: (l) => logs.push(l) });
    try {
      assert.equal((await c.post('/contacts', { name: 'Acknowledged before' })).status, 200);
      // The journal, with that acknowledged write in it, is deleted and a directory takes its place.
      fs.rmSync(journalOf(file));
      fs.mkdirSync(journalOf(file));
      const before = sb.snapshot();
      assertProblem(await c.post('/contacts', { name: 'Lost' }), 500);
      assertProblem(await c.post('/contacts', { name: 'Lost too' }), 500);
      assert.equal(sb.snapshot(), before, 'memory is what was acknowledged');
      assert.ok(
        logs.some((l) => /persisting .*recovers\.json failed: EISDIR/.test(l)),
        logs.join('\n'),
      );
      fs.rmdirSync(journalOf(file));
      assert.equal((await c.post('/contacts', { name: 'Acknowledged after' })).status, 200);
      assert.equal((await c.post('/contacts', { name: 'And appended' })).status, 200);
      assert.equal(readSavedState(file), sb.snapshot(), 'disk holds what memory holds, the write before the failure included');
    } finally {
      await sb.close();
    }
    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      const names = ((await c.get('/contacts?pageSize=500')).body.data as Json[]).map((p) => p.name as string);
      assert.deepEqual(
        ['Acknowledged before', 'Acknowledged after', 'And appended', 'Lost', 'Lost too'].map((n) => names.includes(n)),
        [true, true, true, false, false],
      );
    } finally {
      await sb.close();
    }
  });

  void test('a revocation moves the token generation on by one; a journal line cannot set it where revoking stops working', async () => {
    const file = path.join(dir, 'generations.json');
    const revokeThroughAdmin = async (sb: RunningSandbox): Promise<void> => {
      const r = await send(`${sb.url}/__sandbox/revoke-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(r.status, 200);
    };
    /** Each revocation refuses the token issued before it; the one issued after it works. */
    const assertRevocationsWork = async (sb: RunningSandbox, c: Client, times: number): Promise<string> => {
      let token = await c.token();
      for (let n = 0; n < times; n++) {
        await revokeThroughAdmin(sb);
        assertProblem(await c.get('/customers?pageSize=1', { token }), 401);
        token = await c.token();
        assert.equal((await c.get('/customers?pageSize=1', { token })).status, 200);
      }
      return token;
    };
    let { sb, c } = await withSandbox({ dataFile: file });
    await sb.close();
    const data = fs.readFileSync(file, 'utf8');
    const generation = JSON.parse(data).tokenGeneration as number;
    // At 2^53-1, generation + 1 is 2^53 and 2^53 + 1 is 2^53 again: revoking would stop working.
    fs.writeFileSync(journalOf(file), journalLine(1, `[["auth","revoke",[${Number.MAX_SAFE_INTEGER}]]]`));
    await assertStartRefused(startSandbox({ dataFile: file }), /generations\.json\.journal line 1 \(record 1\) cannot be replayed: call 0 \(auth\.revoke\)/);
    fs.rmSync(journalOf(file));

    ({ sb, c } = await withSandbox({ dataFile: file }));
    let token: string;
    try {
      token = await assertRevocationsWork(sb, c, 3);
      const journal = fs.readFileSync(journalOf(file), 'utf8');
      assert.deepEqual(
        journal
          .split('\n')
          .slice(0, -1)
          .map((l): unknown => JSON.parse(l).calls),
        [1, 2, 3].map((n) => [['auth', 'revoke', [generation + n]]]),
      );
    } finally {
      await sb.close();
    }
    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      assert.equal((await c.get('/customers?pageSize=1', { token })).status, 200, 'the last token stays valid across a restart');
      await assertRevocationsWork(sb, c, 1);
    } finally {
      await sb.close();
    }

    // A data file at the highest generation (written by hand): the next revocation starts again at 1.
    const highest = { ...JSON.parse(fs.readFileSync(file, 'utf8')), tokenGeneration: MAX_TOKEN_GENERATION };
    fs.writeFileSync(file, JSON.stringify(highest));
    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      token = await assertRevocationsWork(sb, c, 2);
      assert.deepEqual(JSON.parse(readSavedState(file) ?? '{}').tokenGeneration, 2);
    } finally {
      await sb.close();
    }
    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      assert.equal((await c.get('/customers?pageSize=1', { token })).status, 200);
      await assertRevocationsWork(sb, c, 1);
    } finally {
      await sb.close();
    }
  });
});
