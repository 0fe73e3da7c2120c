/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- assertions walk parsed JSON bodies */
// The live API's nulls (sandbox/liveNulls.ts): on by default, off with `liveNulls: false` or
// --no-live-nulls. Two sandboxes with the same seed get the same calls; walked along each
// operation's 200 schema, the answers differ only by the nulls: an optional field the document
// answer leaves out, or a required field openapi/overlay.json (nullableInResponses, read here from
// the file) names. Every entry of that list is seen as null, and nothing else differs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import { Router } from '../../../sandbox/http';
import type { RunningSandbox } from '../../../sandbox/index';
import { withLiveNulls } from '../../../sandbox/liveNulls';
import type { SpecOperation, SpecSchema } from '../../../sandbox/specTypes';
import { exited, REPO_ROOT, runCli, send, specProblems, tokenFor, withSandbox, type Client, type Json, type Reply } from './helpers';

const OVERLAY_NULLS: ReadonlySet<string> = new Set(
  Object.keys((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'openapi/overlay.json'), 'utf8')) as { nullableInResponses: object }).nullableInResponses),
);
const APP = '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5';
const ADDRESS = { street: '1 Null Way', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' };

/** Past `$ref`s and nullable `oneOf` wrappers: the schema, and the component it names. */
function resolve(schema: SpecSchema): { schema: SpecSchema; component: string | undefined } {
  let component: string | undefined;
  let current = schema;
  for (;;) {
    if (current.$ref) {
      component = current.$ref.replace('#/components/schemas/', '');
      current = CRM_SPEC.schemas[component] ?? {};
    } else if (current.oneOf) current = current.oneOf.find((branch) => branch.type !== 'null') ?? {};
    else return { schema: current, component };
  }
}

interface Seen {
  /** `Component.property` of required fields that were null with the live nulls (and a value without). */
  requiredNulls: Set<string>;
  /** Optional fields that were null with the live nulls and left out without. */
  optionalNulls: number;
}

/** Asserts that `live` is `document` plus the live API's nulls, walking both along `schema`. */
function compare(schema: SpecSchema, live: Json, document: Json, at: string, seen: Seen): void {
  const { schema: resolved, component } = resolve(schema);
  if (Array.isArray(document)) {
    assert.ok(Array.isArray(live) && live.length === document.length, `${at}: the same array`);
    document.forEach((item, i) => compare(resolved.items ?? {}, live[i], item, `${at}[${i}]`, seen));
    return;
  }
  if (document === null || typeof document !== 'object' || !resolved.properties) {
    // Timestamps of the records each sandbox created differ.
    if (resolved.format !== 'date-time') assert.deepEqual(live, document, at);
    return;
  }
  const required = new Set(resolved.required ?? []);
  const order = Object.keys(resolved.properties).filter((key) => key in live);
  assert.deepEqual(Object.keys(live as object).slice(0, order.length), order, `${at}: the document's order`);
  for (const [key, property] of Object.entries(resolved.properties)) {
    const where = `${at}.${key}`;
    if (live[key] === null && document[key] !== null) {
      if (!required.has(key)) {
        assert.equal(key in document, false, `${where}: an optional field null only where the document answer leaves it out`);
        seen.optionalNulls++;
      } else {
        assert.ok(OVERLAY_NULLS.has(`${component ?? ''}.${key}`), `${where}: null, though required and not in the overlay`);
        seen.requiredNulls.add(`${component ?? ''}.${key}`);
      }
    } else if (key in document) compare(property, live[key], document[key], where, seen);
    else assert.equal(key in live, false, `${where}: only in the live answer`);
  }
}

/** A null anywhere in a body, or undefined. */
function findNull(value: Json, at: string): string | undefined {
  if (value === null) return at;
  if (typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value as object)) {
    const found = findNull(item, `${at}.${key}`);
    if (found) return found;
  }
  return undefined;
}

const router = new Router(CRM_SPEC.operations);
/** The operation of a method and a concrete path (below the tenant), as the sandbox routes it. */
function operationOf(method: string, p: string): SpecOperation {
  const match = router.match(method, p.split('?')[0] ?? '');
  assert.ok(match.kind === 'found', `no operation for ${method} ${p}`);
  return match.operation;
}

void describe("the live API's nulls", () => {
  let live: { sb: RunningSandbox; c: Client };
  let documented: { sb: RunningSandbox; c: Client };
  const seen: Seen = { requiredNulls: new Set(), optionalNulls: 0 };

  before(async () => {
    live = await withSandbox();
    documented = await withSandbox({ liveNulls: false });
  });
  after(async () => {
    await live.sb.close();
    await documented.sb.close();
  });

  /** Makes the same call on both sandboxes and checks the two answers against each other and the document. */
  const both = async (method: string, p: string, body?: unknown): Promise<{ live: Reply; documented: Reply }> => {
    const [l, d] = await Promise.all([live.c.call(method, p, { body }), documented.c.call(method, p, { body })]);
    assert.equal(l.status, 200, `${method} ${p}: ${l.text}`);
    assert.equal(d.status, 200, `${method} ${p} (liveNulls: false): ${d.text}`);
    const schema = operationOf(method, p).response;
    assert.ok(schema, `${method} ${p} answers a body`);
    assert.deepEqual(specProblems(l.body, schema, 'live'), [], `${method} ${p}: the document with the overlay's nulls`);
    assert.deepEqual(specProblems(d.body, schema, 'document'), [], `${method} ${p} (liveNulls: false): the document alone`);
    assert.equal(findNull(d.body, '$'), undefined, `${method} ${p} (liveNulls: false): no null`);
    compare(schema, l.body, d.body, `${method} ${p}`, seen);
    return { live: l, documented: d };
  };

  void test('every list and export answers with nulls where the document answer leaves a field out', async () => {
    const paths = CRM_SPEC.operations
      .filter((op) => op.method === 'GET' && !op.path.includes('{') && op.response !== null)
      .map((op) => `${op.path}?pageSize=50`.replace(/^(\/export\/[^?]*)\?pageSize=50$/, '$1'));
    assert.ok(paths.length > 15, `GET operations without path parameters: ${paths.join(', ')}`);
    for (const p of paths) await both('GET', p);
    const page = await both('GET', '/customers?pageSize=3');
    assert.equal(page.live.body.totalCount, null, 'totalCount without includeTotal=true');
    assert.equal('totalCount' in page.documented.body, false);
    assert.equal(typeof (await both('GET', '/customers?pageSize=3&includeTotal=true')).live.body.totalCount, 'number');
    assert.ok(seen.optionalNulls > 100, `optional nulls seen: ${seen.optionalNulls}`);
  });

  void test("externalData is null unless the request names an application GUID; an e-mail contact's phoneSettings is null", async () => {
    const customer = await both('GET', '/customers/10000001');
    assert.equal(customer.live.body.externalData, null);
    assert.deepEqual(customer.documented.body.externalData, []);
    const named = await both('GET', `/customers?pageSize=5&externalDataApplicationGuid=${APP}`);
    assert.ok(
      (named.live.body.data as Json[]).every((c: Json) => Array.isArray(c.externalData)),
      'an application GUID named: arrays',
    );
    await both('GET', '/locations/30000002');

    const created = await both('POST', '/customers', {
      name: 'Nulls Inc',
      address: ADDRESS,
      contacts: [{ type: 'Email', value: 'nulls@example.com' }],
      locations: [{ name: 'Nulls HQ', address: ADDRESS, externalData: { applicationGuid: APP, externalData: [{ key: 'k', value: 'v' }] } }],
    });
    assert.equal(created.live.body.externalData, null);
    assert.deepEqual(created.live.body.locations[0].externalData, [{ key: 'k', value: 'v' }], "the location's request named a GUID");
    const customerId = created.live.body.id as number;
    assert.equal(created.documented.body.id, customerId);
    const location = await both('POST', '/locations', { customerId, name: 'Nulls Annex', address: { ...ADDRESS, street: '2 Null Way' } });
    assert.equal(location.live.body.externalData, null);

    for (const [parent, id] of [
      ['customers', customerId],
      ['locations', location.live.body.id as number],
    ] as const) {
      const email = await both('POST', `/${parent}/${id}/contacts`, { type: 'Email', value: `${parent}@example.com` });
      assert.equal(email.live.body.phoneSettings, null, `${parent}: an e-mail contact`);
      assert.deepEqual(email.documented.body.phoneSettings, { phoneNumber: '', doNotText: false });
      const phone = await both('POST', `/${parent}/${id}/contacts`, { type: 'Phone', value: '(512) 555-0100' });
      assert.deepEqual(phone.live.body.phoneSettings, { phoneNumber: '5125550100', doNotText: false }, `${parent}: a phone has its settings`);
      await both('GET', `/${parent}/${id}/contacts`);
      await both('PATCH', `/${parent}/${id}/contacts/${email.live.body.id as number}`, { memo: 'still e-mail' });
    }
    // The same fields of answers the overlay records nothing for are sent as the document says.
    const across = await both('GET', `/customers/contacts?customerIds=${customerId}`);
    assert.ok((across.live.body.data as Json[]).every((c: Json) => c.phoneSettings !== null));
    await both('GET', '/export/customers/contacts');
    await both('PATCH', `/customers/${customerId}`, { name: 'Nulls Renamed' });

    assert.deepEqual([...seen.requiredNulls].sort(), [...OVERLAY_NULLS].sort(), 'each required field the overlay names, and only those, came as null');
  });

  void test('the CLI sends the nulls unless --no-live-nulls is given, and its banner says so', async () => {
    const externalData = async (url: string): Promise<unknown> => {
      const headers = { authorization: `Bearer ${await tokenFor(url)}`, 'st-app-key': 'sandbox-app-key' };
      return (await send(`${url}/crm/v2/tenant/1000/customers/10000000`, { headers })).body.externalData;
    };
    for (const [args, expected, banner] of [
      [[], null, false],
      [['--no-live-nulls'], [], true],
    ] as const) {
      const cli = await runCli(['--customers', '2', ...args]);
      try {
        assert.deepEqual(await externalData(cli.url), expected, args.join(' '));
        assert.equal(/^ {2}live API nulls: {7}off \(values as the document says\)$/m.test(cli.stdout()), banner, cli.stdout());
      } finally {
        cli.proc.kill('SIGTERM');
        await exited(cli.proc);
      }
    }
  });
});

void describe('withLiveNulls', () => {
  const customer = { $ref: '#/components/schemas/Crm.V2.Customers.CustomerResponse' };

  void test('adds the nulls in the document order, keeps unknown keys after them as plain keys, and changes nothing it is given', () => {
    const value = JSON.parse(
      '{"name":"A","id":1,"address":{"street":"s","city":"c","state":"TX","zip":"1","country":"USA"},"__proto__":{"polluted":true},"extra":1}',
    );
    const before = JSON.stringify(value);
    const out = withLiveNulls(customer, value) as Record<string, unknown>;
    assert.equal(JSON.stringify(value), before, 'the input is not changed');
    const keys = Object.keys(out);
    assert.deepEqual(keys.slice(0, 3), ['id', 'name', 'address']);
    assert.deepEqual(keys.slice(-2), ['__proto__', 'extra']);
    assert.deepEqual(
      { ...(out.address as object) },
      { street: 's', unit: null, city: 'c', state: 'TX', zip: '1', country: 'USA', latitude: null, longitude: null },
    );
    assert.equal(out.mergedToId, null);
    assert.equal('active' in out, false, 'a required field left out stays out (the document check reports it)');
    assert.equal(Object.getPrototypeOf(out), Object.prototype, 'a __proto__ key sets no prototype');
    assert.ok(Object.hasOwn(out, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.match(JSON.stringify(out), /"__proto__":\{"polluted":true\},"extra":1\}$/);
  });

  void test('an unmarked required value is kept: only what a handler marks becomes null', () => {
    const out = withLiveNulls(customer, { id: 1, externalData: [] }) as Record<string, unknown>;
    assert.deepEqual(out.externalData, []);
  });
});
