// The suite engine (src/suites/runner.ts) against the sandbox over real loopback HTTP: variables and
// captures (types kept), expectations of every kind with expected, actual and their place in the
// file, skips after a failed capture, the teardown after a failure and after a cancel, the one
// production confirmation listing every write, `"check": false`, events and the results object.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ProblemError } from '../../../src/api/errors';
import { freshSandboxPerSuite } from '../../../src/suites/freshSandbox';
import { runSuite, runSuites, suiteWrites, type StepResult, type SuiteEvent, type SuiteRunOptions } from '../../../src/suites/runner';
import type { WriteConfirmation } from '../../../src/writes/engine';
import { fakeApi, fakeTransport, sandbox, type Sandbox } from '../api/transportHarness';
import { CrmClient } from '../../../src/api/client';
import { eventLog, fixedBuiltIns, lineColumnOf, sandboxConnection, suiteOf, type Connected } from './harness';

const never = (): Promise<boolean> => Promise.reject(new Error('nothing should ask'));

void describe('the suite engine', () => {
  let sb: Sandbox;
  let c: Connected;
  let customerId: number;
  /** Write request lines the sandbox logged, in order. */
  const writes: string[] = [];

  before(async () => {
    sb = await sandbox({
      customers: 5,
      log: (line) => {
        if (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line)) writes.push(line.replace(/ -> .*$/, ''));
      },
    });
    c = sandboxConnection(sb);
    const first = (await c.client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(first);
    customerId = first.id;
  });
  after(async () => {
    await c.transport.close();
    await sb.close();
  });
  beforeEach(() => {
    sb.faults.clear();
    writes.length = 0;
  });

  const options = (more: Partial<SuiteRunOptions> = {}): SuiteRunOptions & { events: SuiteEvent[] } => {
    const events: SuiteEvent[] = [];
    return { confirm: never, builtIns: fixedBuiltIns(), onEvent: (event) => events.push(event), events, ...more };
  };

  const contactGone = async (id: string): Promise<boolean> => {
    try {
      await c.client.getContact(id);
      return false;
    } catch (error) {
      return error instanceof ProblemError && error.status === 404;
    }
  };

  void it("chains captures into later steps, keeping a whole-string reference's JSON type, and tears down what it made", async () => {
    const suite = suiteOf({
      name: 'Chain',
      variables: { customerId, label: 'Kim {{$uuid}}', referenceId: 'ref-{{customerId}}' },
      steps: [
        {
          name: 'create person',
          operation: 'Contacts_Create',
          body: { name: '{{label}}', referenceId: '{{referenceId}}' },
          expect: { status: 200, body: { name: '{{label}}' } },
          capture: { contactId: '$.id', made: '$' },
        },
        {
          name: 'link',
          operation: 'Contacts_CreateContactRelationship',
          path: { contactId: '{{contactId}}', relatedEntityId: '{{customerId}}', typeSlug: 'customer' },
        },
        {
          name: 'read links',
          operation: 'Contacts_GetContactRelationshipList',
          path: { contactId: '{{contactId}}' },
          expect: { paths: { '$.data[0].relatedEntityId': '{{customerId}}', '$.data[0].typeSlug': 'customer' } },
        },
        {
          name: 'add email',
          operation: 'ContactMethods_CreateContactMethod',
          path: { contactId: '{{contactId}}' },
          body: { type: 'Email', value: 'p{{customerId}}@example.com' },
          expect: { paths: { '$.value': 'p{{customerId}}@example.com', '$.contactId': '{{contactId}}' } },
        },
        { name: 'read person', operation: 'Contacts_Get', path: { id: '{{contactId}}' }, expect: { body: '{{made}}' } },
      ],
      teardown: [
        {
          name: 'unlink',
          operation: 'Contacts_DeleteContactRelationship',
          path: { contactId: '{{contactId}}', relatedEntityId: '{{customerId}}', typeSlug: 'customer' },
        },
        { name: 'delete person', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } },
      ],
    });
    const run = options();
    const result = await runSuite(suite, c.connection, run);
    assert.deepEqual(
      [...result.steps, ...result.teardown].map((step) => `${step.status} ${step.name}`),
      ['passed create person', 'passed link', 'passed read links', 'passed add email', 'passed read person', 'passed unlink', 'passed delete person'],
      JSON.stringify(result, null, 1),
    );
    assert.deepEqual(
      { passed: result.passed, failed: result.failed, skipped: result.skipped, errored: result.errored, status: result.status },
      { passed: 7, failed: 0, skipped: 0, errored: 0, status: 'passed' },
    );
    // The person was made with the variables written in, and is gone after the teardown.
    const created = writes[0];
    assert.equal(created, `POST /crm/v2/tenant/${sb.tenant}/contacts`);
    const person = result.steps[0]?.exchange;
    assert.ok(person?.requestBody);
    assert.ok(person.requestBody.includes(`"referenceId":"ref-${customerId}"`), person.requestBody);
    assert.ok(person.requestBody.includes('"name":"Kim 00000000-0000-4000-8000-000000000001"'));
    const contactId = JSON.parse(person.responseText) as { id: string };
    assert.ok(await contactGone(contactId.id));
    assert.deepEqual(eventLog(run.events), [
      'suiteStarted Chain',
      ...['create person', 'link', 'read links', 'add email', 'read person', 'unlink', 'delete person'].flatMap((name) => [
        `stepStarted ${name}`,
        `stepPassed ${name}`,
      ]),
      'suitePassed Chain',
    ]);
    for (const step of [...result.steps, ...result.teardown]) assert.ok(step.durationMs > 0, `${step.name} has a time`);
  });

  void it('reports every unmet expectation with expected, actual and the line and column of the expectation', async () => {
    const suite = suiteOf({
      name: 'Wrong',
      variables: { customerId },
      steps: [
        {
          name: 'customer',
          operation: 'Customers_Get',
          path: { id: '{{customerId}}' },
          expect: {
            status: [201, 202],
            body: { id: '{{customerId}}', name: 'Nobody', address: { city: 'Nowhere' }, tagTypeIds: [987654] },
            paths: { '$.id': '{{customerId}}', '$.active': false, '$.nope': 1 },
          },
        },
        {
          name: 'problem',
          operation: 'Customers_CreateContact',
          check: false,
          path: { id: '{{customerId}}' },
          body: { type: 'Email', value: 'bad' },
          expect: { status: 400, problem: { errors: { Value: 'kaboom', Type: 'x' }, title: 'zzz' } },
        },
        {
          name: 'keys',
          operation: 'Customers_CreateContact',
          check: false,
          path: { id: '{{customerId}}' },
          body: { type: 'Email', value: 'bad' },
          expect: { status: 400, problem: { errors: ['value', 'Memo'] } },
        },
        { name: 'no problem', operation: 'Customers_Get', path: { id: '{{customerId}}' }, expect: { problem: { title: 'x' } } },
        { name: 'default status', operation: 'Customers_Get', path: { id: 99999999 } },
      ],
    });
    const result = await runSuite(suite, c.connection, options());
    const [customer, problem, keys, noProblem, defaultStatus] = result.steps;
    const where = (step: StepResult | undefined): string[] =>
      (step?.failures ?? []).map((f) => `${f.expectation} ${JSON.stringify(f.expected)} ${JSON.stringify(f.actual)} ${f.location.line}:${f.location.column}`);
    const at = (needle: string, occurrence = 0): string => {
      const { line, column } = lineColumnOf(suite, needle, occurrence);
      return `${line}:${column}`;
    };
    /** Where the value of a key starts (`"key": ` and then the value). */
    const valueOf = (key: string): string => {
      const { line, column } = lineColumnOf(suite, `${key}: `);
      return `${line}:${column + key.length + 2}`;
    };
    const actual = await c.client.getCustomer(customerId);
    assert.equal(customer?.status, 'failed');
    assert.deepEqual(where(customer), [
      `status [201,202] 200 ${valueOf('"status"')}`,
      `body "Nobody" ${JSON.stringify(actual.name)} ${at('"Nobody"')}`,
      `body "Nowhere" ${JSON.stringify(actual.address.city)} ${at('"Nowhere"')}`,
      // A list of another length fails as a whole; one of the same length, item by item.
      actual.tagTypeIds.length === 1
        ? `body 987654 ${JSON.stringify(actual.tagTypeIds[0])} ${at('987654')}`
        : `body [987654] ${JSON.stringify(actual.tagTypeIds)} ${valueOf('"tagTypeIds"')}`,
      `paths false true ${valueOf('"$.active"')}`,
      `paths 1 undefined ${valueOf('"$.nope"')}`,
    ]);
    assert.equal(problem?.status, 'failed');
    assert.deepEqual(where(problem), [
      `problem "kaboom" ["The Value field is not a valid e-mail address."] ${at('"kaboom"')}`,
      `problem "x" ["Value"] ${at('"x"')}`,
      `problem "zzz" "One or more validation errors occurred." ${at('"zzz"')}`,
    ]);
    assert.deepEqual(where(keys), [`problem "Memo" ["Value"] ${at('"Memo"')}`], 'field keys compare as the server spells them (value = Value)');
    assert.equal(noProblem?.failures[0]?.message, 'Expected problem details (an error answer), got status 200 without them.');
    assert.deepEqual(
      where(defaultStatus),
      [`status "2xx" 404 ${at('"Customers_Get"', 2)}`],
      'without expect.status any 2xx passes, and the failure sits on the operation',
    );
    assert.match(defaultStatus?.failures[0]?.message ?? '', /^Expected status 2xx, got 404: /);
    assert.deepEqual({ failed: result.failed, passed: result.passed }, { failed: 5, passed: 0 });
  });

  void it("checks a 2xx answer against the document's response schema unless told not to", async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'not a number', name: 7 }));
    });
    const { transport } = fakeTransport(api.environment);
    try {
      const client = new CrmClient(transport);
      const connection = {
        profile: { id: 'f', name: 'Fake', tenant: '1000', production: false },
        client,
        describe: (r: Parameters<typeof transport.describe>[0]) => transport.describe(r),
      };
      const suite = suiteOf({
        name: 'Schema',
        steps: [
          { name: 'checked', operation: 'Customers_Get', path: { id: 1 } },
          { name: 'not checked', operation: 'Customers_Get', path: { id: 1 }, expect: { schema: false, paths: { '$.name': 7 } } },
        ],
      });
      const result = await runSuite(suite, connection, options());
      assert.deepEqual(
        result.steps.map((step) => step.status),
        ['failed', 'passed'],
      );
      const failure = result.steps[0]?.failures[0];
      assert.equal(failure?.expectation, 'schema');
      assert.equal(failure?.expected, 'Crm.V2.Customers.CustomerResponse');
      assert.ok(Array.isArray(failure?.actual) && failure.actual.some((issue) => String(issue).startsWith('id:')), JSON.stringify(failure?.actual));
    } finally {
      await transport.close();
      await api.close();
    }
  });

  void it('errors a step whose capture finds nothing, skips the steps that need it, and still runs the teardown with what was captured', async () => {
    const suite = suiteOf({
      name: 'Capture',
      steps: [
        { name: 'create', operation: 'Contacts_Create', body: { name: 'Capture Test' }, capture: { contactId: '$.id', missing: '$.nope' } },
        { name: 'needs missing', operation: 'Contacts_Get', path: { id: '{{missing}}' } },
        { name: 'independent', operation: 'Customers_Get', path: { id: customerId } },
        { name: 'unknown', operation: 'Contacts_Get', path: { id: '{{nobody}}' } },
      ],
      teardown: [
        { name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } },
        { name: 'needs missing too', operation: 'Contacts_DeleteContact', path: { id: '{{missing}}' } },
      ],
    });
    const result = await runSuite(suite, c.connection, options());
    assert.deepEqual(
      [...result.steps, ...result.teardown].map((step) => step.status),
      ['errored', 'skipped', 'passed', 'errored', 'passed', 'skipped'],
    );
    const [create, needs, , unknown] = result.steps;
    assert.deepEqual(
      create?.errors.map((e) => e.message),
      ['Capture missing: $.nope selects nothing in the answer (status 200).'],
    );
    assert.deepEqual(create?.errors[0]?.location.line, lineColumnOf(suite, '"$.nope"').line);
    assert.equal(needs?.skipReason, 'Skipped: needs {{missing}}, captured by "create", which had an error.');
    assert.match(unknown?.errors[0]?.message ?? '', /^Unknown variable \{\{nobody\}\}/);
    assert.deepEqual(unknown?.errors[0]?.location.line, lineColumnOf(suite, '"{{nobody}}"').line);
    assert.equal(result.teardown[1]?.skipReason, 'Skipped: needs {{missing}}, which was not captured.');
    const id = (JSON.parse(create?.exchange?.responseText ?? '{}') as { id: string }).id;
    assert.ok(await contactGone(id), 'the teardown deleted what the errored step made');
    assert.equal(writes.filter((line) => line.startsWith('GET')).length, 0);
    assert.equal(result.status, 'errored');
  });

  void it('runs the teardown after a failed step, and skips the steps needing captures of a failed step', async () => {
    const suite = suiteOf({
      name: 'Failure',
      steps: [
        { name: 'create', operation: 'Contacts_Create', body: { name: 'Fails' }, expect: { body: { name: 'Something else' } }, capture: { contactId: '$.id' } },
        { name: 'read', operation: 'Contacts_Get', path: { id: '{{contactId}}' } },
      ],
      teardown: [{ name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } }],
    });
    const result = await runSuite(suite, c.connection, options());
    assert.deepEqual(
      [...result.steps, ...result.teardown].map((step) => step.status),
      ['failed', 'skipped', 'passed'],
    );
    assert.equal(result.steps[1]?.skipReason, 'Skipped: needs {{contactId}}, captured by "create", which failed.');
    const id = (JSON.parse(result.steps[0]?.exchange?.responseText ?? '{}') as { id: string }).id;
    assert.ok(await contactGone(id));
  });

  void it('runs the teardown after a cancel: the step in flight is abandoned, the rest skipped', async () => {
    sb.faults.add({ kind: 'latency', method: 'GET', path: '^/customers/\\d+$', latencyMs: 5_000 });
    const controller = new AbortController();
    const suite = suiteOf({
      name: 'Cancel',
      steps: [
        { name: 'create', operation: 'Contacts_Create', body: { name: 'Cancelled' }, capture: { contactId: '$.id' } },
        { name: 'slow', operation: 'Customers_Get', path: { id: customerId } },
        { name: 'after', operation: 'Contacts_Get', path: { id: '{{contactId}}' } },
      ],
      teardown: [{ name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } }],
    });
    const events: SuiteEvent[] = [];
    const run = options({
      signal: controller.signal,
      // Cancel while the slow step waits for its answer.
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'stepStarted' && event.step.name === 'slow') setTimeout(() => controller.abort(), 50);
      },
    });
    const started = Date.now();
    const results = await runSuites([{ file: suite.file, parsed: { ok: true, suite } }], { kind: 'shared', connection: c.connection }, run);
    assert.ok(Date.now() - started < 4_500, 'the slow step was abandoned, not waited for');
    const [result] = results.suites;
    assert.equal(results.cancelled, true);
    assert.deepEqual(
      [...(result?.steps ?? []), ...(result?.teardown ?? [])].map((step) => step.status),
      ['passed', 'errored', 'skipped', 'passed'],
    );
    assert.equal(result?.steps[2]?.skipReason, 'Skipped: the run was cancelled.');
    const id = (JSON.parse(result?.steps[0]?.exchange?.responseText ?? '{}') as { id: string }).id;
    assert.ok(await contactGone(id), 'the teardown ran after the cancel');
    assert.deepEqual(eventLog(events).slice(-3), ['stepStarted delete', 'stepPassed delete', 'suiteErrored Cancel']);
  });

  void it('on production asks once, listing every write of the run (teardown included, reads left out), before anything is sent', async () => {
    const live = sandboxConnection(sb, true);
    try {
      const suite = suiteOf({
        name: 'Live',
        variables: { customerId, note: 'n-{{$uuid}}' },
        steps: [
          { name: 'read', operation: 'Customers_Get', path: { id: '{{customerId}}' } },
          { name: 'create', operation: 'Contacts_Create', body: { name: 'Kim', referenceId: '{{note}}' }, capture: { contactId: '$.id' } },
          {
            name: 'link',
            operation: 'Contacts_CreateContactRelationship',
            path: { contactId: '{{contactId}}', relatedEntityId: '{{customerId}}', typeSlug: 'customer' },
          },
        ],
        teardown: [
          {
            name: 'unlink',
            operation: 'Contacts_DeleteContactRelationship',
            path: { contactId: '{{contactId}}', relatedEntityId: '{{customerId}}', typeSlug: 'customer' },
          },
          { name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } },
        ],
      });
      const root = `${sb.url}/crm/v2/tenant/${sb.tenant}`;
      const expected = [
        `Live: create POST ${root}/contacts {"name":"Kim","referenceId":"n-00000000-0000-4000-8000-000000000001"}`,
        `Live: link POST ${root}/contacts/{contactId}/relationships/${customerId}/customer `,
        `Live: teardown: unlink DELETE ${root}/contacts/{contactId}/relationships/${customerId}/customer `,
        `Live: teardown: delete DELETE ${root}/contacts/{id} `,
      ];
      const asked: WriteConfirmation[] = [];
      const declined = await runSuite(suite, live.connection, options({ confirm: (confirmation) => (asked.push(confirmation), Promise.resolve(false)) }));
      assert.equal(asked.length, 1);
      assert.deepEqual(
        asked[0]?.calls.map((call) => `${call.label} ${call.method} ${call.url} ${call.body ?? ''}`),
        expected,
      );
      assert.equal(asked[0]?.profile.production, true);
      assert.deepEqual(writes, [], 'a no sends nothing');
      assert.deepEqual(
        [...declined.steps, ...declined.teardown].map((step) => step.status),
        ['skipped', 'skipped', 'skipped', 'skipped', 'skipped'],
      );
      assert.deepEqual(
        suiteWrites([suite], live.connection, { builtIns: fixedBuiltIns() }).map((call) => `${call.label} ${call.method} ${call.url} ${call.body ?? ''}`),
        expected,
      );

      asked.length = 0;
      const yes = await runSuite(suite, live.connection, options({ confirm: (confirmation) => (asked.push(confirmation), Promise.resolve(true)) }));
      assert.equal(asked.length, 1, 'one yes covers every step: the write pipeline does not ask again');
      assert.equal(yes.status, 'passed', JSON.stringify(yes, null, 1));
      assert.equal(writes.length, 4);
      // Two suites on one production connection: still one question.
      asked.length = 0;
      const both = await runSuites(
        [suite, suite].map((s) => ({ file: s.file, parsed: { ok: true as const, suite: s } })),
        { kind: 'shared', connection: live.connection },
        options({ confirm: (confirmation) => (asked.push(confirmation), Promise.resolve(true)) }),
      );
      assert.equal(asked.length, 1);
      assert.equal(asked[0]?.calls.length, 8);
      assert.equal(both.passed, 10);
    } finally {
      await live.transport.close();
    }
  });

  void it('takes each suite its own `only` (one step of one suite, all of another), with one production question for both', async () => {
    const live = sandboxConnection(sb, true);
    try {
      const first = suiteOf({
        name: 'First',
        steps: [
          { name: 'create', operation: 'Contacts_Create', body: { name: 'One' }, capture: { contactId: '$.id' } },
          { name: 'second create', operation: 'Contacts_Create', body: { name: 'Two' } },
          { name: 'read', operation: 'Contacts_Get', path: { id: '{{contactId}}' } },
        ],
        teardown: [{ name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } }],
      });
      const second = suiteOf({ name: 'Second', steps: [{ name: 'list', operation: 'Customers_GetList', query: { pageSize: 1 } }] });
      const asked: WriteConfirmation[] = [];
      const results = await runSuites(
        [
          { file: first.file, parsed: { ok: true, suite: first }, only: new Set([2]) },
          { file: second.file, parsed: { ok: true, suite: second } },
        ],
        { kind: 'shared', connection: live.connection },
        options({ confirm: (confirmation) => (asked.push(confirmation), Promise.resolve(true)) }),
      );
      assert.equal(asked.length, 1);
      assert.deepEqual(
        asked[0]?.calls.map((call) => call.label),
        ['First: create', 'First: teardown: delete'],
        'the step left out is not listed',
      );
      assert.deepEqual(
        results.suites.map((suite) => [...suite.steps, ...suite.teardown].map((step) => `${step.status} ${step.name}`)),
        [['passed create', 'passed read', 'passed delete'], ['passed list']],
      );
      assert.equal(writes.length, 2, 'the create and the delete');
    } finally {
      await live.transport.close();
    }
  });

  void it('sends a bad payload as written with "check": false, and refuses it before sending without', async () => {
    const suite = suiteOf({
      name: 'Unchecked',
      variables: { customerId },
      steps: [
        {
          name: 'unchecked',
          operation: 'Customers_CreateContact',
          check: false,
          path: { id: '{{customerId}}' },
          body: { type: 'Email', value: 'not-an-email', extra: 1 },
          expect: { status: 400, problem: { errors: ['extra'] } },
        },
        { name: 'checked', operation: 'Customers_CreateContact', path: { id: '{{customerId}}' }, body: { type: 'Email', value: 'not-an-email' } },
      ],
    });
    const result = await runSuite(suite, c.connection, options());
    assert.deepEqual(
      result.steps.map((step) => step.status),
      ['passed', 'errored'],
    );
    assert.equal(result.steps[0]?.exchange?.requestBody, '{"type":"Email","value":"not-an-email","extra":1}');
    assert.deepEqual(writes, [`POST /crm/v2/tenant/${sb.tenant}/customers/${customerId}/contacts`], 'only the unchecked step was sent');
    const refused = result.steps[1]?.errors[0];
    assert.match(refused?.message ?? '', /^Not sent: value: /);
    assert.equal(refused?.location.line, lineColumnOf(suite, '"not-an-email"', 1).line, 'the refusal sits on the field');
  });

  void it('errors a step whose answer was lost, and does not send a create again (the lost-answer rules)', async () => {
    sb.faults.add({ kind: 'reset', method: 'POST', path: '^/contacts$', count: 1 });
    const suite = suiteOf({
      name: 'Lost',
      steps: [
        { name: 'create', operation: 'Contacts_Create', body: { name: 'Lost Answer' }, capture: { contactId: '$.id' } },
        { name: 'read', operation: 'Contacts_Get', path: { id: '{{contactId}}' } },
      ],
    });
    const result = await runSuite(suite, c.connection, options());
    assert.deepEqual(
      result.steps.map((step) => step.status),
      ['errored', 'skipped'],
    );
    assert.match(result.steps[0]?.errors[0]?.message ?? '', /^The answer was lost \(.+\): the record may have been created, so the step is not sent again\./);
    assert.equal(writes.length, 1, 'the create went out once');
  });

  void it('stops at the first failure with bail (the teardown still runs), and runs one step with the steps it needs', async () => {
    const suite = suiteOf({
      name: 'Bail',
      steps: [
        { name: 'create', operation: 'Contacts_Create', body: { name: 'Bail' }, capture: { contactId: '$.id' } },
        { name: 'wrong', operation: 'Customers_Get', path: { id: customerId }, expect: { status: 404 } },
        { name: 'read', operation: 'Contacts_Get', path: { id: '{{contactId}}' } },
        { name: 'list', operation: 'Customers_GetList', query: { pageSize: 1 } },
      ],
      teardown: [{ name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } }],
    });
    const bailed = await runSuite(suite, c.connection, options({ bail: true }));
    assert.deepEqual(
      [...bailed.steps, ...bailed.teardown].map((step) => step.status),
      ['passed', 'failed', 'skipped', 'skipped', 'passed'],
    );
    assert.equal(bailed.steps[2]?.skipReason, 'Skipped: --bail stopped the run at the first failure.');
    const one = await runSuite(suite, c.connection, options({ only: new Set([2]) }));
    assert.deepEqual(
      [...one.steps, ...one.teardown].map((step) => `${step.status} ${step.name}`),
      ['passed create', 'passed read', 'passed delete'],
    );
  });

  void it('against a fresh sandbox per suite: its seed, customers and a fault rule that turns exactly one step red', async () => {
    const suite = suiteOf({
      name: 'Fresh',
      sandbox: { seed: 11, customers: 3, faults: [{ kind: 'error5xx', method: 'POST', path: '^/contacts$', status: 500, count: 1 }] },
      steps: [
        { name: 'count', operation: 'Customers_GetList', query: { includeTotal: true }, expect: { paths: { '$.totalCount': 3 } } },
        { name: 'first create fails', operation: 'Contacts_Create', body: { name: 'A' } },
        { name: 'second create passes', operation: 'Contacts_Create', body: { name: 'B' } },
      ],
    });
    const results = await runSuites([{ file: suite.file, parsed: { ok: true, suite } }], freshSandboxPerSuite(), options());
    const steps = results.suites[0]?.steps ?? [];
    assert.deepEqual(
      steps.map((step) => step.status),
      ['passed', 'failed', 'passed'],
    );
    assert.equal(steps[1]?.failures[0]?.actual, 500);
    assert.deepEqual({ passed: results.passed, failed: results.failed }, { passed: 2, failed: 1 });
    assert.deepEqual(writes, [], 'the shared sandbox saw nothing');
  });

  void it('reports a file that does not parse, and a sandbox that does not start, as suites in error', async () => {
    const bad = suiteOf({ name: 'Bad sandbox', sandbox: { faults: [{ kind: 'latency', path: '(a+)+' }] }, steps: [{ operation: 'Customers_GetList' }] });
    const run = options();
    const results = await runSuites(
      [
        {
          file: 'broken.stcrm-suite.json',
          parsed: {
            ok: false,
            problems: [{ message: 'Expected a value.', path: [], location: { file: 'broken.stcrm-suite.json', line: 1, column: 2, offset: 1, length: 1 } }],
          },
        },
        { file: bad.file, parsed: { ok: true, suite: bad } },
      ],
      freshSandboxPerSuite(),
      run,
    );
    assert.deepEqual(
      results.suites.map((suite) => suite.status),
      ['errored', 'errored'],
    );
    assert.match(results.suites[1]?.problems[0]?.message ?? '', /^Could not start its sandbox: .*path/);
    assert.equal(results.suites[1]?.problems[0]?.location.line, lineColumnOf(bad, '"sandbox"').line);
    assert.deepEqual(eventLog(run.events), ['suiteErrored broken.stcrm-suite.json', 'suiteErrored Bad sandbox']);
  });
});
