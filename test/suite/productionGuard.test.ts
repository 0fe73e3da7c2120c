/**
 * The production guard, on a Custom URL profile marked Production that points at the sandbox:
 * every write command (form, argument object, Delete, Archive, request file) goes through the
 * one write pipeline, asks once with the profile, tenant, calls, exact URLs and bodies, and sends
 * nothing after Cancel. The quick inputs and the real modal are driven in test/e2e/guard.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WriteUi } from '../../src/records/writePipeline';
import type { FormSession } from '../../src/forms/formSession';
import type { SubmitOutcome } from '../../src/forms/page/protocol';
import type { TreeNode } from '../../src/tree/treeNode';
import type { WriteConfirmation } from '../../src/writes/engine';
import { rethrowing } from './helpers';
import { sandboxProfileFixture } from './sandboxFixture';
import { child, records } from './treeHelpers';

/** Write requests the sandbox received (its request log), e.g. `POST /crm/v2/tenant/…/contacts`. */
const writes: string[] = [];
function countWrites(line: string): void {
  if (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line)) writes.push(line.replace(/ -> .*$/, ''));
}

suite('Production guard', () => {
  const fx = sandboxProfileFixture('Staging copy', { customers: 20, log: countWrites }, { production: true });
  const asked: WriteConfirmation[] = [];
  let answer = false;
  let original: WriteUi;

  suiteSetup(() => {
    original = fx.api.writes.ui;
  });
  setup(() => {
    asked.length = 0;
    answer = false;
    fx.api.writes.ui = {
      confirm: (confirmation) => {
        asked.push(confirmation);
        return Promise.resolve(answer);
      },
    };
  });
  teardown(async () => {
    fx.api.writes.ui = original;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const root = (): string => `${fx.sandbox.url}/crm/v2/tenant/${fx.sandbox.tenant}`;

  /** Runs `write`, and checks it asked once on this profile for exactly these calls and sent nothing. */
  async function assertAskedAndNothingSent(write: () => Thenable<unknown>, calls: string[]): Promise<WriteConfirmation> {
    const before = writes.length;
    await write();
    assert.equal(asked.length, 1, 'asked exactly once');
    const confirmation = asked[0];
    assert.ok(confirmation);
    assert.equal(confirmation.profile.name, 'Staging copy');
    assert.equal(confirmation.profile.tenant, fx.sandbox.tenant);
    assert.equal(confirmation.profile.production, true);
    assert.deepEqual(
      confirmation.calls.map((call) => `${call.method} ${call.url}${call.body ? ` ${call.body}` : ''}`),
      calls.map((call) => call.replace('ROOT', root())),
    );
    assert.deepEqual(writes.slice(before), [], 'nothing was sent after Cancel');
    return confirmation;
  }

  async function aCustomer(): Promise<{ customerId: number; contactId: number }> {
    const customer = (await fx.client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(customer);
    const contact =
      (await fx.client.allCustomerContacts(customer.id))[0] ?? (await fx.client.createCustomerContact(customer.id, { type: 'Phone', value: '555-010-7000' }));
    return { customerId: customer.id, contactId: contact.id };
  }

  async function aPerson(): Promise<{ contactId: string; contactMethodId: string }> {
    const person = await fx.client.createContact({ name: `Guarded ${Date.now()}` });
    const method = await fx.client.createContactMethod(person.id, { type: 'Email', value: 'guarded@example.com' });
    return { contactId: person.id, contactMethodId: method.id };
  }

  test('the status bar and the profile summary call the Custom URL profile production', () => {
    const profile = fx.api.store.get(fx.profileId);
    assert.equal(profile?.production, true);
    assert.match(fx.api.statusBar.item.text, /PRODUCTION/);
  });

  test('argument objects: every create and edit asks, and Cancel sends nothing', async () => {
    const { customerId, contactId } = await aCustomer();
    const person = await aPerson();
    const location = (await fx.client.listLocations({ pageSize: 1 })).data[0];
    assert.ok(location);
    const cases: [string, Record<string, unknown>, string[]][] = [
      [
        'stcrm.createContact',
        { customerId, name: 'Kim' },
        ['POST ROOT/contacts {"name":"Kim"}', `POST ROOT/contacts/{contactId}/relationships/${customerId}/customer`],
      ],
      [
        'stcrm.createCustomerContact',
        { customerId, type: 'Email', value: 'kim@example.com' },
        [`POST ROOT/customers/${customerId}/contacts {"type":"Email","value":"kim@example.com"}`],
      ],
      [
        'stcrm.createLocationContact',
        { locationId: location.id, type: 'Phone', value: '555-010-1000' },
        [`POST ROOT/locations/${location.id}/contacts {"type":"Phone","value":"555-010-1000"}`],
      ],
      [
        'stcrm.createContactMethod',
        { contactId: person.contactId, type: 'Fax', value: '555-010-2000' },
        [`POST ROOT/contacts/${person.contactId}/contact-methods {"type":"Fax","value":"555-010-2000"}`],
      ],
      ['stcrm.editContact', { contactId: person.contactId, title: 'Boss' }, [`PATCH ROOT/contacts/${person.contactId} {"title":"Boss","isArchived":false}`]],
      ['stcrm.editCustomerContact', { customerId, contactId, memo: 'desk' }, [`PATCH ROOT/customers/${customerId}/contacts/${contactId} {"memo":"desk"}`]],
      [
        'stcrm.editContactMethod',
        { ...person, memo: 'home' },
        [`PATCH ROOT/contacts/${person.contactId}/contact-methods/${person.contactMethodId} {"memo":"home"}`],
      ],
      ['stcrm.deleteCustomerContact', { customerId, contactId }, [`DELETE ROOT/customers/${customerId}/contacts/${contactId}`]],
      ['stcrm.deleteContactMethod', person, [`DELETE ROOT/contacts/${person.contactId}/contact-methods/${person.contactMethodId}`]],
      ['stcrm.deleteContact', { contactId: person.contactId }, [`DELETE ROOT/contacts/${person.contactId}`]],
      ['stcrm.archiveContact', { contactId: person.contactId }, [`PATCH ROOT/contacts/${person.contactId} {"isArchived":true}`]],
    ];
    for (const [command, arg, calls] of cases) {
      asked.length = 0;
      const result = await vscode.commands.executeCommand(command, rethrowing(arg)).then(
        (value) => value,
        (error: unknown) => assert.fail(`${command}: a declined write is a silent cancel, not ${String(error)}`),
      );
      assert.equal(result, undefined, `${command} resolved nothing`);
      await assertAskedAndNothingSent(() => Promise.resolve(), calls).catch((error: unknown) => assert.fail(`${command}: ${String(error)}`));
    }
    assert.equal((await fx.client.getContact(person.contactId)).isArchived, false, 'the person is as it was');
  });

  test('productionConfirmed in the argument object is the yes of a script: no modal, the write happens', async () => {
    const { customerId } = await aCustomer();
    const before = writes.length;
    const created = await vscode.commands.executeCommand<{ id: number }>(
      'stcrm.createCustomerContact',
      rethrowing({ customerId, type: 'Phone', value: '555-010-3000', productionConfirmed: true }),
    );
    assert.equal(asked.length, 0);
    assert.ok(created?.id);
    assert.equal(writes.length - before, 1);
  });

  test('a yes sends exactly what the confirmation showed', async () => {
    answer = true;
    const { customerId } = await aCustomer();
    const created = await vscode.commands.executeCommand<{ id: number; value: string }>(
      'stcrm.createCustomerContact',
      rethrowing({ customerId, type: 'Email', value: 'yes@example.com' }),
    );
    assert.equal(created?.value, 'yes@example.com');
    assert.equal(asked.length, 1);
    assert.deepEqual(writes.slice(-1), [`POST /crm/v2/tenant/${fx.sandbox.tenant}/customers/${customerId}/contacts`]);
  });

  test('Delete and Archive from the tree ask once, in one question that is also the production warning', async () => {
    const customer = (await fx.api.tree.getChildren()).find((node) => node.entity?.kind === 'customer');
    assert.ok(customer);
    const customerId = customer.entity?.kind === 'customer' ? customer.entity.customer.id : 0;
    const person = await fx.client.createContact({ name: `Tree Guarded ${Date.now()}` });
    await fx.client.createContactRelationship(person.id, customerId, 'customer');
    fx.api.tree.refresh(customer);
    const node: TreeNode | undefined = (await records(fx.api, await child(fx.api, customer, 'People'))).find(
      (item) => item.entity?.kind === 'person' && item.entity.contact.id === person.id,
    );
    assert.ok(node, 'the person shows under the customer');

    const confirmation = await assertAskedAndNothingSent(
      () => vscode.commands.executeCommand('stcrm.deleteContact', node),
      [`DELETE ROOT/contacts/${person.id}/relationships/${customerId}/customer`, `DELETE ROOT/contacts/${person.id}`],
    );
    assert.match(confirmation.question?.message ?? '', /^Delete the contact Tree Guarded/);
    assert.equal(confirmation.question?.button, 'Delete');
    assert.equal((await fx.client.getContact(person.id)).id, person.id, 'the person still exists');

    asked.length = 0;
    await assertAskedAndNothingSent(
      () => vscode.commands.executeCommand('stcrm.archiveContact', node),
      [`PATCH ROOT/contacts/${person.id} {"isArchived":true}`],
    );
  });

  test('a form asks before its first call and reports that nothing was sent', async () => {
    const { customerId } = await aCustomer();
    const session = await fx.api.forms.open({ kind: 'createContact', profileId: fx.profileId, customerId });
    try {
      const result = new Promise<SubmitOutcome>((resolve) => {
        const subscription = session.onDidPost((message) => {
          if (message.type === 'result') {
            subscription.dispose();
            resolve(message.outcome);
          }
        });
      });
      await session.receive({ type: 'ready' });
      await submitOf(session, {
        fields: { name: 'Form Guarded', title: '', referenceId: '' },
        rows: [{ id: 'constructor', fields: { type: 'Email', value: 'form@example.com', memo: '' } }],
      });
      const outcome = await result;
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.message, /Not sent/);
      assert.equal(asked.length, 1);
      assert.deepEqual(
        asked[0]?.calls.map((call) => call.operationId),
        ['Contacts_Create', 'Contacts_CreateContactRelationship', 'ContactMethods_CreateContactMethod'],
      );
      assert.equal((await fx.client.listContacts({ name: 'Form Guarded' })).data.length, 0);
    } finally {
      session.panel.dispose();
    }
  });

  test('a request file asks for a write with the URL as it will be sent, and never for a read', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('stcrm.newRequest', rethrowing({ operation: 'Contacts_Create' }));
    assert.ok(editor);
    const name = `File Guarded ${Date.now()}`;
    await replaceText(editor, { operation: 'Contacts_Create', body: { name } });
    await assertAskedAndNothingSent(
      () => vscode.commands.executeCommand('stcrm.sendRequest', rethrowing({ uri: editor.document.uri.toString() })),
      [`POST ROOT/contacts {"name":"${name}"}`],
    );
    assert.equal((await fx.client.listContacts({ name })).data.length, 0);

    asked.length = 0;
    await replaceText(editor, { operation: 'Contacts_GetList', query: { name } });
    await vscode.commands.executeCommand('stcrm.sendRequest', rethrowing({ uri: editor.document.uri.toString() }));
    assert.equal(asked.length, 0, 'a GET asks nothing');
  });
});

async function submitOf(
  session: FormSession,
  values: { fields: Record<string, string>; rows: { id: string; fields: Record<string, string> }[] },
): Promise<void> {
  await session.receive({ type: 'submit', requestId: 'guard1', values });
}

async function replaceText(editor: vscode.TextEditor, value: unknown): Promise<void> {
  const whole = new vscode.Range(new vscode.Position(0, 0), editor.document.lineAt(editor.document.lineCount - 1).range.end);
  await editor.edit((edit) => edit.replace(whole, `${JSON.stringify(value, null, 2)}\n`));
}
