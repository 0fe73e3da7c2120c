import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { CrmClient } from '../../src/api';
import type { StcrmApi } from '../../src/extension';
import type { FormSession } from '../../src/forms/formSession';
import type { ListNode, TreeNode } from '../../src/tree/treeNode';
import type { RunningSandbox } from '../../sandbox';
import { commandError, eventually, logText, markLog, removeAllProfiles } from './helpers';
import { sandboxProfileFixture } from './sandboxFixture';
import { child, children, click, contextOf, customerOf, descriptionOf, labelOf, listOf, loadAll, personOf, profileFor, records } from './treeHelpers';

const CUSTOMER_COUNT = 1000;
const PAGE_SIZE = 100;

suite('Customers tree', () => {
  /** The sandbox's request log: method, path and query of every call. */
  const requests: string[] = [];
  const fixture = sandboxProfileFixture('Tree tests', {
    customers: CUSTOMER_COUNT,
    log: (line) => requests.push(line),
    clients: [{ clientId: 'no-contacts-app', clientSecret: 'no-contacts-secret', scopes: ['tn.crm.customers:r', 'tn.crm.customers:w', 'tn.crm.locations:r'] }],
  });
  let api: StcrmApi;
  let sandbox: RunningSandbox;
  let client: CrmClient;

  suiteSetup(async () => {
    await vscode.workspace.getConfiguration('stcrm').update('pageSize', PAGE_SIZE, vscode.ConfigurationTarget.Global);
    // The view is on screen, as for a user: what it selects and redraws depends on that.
    await vscode.commands.executeCommand('stcrm.customers.focus');
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('stcrm').update('pageSize', undefined, vscode.ConfigurationTarget.Global);
  });
  setup(async () => {
    ({ api, sandbox, client } = fixture);
    await api.tree.setQuery({ showInactive: false });
  });

  /** A customer of the first page that has phones, people (with methods) and locations. */
  async function richCustomer(): Promise<TreeNode & { entity: { kind: 'customer'; customer: { id: number } } }> {
    const nodes = await records(api);
    for (const node of nodes) {
      const customer = customerOf(node);
      if (!customer) continue;
      const id = customer.id;
      const [phones, people, locations] = await Promise.all([
        client.listCustomerContacts(id),
        client.listContactsByRelatedEntity(id),
        client.listLocations({ customerId: id, active: 'Any' }),
      ]);
      if (phones.data.length > 0 && people.data.length > 0 && locations.data.length > 0)
        return node as TreeNode & { entity: { kind: 'customer'; customer: { id: number } } };
    }
    assert.fail('no customer on the first page has phones, people and locations');
  }

  test('pages 1,000 customers to the end with exact counts; concurrent loads share one request', async () => {
    const total = (await client.listCustomers({ pageSize: 1, includeTotal: true })).totalCount;
    assert.ok(total !== undefined && total > PAGE_SIZE, 'the sandbox reports a total above one page');

    const first = await children(api);
    const more = first.at(-1);
    assert.ok(more && contextOf(api, more) === 'loadMore', 'the last node is Load more');
    assert.equal(first.length, PAGE_SIZE + 1);
    assert.equal(labelOf(api, more), `Load ${PAGE_SIZE} more · ${PAGE_SIZE} of ${total.toLocaleString('en-US')}`);

    // Two clicks while the first is loading: one request.
    sandbox.resetStats();
    await Promise.all([click(api, more), click(api, more)]);
    assert.equal(sandbox.stats().apiRequests, 1, 'concurrent Load more clicks share one request');
    const second = await children(api);
    assert.equal(second.length, 2 * PAGE_SIZE + 1);
    assert.deepEqual(
      second.slice(0, PAGE_SIZE).map((n) => n.id),
      first.slice(0, PAGE_SIZE).map((n) => n.id),
      'the first page stays in place',
    );

    requests.length = 0;
    const all = await loadAll(api);
    const customers = all.filter((node) => customerOf(node) !== undefined);
    assert.equal(customers.length, total, 'every active customer is listed once the paging ends');
    // The total is known from the first page: later pages do not ask the server to count again.
    const pages = requests.filter((line) => /^GET \/crm\/v2\/tenant\/\d+\/customers\?/.test(line));
    assert.ok(pages.length >= 7, `the later pages were loaded (${pages.length} requests)`);
    assert.deepEqual(
      pages.filter((line) => /includeTotal=true/i.test(line)),
      [],
      'no later page asks for includeTotal',
    );
    assert.equal(new Set(customers.map((node) => node.id)).size, total, 'no customer twice');
    assert.ok(!all.some((node) => contextOf(api, node) === 'loadMore'), 'no Load more at the end');
    const ids = customers.map((node) => customerOf(node)?.id ?? 0);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'in server order',
    );
  });

  test('the inactive toggle shows inactive customers too, marked as such', async () => {
    const activeTotal = (await client.listCustomers({ pageSize: 1, includeTotal: true })).totalCount ?? 0;
    const anyTotal = (await client.listCustomers({ pageSize: 1, includeTotal: true, active: 'Any' })).totalCount ?? 0;
    assert.ok(anyTotal > activeTotal, 'the seeded data has inactive customers');
    await vscode.commands.executeCommand('stcrm.showInactiveCustomers');
    const more = (await children(api)).at(-1);
    assert.ok(more && contextOf(api, more) === 'loadMore');
    assert.match(labelOf(api, more), new RegExp(` of ${anyTotal.toLocaleString('en-US')}$`));
    assert.match(api.tree.view.description ?? '', /incl\. inactive/);
    const inactive = (await client.listCustomers({ pageSize: 1, active: 'False' })).data[0];
    assert.ok(inactive);
    await vscode.commands.executeCommand('stcrm.filterCustomers', inactive.name);
    const shown = (await records(api)).find((node) => customerOf(node)?.id === inactive.id);
    assert.ok(shown, 'the inactive customer is found');
    assert.match(descriptionOf(api, shown), /inactive/);
    await vscode.commands.executeCommand('stcrm.hideInactiveCustomers');
    assert.ok(!(await records(api)).some((node) => customerOf(node)?.id === inactive.id), 'hidden again');
  });

  test('the name filter finds a customer that was never loaded, and shows in the view description', async () => {
    const last = await client.listCustomers({ page: Math.ceil(CUSTOMER_COUNT / PAGE_SIZE) - 1, pageSize: PAGE_SIZE });
    const target = last.data.at(-1);
    assert.ok(target, 'a customer far beyond the first page');
    const firstPage = await records(api);
    assert.ok(!firstPage.some((node) => customerOf(node)?.id === target.id), 'not on the first page');

    await vscode.commands.executeCommand('stcrm.filterCustomers', { name: target.name });
    const found = await records(api);
    assert.ok(
      found.some((node) => customerOf(node)?.id === target.id),
      `"${target.name}" is found`,
    );
    assert.ok(
      found.every((node) => labelOf(api, node).toLowerCase().includes(target.name.toLowerCase())),
      'only matching names',
    );
    assert.equal(api.tree.view.description, `“${target.name}”`);
    assert.equal(api.tree.currentQuery.name, target.name);

    await vscode.commands.executeCommand('stcrm.filterCustomers', 'zz-no-customer-has-this-name');
    const none = await children(api);
    assert.equal(none.length, 1);
    assert.ok(none[0]);
    assert.match(labelOf(api, none[0]), /No active customer name contains “zz-no-customer-has-this-name”/);

    await vscode.commands.executeCommand('stcrm.clearFilter');
    assert.equal(api.tree.view.description, undefined);
    assert.equal((await records(api)).length, PAGE_SIZE);
  });

  test('each child group matches the sandbox data', async () => {
    const customer = await richCustomer();
    const id = customer.entity.customer.id;
    assert.deepEqual(
      (await children(api, customer)).map((node) => labelOf(api, node)),
      ['Phones & emails', 'People', 'Locations'],
    );

    const phonesGroup = await child(api, customer, 'Phones & emails');
    const redrawn: string[] = [];
    const subscription = api.tree.onDidChangeTreeData((node) => node && redrawn.push(node.id));
    const phones = await records(api, phonesGroup);
    const expectedPhones = await client.allCustomerContacts(id);
    assert.equal(descriptionOf(api, phonesGroup), String(expectedPhones.length), 'the group shows its count once loaded');
    await eventually(() => redrawn.includes(phonesGroup.id), 'the view to be asked to redraw the group with its count');
    subscription.dispose();
    assert.deepEqual(
      phones.map((node) => labelOf(api, node)),
      expectedPhones.map((contact) => contact.value),
    );
    assert.deepEqual(
      phones.map((node) => node.entity?.kind),
      expectedPhones.map(() => 'customerContact'),
    );

    const people = await records(api, await child(api, customer, 'People'));
    const expectedPeople = await client.allContactsByRelatedEntity(id);
    assert.deepEqual(
      people.map((node) => personOf(node)?.id),
      expectedPeople.map((contact) => contact.id),
    );
    for (const person of people) {
      const contactId = personOf(person)?.id ?? '';
      const methods = await records(api, person);
      const expected = await client.allContactMethods(contactId);
      assert.deepEqual(
        methods.map((node) => labelOf(api, node)),
        expected.map((method) => method.value),
        `methods of ${contactId}`,
      );
    }

    const locations = await records(api, await child(api, customer, 'Locations'));
    const expectedLocations = await client.allLocations({ customerId: id, active: 'Any' });
    assert.deepEqual(
      locations.map((node) => labelOf(api, node)),
      expectedLocations.map((location) => location.name),
    );
    for (const location of locations) {
      const contacts = await records(api, location);
      assert.ok(location.entity?.kind === 'location');
      const expected = await client.allLocationContacts(location.entity.location.id);
      assert.deepEqual(
        contacts.map((node) => labelOf(api, node)),
        expected.map((contact) => contact.value),
      );
    }
  });

  test('each list answers which records it holds, which is where the tree shows a changed record', async () => {
    const customer = await richCustomer();
    const id = String(customer.entity.customer.id);
    const other = String(customer.entity.customer.id + 1);
    const list = async (label: string) => (await child(api, customer, label)) as ListNode<unknown>;
    const [phones, people, locations] = [await list('Phones & emails'), await list('People'), await list('Locations')];
    assert.equal(phones.holds('customerContact', id), true);
    assert.equal(phones.holds('customerContact', other), false, "another customer's phones");
    assert.equal(phones.holds('customerContact', undefined), false);
    assert.equal(phones.holds('person', id), false);
    assert.equal(people.holds('person', id), true);
    assert.equal(people.holds('person', undefined), true, 'an edit or delete of a person names no customer: every People list');
    assert.equal(people.holds('person', other), false);
    assert.equal(people.holds('customerContact', id), false);
    assert.equal(locations.holds('location', id), true);
    assert.equal(locations.holds('locationContact', id), false);
    const person = (await records(api, people))[0] as ListNode<unknown> | undefined;
    const location = (await records(api, locations))[0] as ListNode<unknown> | undefined;
    assert.ok(person?.entity?.kind === 'person' && location?.entity?.kind === 'location');
    assert.equal(person.holds('contactMethod', person.entity.contact.id), true);
    assert.equal(person.holds('contactMethod', id), false);
    assert.equal(location.holds('locationContact', String(location.entity.location.id)), true);
    assert.equal(location.holds('locationContact', id), false);
    assert.equal(api.tree.rootList?.holds('customer', undefined), true);
  });

  test('a create run on a group ("People", "Phones & emails") goes under the customer the group belongs to', async () => {
    const customer = await richCustomer();
    const customerId = customer.entity.customer.id;
    const profileId = api.store.active()?.id;
    const phones = await vscode.commands.executeCommand<FormSession>('stcrm.createCustomerContact', await child(api, customer, 'Phones & emails'));
    const person = await vscode.commands.executeCommand<FormSession>('stcrm.createContact', await child(api, customer, 'People'));
    try {
      assert.deepEqual(phones.target, { kind: 'createCustomerContact', profileId, customerId });
      assert.deepEqual(person.target, { kind: 'createContact', profileId, customerId });
    } finally {
      phones.panel.dispose();
      person.panel.dispose();
    }
  });

  test('icons follow the contact type and the customer type', async () => {
    const customer = await richCustomer();
    const icon = (node: TreeNode) => {
      const path = api.tree.getTreeItem(node).iconPath;
      return path instanceof vscode.ThemeIcon ? path.id : undefined;
    };
    assert.equal(icon(customer), customer.entity.customer.type === 'Commercial' ? 'organization' : 'home');
    const expected: Record<string, string> = { Phone: 'call-outgoing', MobilePhone: 'device-mobile', Email: 'mail', Fax: 'inbox' };
    const seen = new Set<string>();
    for (const node of await records(api)) {
      for (const phone of await records(api, await child(api, node, 'Phones & emails'))) {
        const type = phone.entity?.kind === 'customerContact' ? phone.entity.contact.type : '';
        assert.equal(icon(phone), expected[type], `icon of a ${type}`);
        seen.add(type);
      }
      if (seen.size >= 3) break;
    }
    assert.ok(seen.size >= 2, `several contact types were checked (${[...seen].join(', ')})`);
  });

  test('empty groups say so', async () => {
    const customer = await richCustomer();
    const phones = await client.allCustomerContacts(customer.entity.customer.id);
    for (const contact of phones) await client.deleteCustomerContact(customer.entity.customer.id, contact.id);
    const nodes = await children(api, await child(api, customer, 'Phones & emails'));
    assert.deepEqual(
      nodes.map((node) => labelOf(api, node)),
      ['No phones or emails'],
    );
  });

  test('create, archive and delete change the sandbox and only the affected node', async () => {
    const customer = await richCustomer();
    const id = customer.entity.customer.id;
    const phonesGroup = await child(api, customer, 'Phones & emails');
    const before = (await records(api, phonesGroup)).length;

    const created = await vscode.commands.executeCommand<{ id: number; value: string }>('stcrm.createCustomerContact', {
      customerId: id,
      type: 'Email',
      value: 'tree-test@example.com',
      memo: 'from the tree test',
    });
    assert.ok(
      (await client.allCustomerContacts(id)).some((contact) => contact.id === created.id),
      'the sandbox has it',
    );
    const phonesAfter = await records(api, phonesGroup);
    assert.equal(phonesAfter.length, before + 1);
    assert.ok(
      phonesAfter.some((node) => labelOf(api, node) === 'tree-test@example.com'),
      'the tree shows it',
    );

    const redrawn: (string | undefined)[] = [];
    const subscription = api.tree.onDidChangeTreeData((node) => redrawn.push(node?.id));
    await vscode.commands.executeCommand('stcrm.deleteCustomerContact', { customerId: id, contactId: created.id });
    subscription.dispose();
    assert.deepEqual(redrawn, [phonesGroup.id], 'only the group that showed it is redrawn');
    assert.ok(!(await client.allCustomerContacts(id)).some((contact) => contact.id === created.id), 'gone from the sandbox');
    assert.equal((await records(api, phonesGroup)).length, before, 'gone from the tree');

    // People: create linked to the customer, add a method, archive, unarchive, delete.
    const peopleGroup = await child(api, customer, 'People');
    const person = await vscode.commands.executeCommand<{ id: string }>('stcrm.createContact', { customerId: id, name: 'Tree Test Person', title: 'Tester' });
    assert.ok(
      (await client.allContactsByRelatedEntity(id)).some((contact) => contact.id === person.id),
      'linked in the sandbox',
    );
    const personNode = (await records(api, peopleGroup)).find((node) => personOf(node)?.id === person.id);
    assert.ok(personNode, 'the new person shows under People');
    // The selection comes back from the workbench after the reveal, a moment later.
    await eventually(() => api.tree.view.selection.some((node) => node.id === personNode.id), 'the new person to be selected');
    assert.deepEqual(
      api.tree.view.selection.map((node) => node.id),
      [personNode.id],
      'and only it',
    );

    const method = await vscode.commands.executeCommand<{ id: string }>('stcrm.createContactMethod', {
      contactId: person.id,
      type: 'MobilePhone',
      value: '555-010-0188',
    });
    assert.ok((await records(api, personNode)).some((node) => node.entity?.kind === 'contactMethod' && node.entity.method.id === method.id));

    await vscode.commands.executeCommand('stcrm.archiveContact', { contactId: person.id });
    assert.equal((await client.getContact(person.id)).isArchived, true);
    assert.match(descriptionOf(api, personNode), /archived/);
    assert.equal(api.tree.getTreeItem(personNode).contextValue, 'entity.person.archived');
    await vscode.commands.executeCommand('stcrm.unarchiveContact', { contactId: person.id });
    assert.equal((await client.getContact(person.id)).isArchived, false);
    assert.equal(api.tree.getTreeItem(personNode).contextValue, 'entity.person.active');

    await vscode.commands.executeCommand('stcrm.deleteContactMethod', { contactId: person.id, contactMethodId: method.id });
    assert.deepEqual(
      (await client.allContactMethods(person.id)).map((m) => m.id),
      [],
    );
    assert.deepEqual((await records(api, personNode)).length, 0);

    await vscode.commands.executeCommand('stcrm.deleteContact', { contactId: person.id });
    await assert.rejects(client.getContact(person.id), /404|not found/i);
    assert.ok(!(await records(api, peopleGroup)).some((node) => node.id === personNode.id), 'gone from People');
  });

  test('a 400 from the sandbox names the field and the trace ID, and changes nothing', async () => {
    const customer = await richCustomer();
    const people = await client.allContactsByRelatedEntity(customer.entity.customer.id);
    const error = await commandError('stcrm.createContact', { customerId: customer.entity.customer.id, name: 'Too long a title', title: 'x'.repeat(101) });
    assert.match(error.message, /Title/);
    assert.match(error.message, /trace/i);
    assert.equal((await client.allContactsByRelatedEntity(customer.entity.customer.id)).length, people.length, 'no contact was linked');
  });

  test('rejected credentials: one node, and it recovers once the profile is fixed', async () => {
    await removeAllProfiles(api);
    const marker = markLog(api);
    await vscode.commands.executeCommand('stcrm.addProfile', profileFor(sandbox, 'Wrong secret', { clientSecret: 'not-the-secret', check: false }));
    const nodes = await children(api);
    assert.equal(nodes.length, 1);
    assert.ok(nodes[0]);
    assert.equal(contextOf(api, nodes[0]), 'error.auth');
    assert.match(labelOf(api, nodes[0]), /Credentials rejected/);
    assert.deepEqual(api.tree.getTreeItem(nodes[0]).command?.command, 'stcrm.editProfile');
    assert.deepEqual(api.tree.getTreeItem(nodes[0]).command?.arguments, [api.store.active()?.id], 'it edits the active profile, without asking which');
    for (let i = 0; i < 2; i++) {
      await vscode.commands.executeCommand('stcrm.refresh');
      assert.equal((await children(api)).length, 1, 'still one node after a refresh');
    }
    const asked = (await logText(api, marker)).split('Asking to edit profile "Wrong secret"').length - 1;
    assert.equal(asked, 1, 'one prompt to edit the profile, not one per reload');

    await vscode.commands.executeCommand('stcrm.editProfile', { profile: 'Wrong secret', clientSecret: sandbox.credentials.clientSecret });
    assert.equal((await records(api)).length, PAGE_SIZE, 'the customers show once the secret is right');
  });

  test('a missing scope names the scope that is needed', async () => {
    await removeAllProfiles(api);
    await vscode.commands.executeCommand(
      'stcrm.addProfile',
      profileFor(sandbox, 'No contacts scope', { clientId: 'no-contacts-app', clientSecret: 'no-contacts-secret' }),
    );
    const customer = (await records(api))[0];
    assert.ok(customer);
    const people = await children(api, await child(api, customer, 'People'));
    assert.equal(people.length, 1);
    assert.ok(people[0]);
    assert.equal(contextOf(api, people[0]), 'error.forbidden');
    assert.equal(labelOf(api, people[0]), 'Missing API scope tn.crm.contacts:r');
    // Phones need only the customers scope and still load.
    assert.ok((await children(api, await child(api, customer, 'Phones & emails'))).every((node) => !contextOf(api, node)?.startsWith('error')));

    // With an app that has the scope, the same group loads.
    await vscode.commands.executeCommand('stcrm.editProfile', {
      profile: 'No contacts scope',
      clientId: sandbox.credentials.clientId,
      clientSecret: sandbox.credentials.clientSecret,
    });
    const again = (await records(api))[0];
    assert.ok(again);
    assert.ok(
      (await children(api, await child(api, again, 'People'))).every((node) => !contextOf(api, node)?.startsWith('error')),
      'People loads once the scope is there',
    );
  });

  test('a server error (500) keeps the last good data marked stale, and Refresh recovers', async () => {
    const before = await records(api);
    assert.equal(before.length, PAGE_SIZE);
    sandbox.faults.add({ kind: 'error5xx', status: 500, path: '/customers', count: 50 });
    await vscode.commands.executeCommand('stcrm.refresh');
    const stale = await children(api);
    assert.deepEqual(
      stale.slice(0, PAGE_SIZE).map((node) => node.id),
      before.map((node) => node.id),
      'the old customers stay',
    );
    assert.equal(contextOf(api, stale.at(-1)), 'stale', 'marked stale');
    assert.match(api.tree.view.message ?? '', /Offline/);

    sandbox.faults.clear();
    await vscode.commands.executeCommand('stcrm.refresh');
    const fresh = await children(api);
    assert.ok(!fresh.some((node) => /^(stale|error)/.test(contextOf(api, node) ?? '')));
    assert.equal(api.tree.view.message, undefined);
  });

  test('the offline banner goes once the view shows fresh data, also after the filter changed', async () => {
    await records(api);
    sandbox.faults.add({ kind: 'error5xx', status: 500, path: '/customers', count: 50 });
    await vscode.commands.executeCommand('stcrm.refresh');
    await children(api);
    assert.match(api.tree.view.message ?? '', /Offline/);
    sandbox.faults.clear();
    await vscode.commands.executeCommand('stcrm.filterCustomers', 'a');
    assert.ok((await records(api)).length > 0);
    assert.equal(api.tree.view.message, undefined, 'the old root no longer counts as offline');
  });

  test('a failed Load more keeps the loaded pages; Retry loads that page', async () => {
    const first = await children(api);
    const more = first.at(-1);
    assert.ok(more);
    sandbox.faults.add({ kind: 'error5xx', status: 500, path: '/customers', count: 1 });
    await click(api, more);
    const failed = await children(api);
    assert.equal(failed.length, PAGE_SIZE + 1, 'the first page stays');
    const error = failed.at(-1);
    assert.ok(error);
    assert.equal(contextOf(api, error), 'stale', 'a server error: what was loaded stays, marked stale');
    sandbox.resetStats();
    await click(api, error);
    const after = await children(api);
    assert.equal(after.filter((node) => customerOf(node)).length, 2 * PAGE_SIZE, 'Retry appended the second page');
    assert.equal(sandbox.stats().apiRequests, 1, 'one request: page 2, not a reload of page 1');
  });

  test('a partial outage notifies once, not once per list that fails', async () => {
    const customers = (await records(api)).slice(0, 3);
    const marker = markLog(api);
    sandbox.faults.add({ kind: 'error5xx', status: 500, path: '/contacts/relationships/', count: 50 });
    for (const customer of customers) {
      const people = await children(api, await child(api, customer, 'People'));
      assert.equal(contextOf(api, people[0]), 'error.offline');
      // Lists that work in between do not end the outage.
      assert.ok((await children(api, await child(api, customer, 'Phones & emails'))).length > 0);
    }
    const told = (await logText(api, marker)).split('cannot be reached (once per outage)').length - 1;
    assert.equal(told, 1);
  });

  test('offline (connection reset) on a child list: stale there, recovers on refresh of that node', async () => {
    const customer = await richCustomer();
    const phones = await child(api, customer, 'Phones & emails');
    const before = await records(api, phones);
    assert.ok(before.length > 0);
    sandbox.faults.add({ kind: 'reset', path: `/customers/${customer.entity.customer.id}/contacts`, count: 20 });
    await vscode.commands.executeCommand('stcrm.refresh', phones);
    const stale = await children(api, phones);
    assert.equal(contextOf(api, stale.at(-1)), 'stale', `marked stale: ${stale.map((n) => labelOf(api, n)).join(' | ')}`);
    assert.equal(stale.length, before.length + 1);
    sandbox.faults.clear();
    await vscode.commands.executeCommand('stcrm.refresh', phones);
    assert.deepEqual(
      (await children(api, phones)).map((n) => n.id),
      before.map((n) => n.id),
    );
  });

  test('a first load that fails shows an error node with Retry', async () => {
    sandbox.faults.add({ kind: 'error5xx', status: 500, path: '/customers', count: 50 });
    await api.tree.setQuery({ name: 'a', showInactive: false });
    const nodes = await children(api);
    assert.equal(nodes.length, 1);
    assert.ok(nodes[0]);
    assert.equal(contextOf(api, nodes[0]), 'error.offline');
    assert.equal(api.tree.getTreeItem(nodes[0]).command?.command, 'stcrm.tree.retry');
    assert.equal(listOf(api, nodes[0]), api.tree.rootList, 'Retry reloads the customers');
    sandbox.faults.clear();
    await click(api, nodes[0]);
    assert.ok((await records(api)).length > 0);
  });

  test('copy ID, JSON and cURL; the cURL command run with the variables set returns the entity', async () => {
    const marker = markLog(api);
    const customer = await richCustomer();
    const id = await vscode.commands.executeCommand<string>('stcrm.copyId', customer);
    assert.equal(id, String(customer.entity.customer.id));
    assert.equal(await vscode.env.clipboard.readText(), id);

    const json = await vscode.commands.executeCommand<string>('stcrm.copyAsJson', customer);
    assert.equal((JSON.parse(json) as { id: number }).id, customer.entity.customer.id);

    let person: TreeNode | undefined;
    let method: TreeNode | undefined;
    for (const candidate of await records(api, await child(api, customer, 'People'))) {
      method = (await records(api, candidate))[0];
      person = candidate;
      if (method) break;
    }
    assert.ok(person && method, 'a person with a contact method');
    for (const node of [customer, person, method]) {
      const curl = await vscode.commands.executeCommand<string>('stcrm.copyAsCurl', node);
      assert.equal(await vscode.env.clipboard.readText(), curl);
      assert.match(curl, /\$\{ST_TOKEN\}/);
      assert.match(curl, /\$\{ST_APP_KEY\}/);
      for (const secret of [sandbox.credentials.clientSecret, sandbox.credentials.appKey, sandbox.credentials.clientId])
        assert.ok(!curl.includes(secret), 'no secret in the copied command');
      const token = await fetchToken(sandbox);
      const { stdout } = await promisify(execFile)('sh', ['-c', curl], { env: { ...process.env, ST_TOKEN: token, ST_APP_KEY: sandbox.credentials.appKey } });
      const body = JSON.parse(stdout) as { id: unknown };
      assert.equal(
        String(body.id),
        node.entity?.kind === 'customer'
          ? String(node.entity.customer.id)
          : node.entity?.kind === 'person'
            ? node.entity.contact.id
            : node.entity?.kind === 'contactMethod'
              ? node.entity.method.id
              : '',
      );
    }
    const logged = await logText(api, marker);
    for (const secret of [sandbox.credentials.clientSecret, sandbox.credentials.appKey]) assert.ok(!logged.includes(secret), 'no secret in the log');
  });

  test('open as JSON shows the record as a JSON document of its own scheme (read-only in the editor: see the e2e test)', async () => {
    const customer = await richCustomer();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('stcrm.openAsJson', customer);
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.uri.scheme, 'stcrm-json');
    assert.equal((JSON.parse(editor.document.getText()) as { id: number }).id, customer.entity.customer.id);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('argument objects are checked, with a message naming the field', async () => {
    const error = await commandError('stcrm.deleteContact', { contactId: 'not-a-guid' });
    assert.match(error.message, /stcrm\.deleteContact: contactId/);
    const create = await commandError('stcrm.createCustomerContact', { customerId: 1, type: 'Pager', value: 'x' });
    assert.match(create.message, /type: Choose Phone, MobilePhone, Email or Fax/);
  });
});

async function fetchToken(sandbox: RunningSandbox): Promise<string> {
  const response = await fetch(`${sandbox.url}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.credentials.clientId, client_secret: sandbox.credentials.clientSecret }),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}
