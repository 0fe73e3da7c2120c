/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withSandbox, type Json } from './helpers';

// The list answers at 100,000 customers are checked against the seeded data in scaleAnswers.test.ts;
// how long they take is the bench's business (npm run bench), never a test's.
void describe('sandbox seeded data is deterministic', () => {
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
