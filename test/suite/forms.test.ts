/**
 * The webview forms, driven through their message protocol (the same entry point the page's
 * messages reach) against the sandbox over real HTTP: what each form creates or edits is checked
 * through the API, server errors land as diagnostics on the submitted payload, a multi-step
 * create that fails halfway continues on the next submit, and hostile messages change nothing.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as vscode from 'vscode';
import type { CrmClient } from '../../src/api';
import type { StcrmApi } from '../../src/extension';
import type { FormSession } from '../../src/forms/formSession';
import type { FormValues } from '../../src/forms/page/formModel';
import type { SubmitOutcome, ToWebview } from '../../src/forms/page/protocol';
import type { RunningSandbox } from '../../sandbox';
import { eventually, logText, markLog } from './helpers';
import { sandboxProfileFixture } from './sandboxFixture';

let requests = 0;

/** Writes the sandbox received (its request log): what a form sent, apart from the tree's own reads. */
const writes: string[] = [];
function countWrites(line: string): void {
  if (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line)) writes.push(line);
}

/** Sends a submit as the page would and waits for its result. */
async function submit(session: FormSession, values: FormValues, resolution?: { use: string } | { createAnyway: true }): Promise<SubmitOutcome> {
  const requestId = `t${++requests}`;
  const result = new Promise<SubmitOutcome>((resolve) => {
    const subscription = session.onDidPost((message: ToWebview) => {
      if (message.type === 'result' && message.requestId === requestId) {
        subscription.dispose();
        resolve(message.outcome);
      }
    });
  });
  await session.receive({ type: 'submit', requestId, values, resolution });
  return result;
}

/** The init message the host sends for a `ready` (what the page would render). */
async function init(session: FormSession, values?: FormValues): Promise<Extract<ToWebview, { type: 'init' }>> {
  const next = new Promise<Extract<ToWebview, { type: 'init' }>>((resolve) => {
    const subscription = session.onDidPost((message) => {
      if (message.type === 'init') {
        subscription.dispose();
        resolve(message);
      }
    });
  });
  await session.receive({ type: 'ready', values });
  return next;
}

const fields = (values: Record<string, string>, rows: Record<string, string>[] = []): FormValues => ({
  fields: values,
  rows: rows.map((row, index) => ({ id: `row${index}`, fields: row })),
});

/** The diagnostics of our source on payload documents, with the text each one covers. */
function payloadDiagnostics(): { uri: vscode.Uri; diagnostic: vscode.Diagnostic }[] {
  return vscode.languages
    .getDiagnostics()
    .filter(([uri]) => uri.scheme === 'stcrm-payload')
    .flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source === 'ServiceTitan CRM').map((diagnostic) => ({ uri, diagnostic })));
}

async function textAt(uri: vscode.Uri, range: vscode.Range): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText(range);
}

suite('Forms', () => {
  const fixture = sandboxProfileFixture('Form tests', { customers: 50, log: countWrites });
  let api: StcrmApi;
  let sandbox: RunningSandbox;
  let client: CrmClient;
  let profileId: string;
  const open: FormSession[] = [];

  setup(() => {
    ({ api, sandbox, client, profileId } = fixture);
  });
  teardown(async () => {
    for (const session of open.splice(0)) session.panel.dispose();
    // The payload documents opened beside the forms: leave the editors as the next suite expects them.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function openForm(target: Parameters<StcrmApi['forms']['open']>[0]): Promise<FormSession> {
    const session = await api.forms.open(target);
    open.push(session);
    return session;
  }

  async function customerWithLocation(): Promise<{ customerId: number; locationId: number }> {
    const locations = await client.listLocations({ pageSize: 1 });
    const location = locations.data[0];
    assert.ok(location, 'the sandbox has a location');
    return { customerId: location.customerId, locationId: location.id };
  }

  test('New Contact from a customer creates the person, links it and adds every contact method', async () => {
    const { customerId } = await customerWithLocation();
    const node = (await api.tree.getChildren()).find((item) => item.entity?.kind === 'customer' && item.entity.customer.id === customerId);
    assert.ok(node, 'the customer is on the first page of the tree');
    // The customer's People group is loaded, so the new person must appear in it.
    const [, peopleGroup] = await api.tree.getChildren(node);
    assert.ok(peopleGroup);
    await api.tree.getChildren(peopleGroup);
    const session = await vscode.commands.executeCommand<FormSession>('stcrm.createContact', node);
    open.push(session);
    const shown = await init(session);
    assert.equal(shown.form.kind, 'createContact');
    assert.match(shown.form.subtitle ?? '', new RegExp(`#${customerId}`));
    const referenceId = `form-${Date.now()}`;
    const outcome = await submit(
      session,
      fields({ name: 'Form Person', title: 'Buyer', referenceId }, [
        { type: 'Email', value: 'form.person@example.com', memo: 'work' },
        { type: 'MobilePhone', value: '(555) 010-0123', memo: '' },
      ]),
    );
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    const people = await client.allContacts({ referenceId });
    assert.equal(people.length, 1, 'exactly one person');
    const person = people[0];
    assert.ok(person);
    assert.equal(person.name, 'Form Person');
    assert.equal(person.title, 'Buyer');
    const links = await client.allContactRelationships(person.id);
    assert.deepEqual(
      links.map((link) => [link.relatedEntityId, link.typeSlug]),
      [[customerId, 'customer']],
    );
    const methods = await client.allContactMethods(person.id);
    assert.deepEqual(
      methods.map((m) => [m.type, m.value, m.memo ?? '']).sort(),
      [
        ['Email', 'form.person@example.com', 'work'],
        ['MobilePhone', '(555) 010-0123', ''],
      ].sort(),
    );
    const shownPeople = await api.tree.getChildren(peopleGroup);
    assert.ok(
      shownPeople.some((item) => item.entity?.kind === 'person' && item.entity.contact.id === person.id),
      'the tree shows the new person under the customer',
    );
  });

  test('a field the server rejects becomes a diagnostic on its exact range, in the right row, and the form keeps its values', async () => {
    const { customerId } = await customerWithLocation();
    const session = await openForm({ kind: 'createContact', profileId, customerId });
    await init(session);
    const referenceId = `diag-${Date.now()}`;
    // The client does not limit memo lengths; the sandbox (like ServiceTitan) allows 255.
    const values = fields({ name: 'Diag Person', title: '', referenceId }, [
      { type: 'Phone', value: '555-010-0100', memo: 'ok' },
      { type: 'Email', value: 'diag@example.com', memo: 'm'.repeat(300) },
    ]);
    const failed = await submit(session, values);
    assert.equal(failed.status, 'rejected', JSON.stringify(failed));
    assert.match(failed.message, /Adding contact method 2/);
    assert.match(failed.message, /Already done: created Diag Person/);
    assert.deepEqual(
      failed.fieldErrors.map((error) => error.path),
      [['contactMethods', 1, 'Memo']],
    );
    assert.ok(failed.traceId, 'the trace ID is passed on');
    assert.ok(failed.progress.person, 'the person was created');
    assert.equal(Object.keys(failed.progress.methods).length, 1, 'the first method was created');

    const placed = await eventually(() => (payloadDiagnostics().length > 0 ? payloadDiagnostics() : undefined), 'diagnostics on the payload');
    assert.equal(placed.length, 1);
    const [{ uri, diagnostic }] = placed as [{ uri: vscode.Uri; diagnostic: vscode.Diagnostic }];
    assert.equal(await textAt(uri, diagnostic.range), JSON.stringify('m'.repeat(300)), 'on the memo of the second row, not the first');
    assert.match(diagnostic.message, /255/);
    assert.match(diagnostic.message, new RegExp(`trace ID ${failed.traceId ?? ''}`));
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.match(code.value, /^https:\/\/tools\.ietf\.org\/html\/rfc7231/);
    assert.equal(code.target.toString(true), code.value);

    // The values stay as typed (the draft), and a second submit continues: one person, both methods.
    const again = await init(session);
    assert.deepEqual(again.values, values);
    const fixed = structuredClone(values);
    const row = fixed.rows[1];
    assert.ok(row);
    row.fields.memo = 'short now';
    const saved = await submit(session, fixed);
    assert.equal(saved.status, 'saved', JSON.stringify(saved));
    const people = await client.allContacts({ referenceId });
    assert.equal(people.length, 1, 'the person was not created twice');
    const methods = await client.allContactMethods(people[0]?.id ?? '');
    assert.deepEqual(methods.map((m) => m.value).sort(), ['555-010-0100', 'diag@example.com']);
    assert.deepEqual(payloadDiagnostics(), [], 'a successful submit clears the diagnostics');
    // The payload document beside the form shows what was sent last, not the rejected payload.
    const shown = await eventually(async () => {
      const text = (await vscode.workspace.openTextDocument(uri)).getText();
      return text.includes('short now') ? text : undefined;
    }, 'the payload document to show the last payload sent');
    assert.ok(!shown.includes('m'.repeat(300)), 'the rejected memo is gone');
  });

  test('a failure in the middle (5xx on the link) and a second submit leave exactly one person with every method', async () => {
    const { customerId } = await customerWithLocation();
    const session = await openForm({ kind: 'createContact', profileId, customerId });
    await init(session);
    const referenceId = `mid-${Date.now()}`;
    const values = fields({ name: 'Halfway Person', title: '', referenceId }, [
      { type: 'Email', value: 'halfway@example.com', memo: '' },
      { type: 'Fax', value: '555 010 0177', memo: '' },
    ]);
    sandbox.faults.add({ kind: 'error5xx', method: 'POST', path: '^/contacts/[^/]+/relationships/', status: 503, count: 1 });
    const failed = await submit(session, values);
    assert.equal(failed.status, 'failed', JSON.stringify(failed));
    assert.match(failed.message, /Linking the contact/);
    assert.equal(failed.progress.linked, false);
    assert.ok(failed.progress.person);

    const saved = await submit(session, values);
    assert.equal(saved.status, 'saved', JSON.stringify(saved));
    const people = await client.allContacts({ referenceId });
    assert.equal(people.length, 1);
    const person = people[0];
    assert.ok(person);
    assert.deepEqual(
      (await client.allContactRelationships(person.id)).map((link) => link.relatedEntityId),
      [customerId],
    );
    assert.equal((await client.allContactMethods(person.id)).length, 2);
  });

  test('a create whose answer is lost offers the record it made instead of creating it twice', async () => {
    const session = await openForm({ kind: 'createContact', profileId });
    await init(session);
    const referenceId = `lost-${Date.now()}`;
    const values = fields({ name: 'Lost Answer', title: '', referenceId }, [{ type: 'Email', value: 'lost@example.com', memo: '' }]);
    sandbox.faults.add({ kind: 'truncate', method: 'POST', path: '^/contacts$', count: 1 });
    const maybe = await submit(session, values);
    assert.equal(maybe.status, 'maybeCreated', JSON.stringify(maybe));
    assert.match(maybe.message, /may have been created/);
    const made = await client.allContacts({ referenceId });
    assert.equal(made.length, 1, 'the sandbox did create it');
    assert.deepEqual(
      maybe.candidates?.map((candidate) => candidate.id),
      [made[0]?.id],
    );

    // Only a record the form offered may be picked.
    const foreign = await client.createContact({ name: 'Someone Else' });
    const refused = await submit(session, values, { use: foreign.id });
    assert.equal(refused.status, 'failed');
    assert.match(refused.message, /not one of those found/);
    const again = await submit(session, values);
    assert.equal(again.status, 'maybeCreated', 'submitting again looks once more');
    const saved = await submit(session, values, { use: made[0]?.id ?? '' });
    assert.equal(saved.status, 'saved', JSON.stringify(saved));
    assert.equal((await client.allContacts({ referenceId })).length, 1, 'still one person');
    assert.equal((await client.allContactMethods(made[0]?.id ?? '')).length, 1, 'its method was added');
  });

  test('a value our checks refuse is never sent: an inline error and a diagnostic on the payload', async () => {
    const { customerId } = await customerWithLocation();
    const session = await openForm({ kind: 'createCustomerContact', profileId, customerId });
    await init(session);
    const before = writes.length;
    const outcome = await submit(session, fields({ type: 'Email', value: 'not-an-email', memo: '' }));
    assert.equal(outcome.status, 'invalid');
    assert.deepEqual(
      outcome.fieldErrors.map((error) => error.path),
      [['value']],
    );
    assert.deepEqual(writes.slice(before), [], 'no request was sent');
    const placed = await eventually(() => payloadDiagnostics()[0], 'a diagnostic');
    assert.equal(await textAt(placed.uri, placed.diagnostic.range), '"not-an-email"');
    assert.match(placed.diagnostic.message, /email address/);
  });

  test('New Phone or Email for a customer and for a location, and New Contact Method, create what they say', async () => {
    const { customerId, locationId } = await customerWithLocation();
    const customerForm = await openForm({ kind: 'createCustomerContact', profileId, customerId });
    await init(customerForm);
    const forCustomer = await submit(customerForm, fields({ type: 'Phone', value: '555-010-4411', memo: 'front desk' }));
    assert.equal(forCustomer.status, 'saved', JSON.stringify(forCustomer));
    const added = (await client.allCustomerContacts(customerId)).find((c) => String(c.id) === (forCustomer.status === 'saved' ? forCustomer.id : ''));
    assert.deepEqual([added?.type, added?.value, added?.memo], ['Phone', '555-010-4411', 'front desk']);

    const locationForm = await openForm({ kind: 'createLocationContact', profileId, locationId });
    await init(locationForm);
    const forLocation = await submit(locationForm, fields({ type: 'Email', value: 'site@example.com', memo: '' }));
    assert.equal(forLocation.status, 'saved', JSON.stringify(forLocation));
    assert.ok((await client.allLocationContacts(locationId)).some((c) => c.type === 'Email' && c.value === 'site@example.com'));

    const person = (await client.listContactsByRelatedEntity(customerId)).data[0];
    assert.ok(person, 'the customer has a person');
    const methodForm = await openForm({ kind: 'createContactMethod', profileId, contactId: person.id });
    await init(methodForm);
    const method = await submit(methodForm, fields({ type: 'MobilePhone', value: '+1 555 010 9988', memo: 'cell', referenceId: 'cm-ref-1' }));
    assert.equal(method.status, 'saved', JSON.stringify(method));
    const created = (await client.allContactMethods(person.id)).find((m) => m.id === (method.status === 'saved' ? method.id : ''));
    assert.equal(created?.referenceId, 'cm-ref-1');
  });

  test('edit forms load a fresh GET and send only what changed (PATCH), or PUT where PATCH cannot', async () => {
    const { customerId, locationId } = await customerWithLocation();
    const person = await client.createContact({ name: 'Edit Me', title: 'Old title', referenceId: `edit-${Date.now()}` });
    await client.createContactRelationship(person.id, customerId, 'customer');

    const contactForm = await openForm({ kind: 'editContact', profileId, contactId: person.id });
    const loaded = await init(contactForm);
    assert.equal(loaded.form.original?.fields.name, 'Edit Me', 'filled from the server');
    const renamed = structuredClone(loaded.values);
    renamed.fields.name = 'Edited Name';
    assert.equal((await submit(contactForm, renamed)).status, 'saved');
    const afterPatch = await client.getContact(person.id);
    assert.equal(afterPatch.name, 'Edited Name');
    assert.equal(afterPatch.title, 'Old title', 'PATCH kept the title');

    // Emptying the title needs the PUT that replaces the contact.
    const clearForm = await openForm({ kind: 'editContact', profileId, contactId: person.id });
    const reloaded = await init(clearForm);
    const cleared = structuredClone(reloaded.values);
    cleared.fields.title = '';
    assert.equal((await submit(clearForm, cleared)).status, 'saved');
    const afterPut = await client.getContact(person.id);
    assert.equal(afterPut.name, 'Edited Name');
    assert.ok(!afterPut.title, 'the title was removed');

    const method = await client.createContactMethod(person.id, { type: 'Phone', value: '555-010-1212' });
    const methodForm = await openForm({ kind: 'editContactMethod', profileId, contactId: person.id, contactMethodId: method.id });
    const methodValues = structuredClone((await init(methodForm)).values);
    methodValues.fields.type = 'MobilePhone';
    assert.equal((await submit(methodForm, methodValues)).status, 'saved');
    const retyped = await client.getContactMethod(person.id, method.id);
    assert.equal(retyped.type, 'MobilePhone', 'a new type went through PUT');
    assert.equal(retyped.id, method.id, 'under the same ID');

    const phone = await client.createCustomerContact(customerId, { type: 'Phone', value: '555-010-3434' });
    const phoneForm = await openForm({ kind: 'editCustomerContact', profileId, customerId, contactId: phone.id });
    const phoneValues = structuredClone((await init(phoneForm)).values);
    phoneValues.fields.memo = 'after hours';
    assert.equal((await submit(phoneForm, phoneValues)).status, 'saved');
    assert.equal((await client.allCustomerContacts(customerId)).find((c) => c.id === phone.id)?.memo, 'after hours');

    const sitePhone = await client.createLocationContact(locationId, { type: 'Phone', value: '555-010-5656' });
    const siteForm = await openForm({ kind: 'editLocationContact', profileId, locationId, contactId: sitePhone.id });
    const siteValues = structuredClone((await init(siteForm)).values);
    siteValues.fields.value = '555-010-5657';
    assert.equal((await submit(siteForm, siteValues)).status, 'saved');
    assert.equal((await client.allLocationContacts(locationId)).find((c) => c.id === sitePhone.id)?.value, '555-010-5657');

    const unchanged = await openForm({ kind: 'editCustomerContact', profileId, customerId, contactId: phone.id });
    const same = await init(unchanged);
    const before = writes.length;
    const nothing = await submit(unchanged, same.values);
    assert.equal(nothing.status, 'invalid');
    assert.match(nothing.message, /Nothing changed/);
    assert.deepEqual(writes.slice(before), []);
  });

  test('an edit form whose record is deleted meanwhile says so and sends nothing', async () => {
    const person = await client.createContact({ name: 'Soon Gone', referenceId: `gone-${Date.now()}` });
    const session = await openForm({ kind: 'editContact', profileId, contactId: person.id });
    const loaded = await init(session);
    const gone = new Promise<void>((resolve) => {
      const subscription = session.onDidPost((message) => {
        if (message.type === 'recordGone') {
          subscription.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('stcrm.deleteContact', { contactId: person.id, errorHandling: { rethrow: true } });
    await gone;
    const before = writes.length;
    const changed = structuredClone(loaded.values);
    changed.fields.name = 'Back from the dead';
    const outcome = await submit(session, changed);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message, /deleted/);
    assert.deepEqual(writes.slice(before), []);
  });

  test('a form whose record cannot be loaded says why and closes', async () => {
    const { customerId } = await customerWithLocation();
    const session = await openForm({ kind: 'editCustomerContact', profileId, customerId, contactId: 987654321 });
    const closed = new Promise<void>((resolve) => session.onDidClose(() => resolve()));
    const since = markLog(api);
    await session.receive({ type: 'ready' });
    await closed;
    assert.match(await logText(api, since), /Opening the editCustomerContact form failed: Error: Customer #\d+ has no phone or email with ID 987654321/);
  });

  test('the edit commands with an argument object change the record without any UI', async () => {
    const person = await client.createContact({ name: 'Script Edit', title: 'Before', referenceId: `script-${Date.now()}` });
    const edited = await vscode.commands.executeCommand<{ name: string; title: string; isArchived: boolean }>('stcrm.editContact', {
      contactId: person.id,
      title: 'After',
      errorHandling: { rethrow: true },
    });
    assert.deepEqual([edited.name, edited.title, edited.isArchived], ['Script Edit', 'After', false]);
    const method = await client.createContactMethod(person.id, { type: 'Phone', value: '555-010-7878', referenceId: 'old-ref' });
    await vscode.commands.executeCommand('stcrm.editContactMethod', {
      contactId: person.id,
      contactMethodId: method.id,
      memo: 'by script',
      errorHandling: { rethrow: true },
    });
    assert.equal((await client.getContactMethod(person.id, method.id)).memo, 'by script', 'a memo change is a PATCH');
    await vscode.commands.executeCommand('stcrm.editContactMethod', {
      contactId: person.id,
      contactMethodId: method.id,
      type: 'Fax',
      errorHandling: { rethrow: true },
    });
    const replaced = await client.getContactMethod(person.id, method.id);
    assert.deepEqual(
      [replaced.type, replaced.value, replaced.memo, replaced.referenceId],
      ['Fax', '555-010-7878', 'by script', 'old-ref'],
      'a new type is a PUT that keeps the rest',
    );
  });

  test('a form is one panel whether its target names an id left out or not, and copies only what it showed', async () => {
    const first = await openForm({ kind: 'createContact', profileId, customerId: undefined });
    const second = await openForm({ kind: 'createContact', profileId });
    assert.equal(second, first, 'the same form');
    await init(first);
    await vscode.env.clipboard.writeText('before');
    await first.receive({ type: 'copy', text: 'something the host never showed' });
    assert.equal(await vscode.env.clipboard.readText(), 'before', 'a page cannot put arbitrary text on the clipboard');
  });

  test('a draft survives closing and reopening the form', async () => {
    const { customerId } = await customerWithLocation();
    const first = await openForm({ kind: 'createCustomerContact', profileId, customerId });
    await init(first);
    const typed = fields({ type: 'Email', value: 'draft@exam', memo: 'typing…' });
    await first.receive({ type: 'changed', values: typed });
    first.panel.dispose();
    const second = await openForm({ kind: 'createCustomerContact', profileId, customerId });
    assert.notEqual(second, first, 'a new panel');
    assert.deepEqual((await init(second)).values, typed);
  });

  test('after a reload only a form this window opened comes back: a page state naming a record, an unknown id or a closed form is closed', async () => {
    const mine = await client.createContact({ name: 'Restore Mine', referenceId: `restore-${Date.now()}` });
    const other = await client.createContact({ name: 'Restore Other', referenceId: `restore-other-${Date.now()}` });
    const session = await openForm({ kind: 'editContact', profileId, contactId: mine.id });
    const { form } = await init(session);
    const values = fields({ name: 'Typed', title: '', referenceId: '', isArchived: 'false' });

    /** Restores a new panel from `state` as the serializer would: the session, or undefined when the panel was closed. */
    async function restore(state: unknown): Promise<{ session: FormSession | undefined; closed: boolean }> {
      const panel = vscode.window.createWebviewPanel('stcrm.form', 'Restored form', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, {});
      let closed = false;
      panel.onDidDispose(() => (closed = true));
      const restored = (await api.forms.restore(panel, state)) ?? undefined;
      const result = { session: restored, closed };
      if (restored) open.push(restored);
      else if (!closed) panel.dispose();
      return result;
    }

    const since = markLog(api);
    // What a page saved before (a record of its choosing), and an id this window never gave out.
    const forged = await restore({ target: { kind: 'editContact', profileId, contactId: other.id }, values });
    assert.deepEqual(forged, { session: undefined, closed: true }, 'a state naming a record opens nothing');
    assert.match(form.formId, /^[\w-]{22,}$/, 'the page gets a random id for its form');
    const guessed = await restore({ formId: 'AAAAAAAAAAAAAAAAAAAAAAAA', values });
    assert.deepEqual(guessed, { session: undefined, closed: true }, 'an unknown id opens nothing');
    // The form's own id while it is open: the copy is closed, the form stays as it is.
    const copy = await restore({ formId: form.formId, values });
    assert.deepEqual(copy, { session: undefined, closed: true });
    assert.equal(await api.forms.open({ kind: 'editContact', profileId, contactId: mine.id }), session, 'still the one form');
    // Once the user closed it, its id is forgotten.
    session.panel.dispose();
    const closedForm = await restore({ formId: form.formId, values });
    assert.deepEqual(closedForm, { session: undefined, closed: true }, 'a closed form does not come back');
    const log = await logText(api, since);
    assert.match(log, /no or unreadable saved state/);
    assert.match(log, /names no form this window opened/);
  });

  test('contact-method rows named like Object.prototype members are kept as rows: in the draft, from the page state, with nothing created', async () => {
    const target = { kind: 'createContact', profileId } as const;
    const first = await openForm(target);
    await init(first);
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    const typed: FormValues = {
      fields: { name: 'Row Names', title: '', referenceId: '' },
      rows: names.map((id) => ({ id, fields: { type: 'Email', value: `${id}@example.com`, memo: '' } })),
    };
    await first.receive({ type: 'changed', values: typed });
    first.panel.dispose();
    const second = await openForm(target);
    const shown = await init(second);
    assert.deepEqual(shown.values, typed, 'the draft keeps every row');
    assert.deepEqual(Object.keys(shown.progress.methods), [], 'no row has a contact method');
    // The page's own saved state (after a reload) is a draft too.
    const fromPage: FormValues = { fields: typed.fields, rows: [...typed.rows].reverse() };
    assert.deepEqual((await init(second, fromPage)).values, fromPage);
    // A row id the protocol cannot take as a plain key is refused, with what to fix.
    const since = markLog(api);
    await second.receive(JSON.parse('{"type":"changed","values":{"fields":{},"rows":[{"id":"__proto__","fields":{}}]}}'));
    assert.match(await logText(api, since), /Dropped an invalid message from the createContact form: values\.rows\.0\.id: a field key/);
    assert.deepEqual((await init(second)).values, fromPage, 'the draft is unchanged');
    await second.receive({ type: 'close', dirty: false });
  });

  test('random and hostile messages are dropped: no API call, no crash, no unhandled rejection', async () => {
    const { customerId } = await customerWithLocation();
    const session = await openForm({ kind: 'createCustomerContact', profileId, customerId });
    await init(session);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      rejections.push(reason);
    };
    process.on('unhandledRejection', onRejection);
    const since = markLog(api);
    const before = writes.length;
    try {
      const invalidEmail = fc.string({ maxLength: 40 }).filter((text) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim()));
      const hostile = fc.oneof(
        fc.anything(),
        fc.record(
          { type: fc.constantFrom('submit', 'ready', 'changed', 'close', 'copy', 'createAnother', 'boom'), requestId: fc.anything(), values: fc.anything() },
          { requiredKeys: [] },
        ),
        // Well-formed submits whose values our checks must refuse: they may reach the host but never the API.
        fc.record({
          type: fc.constant('submit'),
          requestId: fc.stringMatching(/^[a-z0-9]{1,10}$/),
          values: fc.record({ fields: fc.record({ type: fc.constant('Email'), value: invalidEmail }), rows: fc.constant([]) }),
        }),
        fc.constant({ type: 'submit', requestId: 'x', values: { fields: { __proto__: { polluted: 'yes' }, type: 'Email' }, rows: [] } }),
        fc.constant({ type: 'submit', requestId: '../../etc', values: { fields: {}, rows: [] } }),
        fc.constant({ type: 'copy', text: 'x'.repeat(100_000) }),
        fc.constant({ type: 'ready', values: { fields: { a: 'x'.repeat(20_000) }, rows: [] } }),
      );
      await fc.assert(
        fc.asyncProperty(hostile, async (message) => {
          await session.receive(message);
        }),
        { numRuns: 150 },
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    assert.deepEqual(writes.slice(before), [], 'no message reached the API');
    assert.deepEqual(rejections, []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    assert.match(await logText(api, since), /Dropped an invalid message from the createCustomerContact form/);
    // The form still works after all that.
    const outcome = await submit(session, fields({ type: 'Email', value: 'still.works@example.com', memo: '' }));
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
  });
});
