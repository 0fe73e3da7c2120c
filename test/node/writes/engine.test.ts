// The one write pipeline (src/writes/engine.ts) against the sandbox over real loopback HTTP:
// validate before anything is sent, confirm on production (and only there, or when asked), the
// exact calls in the confirmation, resume from the failed step, lost answers looked for and used,
// record changes published, raw answers for request files.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CrmClient } from '../../../src/api/client';
import { ProblemError, RequestValidationError } from '../../../src/api/errors';
import type { CrmTransport } from '../../../src/api/transport';
import type { RecordChange } from '../../../src/model/recordChanges';
import { runWrite, type WriteConfirmation, type WriteConnection, type WriteHooks } from '../../../src/writes/engine';
import { writeStep, type WriteProgress } from '../../../src/writes/plan';
import { newContactPlan, operationPlan } from '../../../src/writes/recordPlans';
import { connect, sandbox, type Sandbox } from '../api/transportHarness';

/** Hooks that record what the engine asked and published, answering every confirmation with `answer`. */
function recordingHooks(answer = true): WriteHooks & { asked: WriteConfirmation[]; published: RecordChange[]; steps: string[]; changeErrors: unknown[] } {
  const hooks = {
    asked: [] as WriteConfirmation[],
    published: [] as RecordChange[],
    steps: [] as string[],
    changeErrors: [] as unknown[],
    confirm: (confirmation: WriteConfirmation) => {
      hooks.asked.push(confirmation);
      return Promise.resolve(answer);
    },
    publish: (change: RecordChange) => {
      hooks.published.push(change);
      return Promise.resolve();
    },
    onStep: (label: string) => hooks.steps.push(label),
    onChangeError: (error: unknown) => hooks.changeErrors.push(error),
  };
  return hooks;
}

void describe('the write pipeline', () => {
  let sb: Sandbox;
  let transport: CrmTransport;
  let client: CrmClient;
  /** Every write request line the sandbox logged (method and path), in order. */
  const writes: string[] = [];
  let customerId: number;

  const connection = (production: boolean): WriteConnection => ({
    profile: { id: 'p1', name: production ? 'Live copy' : 'Test', tenant: sb.tenant, production },
    client,
    describe: (request) => transport.describe(request),
  });

  before(async () => {
    sb = await sandbox({
      log: (line) => {
        if (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line)) writes.push(line.replace(/ -> .*$/, ''));
      },
    });
    transport = connect(sb).transport;
    client = new CrmClient(transport);
    const first = (await client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(first);
    customerId = first.id;
  });
  after(async () => {
    await transport.close();
    await sb.close();
  });
  beforeEach(() => {
    sb.faults.clear();
    writes.length = 0;
  });

  const methods = [
    // Row keys a page chose, named like Object.prototype members: plain data all the same.
    { key: 'constructor', body: { type: 'Email' as const, value: 'kim@example.com' } },
    { key: 'toString', body: { type: 'Phone' as const, value: '555-010-2000' } },
  ];

  void it('creates, links and adds every method, publishing each record once', async () => {
    const hooks = recordingHooks();
    const referenceId = `engine-${Date.now()}`;
    const outcome = await runWrite(
      connection(false),
      newContactPlan({ person: { name: 'Kim Engine', referenceId }, customer: { id: customerId, name: 'Acme' }, methods }),
      hooks,
    );
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    assert.equal(outcome.result.methods, 2);
    assert.equal(outcome.result.message, 'Created Kim Engine for Acme with 2 contact methods.');
    assert.deepEqual(hooks.asked, [], 'no confirmation off production');
    const [person] = (await client.listContacts({ referenceId })).data;
    assert.ok(person);
    assert.equal(outcome.result.contactId, person.id);
    assert.deepEqual(
      (await client.allContactRelationships(person.id)).map((link) => link.relatedEntityId),
      [customerId],
    );
    assert.deepEqual((await client.allContactMethods(person.id)).map((method) => method.value).sort(), ['555-010-2000', 'kim@example.com']);
    assert.deepEqual(
      hooks.published.map((change) => (change.type === 'created' ? `${change.entity.kind}:${JSON.stringify(change.relatedTo ?? null)}` : change.type)),
      [`person:[${customerId}]`, 'contactMethod:null', 'contactMethod:null'],
    );
    assert.equal(writes.length, 4);
  });

  void it('on a production profile asks once, naming every call with its method, full URL and body; a no sends nothing', async () => {
    const hooks = recordingHooks(false);
    const outcome = await runWrite(connection(true), newContactPlan({ person: { name: 'Never Sent' }, customer: { id: customerId }, methods }), hooks);
    assert.equal(outcome.status, 'declined');
    assert.deepEqual(writes, [], 'nothing reached the sandbox');
    assert.equal(hooks.asked.length, 1);
    const asked = hooks.asked[0];
    assert.ok(asked);
    assert.deepEqual(asked.profile, { id: 'p1', name: 'Live copy', tenant: sb.tenant, production: true });
    const root = `${sb.url}/crm/v2/tenant/${sb.tenant}`;
    assert.deepEqual(
      asked.calls.map((call) => `${call.method} ${call.url} ${call.body ?? ''}`),
      [
        `POST ${root}/contacts {"name":"Never Sent"}`,
        `POST ${root}/contacts/{contactId}/relationships/${customerId}/customer `,
        `POST ${root}/contacts/{contactId}/contact-methods {"type":"Email","value":"kim@example.com"}`,
        `POST ${root}/contacts/{contactId}/contact-methods {"type":"Phone","value":"555-010-2000"}`,
      ],
    );
  });

  void it('a script that confirmed production in its arguments is not asked again', async () => {
    const hooks = recordingHooks(false);
    const outcome = await runWrite(connection(true), newContactPlan({ person: { name: 'Confirmed By Script' } }), hooks, { productionConfirmed: true });
    assert.equal(outcome.status, 'done');
    assert.equal(hooks.asked.length, 0);
  });

  void it("asks the caller's own question off production too, and never asks for a read on production", async () => {
    const asked = recordingHooks(false);
    const question = { message: 'Delete it?', button: 'Delete' };
    const declined = await runWrite(connection(false), newContactPlan({ person: { name: 'Asked Anyway' } }), asked, { question });
    assert.equal(declined.status, 'declined');
    assert.equal(asked.asked[0]?.question, question);
    const read = recordingHooks(false);
    const listed = await runWrite(connection(true), operationPlan('Customers_GetList', { query: { pageSize: 1 } }), read);
    assert.equal(listed.status, 'done');
    assert.equal(read.asked.length, 0);
  });

  void it('checks every call before the first is sent: a bad method row stops the write before it starts', async () => {
    const hooks = recordingHooks();
    const bad = [methods[0] ?? methods[1], { key: 'row2', body: { type: 'Email' as const, value: 'not-an-email' } }].flatMap((row) => (row ? [row] : []));
    const outcome = await runWrite(connection(true), newContactPlan({ person: { name: 'Checked First' }, methods: bad }), hooks);
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.error instanceof RequestValidationError);
    assert.deepEqual(outcome.step.base, ['contactMethods', 1]);
    assert.equal(hooks.asked.length, 0, 'nothing to confirm for a write that cannot be sent');
    assert.deepEqual(writes, []);
  });

  void it('resumes from the step that failed: one person, every method, nothing sent twice', async () => {
    const referenceId = `resume-${Date.now()}`;
    const plan = newContactPlan({ person: { name: 'Resume Me', referenceId }, customer: { id: customerId }, methods });
    const progress: WriteProgress = new Map();
    sb.faults.add({ kind: 'error5xx', status: 500, method: 'POST', path: '^/contacts/[^/]+/contact-methods$', count: 2 });
    // A 500 on a POST is not retried: the first method fails.
    const failed = await runWrite(connection(false), plan, recordingHooks(), { progress });
    assert.equal(failed.status, 'failed', JSON.stringify(failed));
    assert.equal(failed.step.key, 'method:constructor');
    assert.ok(failed.error instanceof ProblemError);
    assert.match(failed.done ?? '', /^Already done: created Resume Me \([0-9a-f-]+\), linked it to customer #\d+\./);
    assert.deepEqual([...progress.keys()], ['person', 'link']);
    const second = await runWrite(connection(false), plan, recordingHooks(), { progress });
    assert.equal(second.status, 'failed', 'the fault fires once more');
    writes.length = 0;
    const done = await runWrite(connection(false), plan, recordingHooks(), { progress });
    assert.equal(done.status, 'done', JSON.stringify(done));
    assert.equal(writes.length, 2, 'only the two methods were sent');
    const people = (await client.listContacts({ referenceId })).data;
    assert.equal(people.length, 1);
    assert.equal((await client.allContactMethods(people[0]?.id ?? '')).length, 2);
  });

  void it('after a lost answer looks for what the create made, and goes on with the record the user picks', async () => {
    const referenceId = `lost-${Date.now()}`;
    const plan = newContactPlan({ person: { name: 'Lost Answer', referenceId }, customer: { id: customerId }, methods: methods.slice(0, 1) });
    const progress: WriteProgress = new Map();
    sb.faults.add({ kind: 'truncate', method: 'POST', path: '^/contacts$', count: 1 });
    const lost = await runWrite(connection(false), plan, recordingHooks(), { progress });
    assert.equal(lost.status, 'maybeCreated', JSON.stringify(lost));
    const made = (await client.listContacts({ referenceId })).data;
    assert.equal(made.length, 1, 'the sandbox did create it');
    assert.deepEqual(
      lost.candidates.map((candidate) => (candidate.record as { id: string }).id),
      made.map((person) => person.id),
    );
    const hooks = recordingHooks();
    const used = await runWrite(connection(false), plan, hooks, { progress, resolution: { use: lost.candidates[0]?.record } });
    assert.equal(used.status, 'done', JSON.stringify(used));
    assert.equal((await client.listContacts({ referenceId })).data.length, 1, 'still one person');
    assert.equal((await client.allContactMethods(made[0]?.id ?? '')).length, 1);
    assert.ok(
      hooks.published.some((change) => change.type === 'created' && change.entity.kind === 'person'),
      'the linked person is published (read afresh)',
    );
  });

  void it('a request-file call answers with what came back, a 4xx included, and resolves path values in the URL it shows', async () => {
    const hooks = recordingHooks();
    const refused = await runWrite(
      connection(true),
      operationPlan('Customers_CreateContact', { path: { id: customerId }, body: { type: 'Email', value: 'x@example.com' } }),
      hooks,
    );
    assert.equal(refused.status, 'done');
    assert.equal(hooks.asked[0]?.calls[0]?.url, `${sb.url}/crm/v2/tenant/${sb.tenant}/customers/${customerId}/contacts`);
    const missing = await runWrite(
      connection(false),
      operationPlan('Contacts_Get', { path: { id: '00000000-0000-4000-8000-000000000000' } }),
      recordingHooks(),
    );
    assert.equal(missing.status, 'done');
    assert.equal((missing.status === 'done' ? missing.result : undefined)?.status, 404);
  });

  void it('a record change that cannot be made does not fail a write that was done', async () => {
    const hooks = recordingHooks();
    const plan = {
      title: 'Odd',
      steps: [
        writeStep({
          key: 'create',
          label: 'Creating',
          operationId: 'Contacts_Create',
          input: { body: { name: 'Change Fails' } },
          change: () => {
            throw new Error('the tree is gone');
          },
        }),
      ],
      finish: () => 'ok',
    };
    const outcome = await runWrite(connection(false), plan, hooks);
    assert.equal(outcome.status, 'done');
    assert.equal(hooks.changeErrors.length, 1);
  });
});
