// commandTarget: the one answer to "which record does this command act on", with records the
// sandbox served over loopback HTTP. Nodes are stand-ins that offer a target the way tree nodes do.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Contact, Customer, Location } from '../../../src/api/schemas';
import {
  COMMAND_TARGET,
  commandTarget,
  hasCommandTarget,
  parentRecord,
  shownRecord,
  type CommandTarget,
  type HasCommandTarget,
} from '../../../src/model/commandTarget';
import type { EntityKind } from '../../../src/model/entities';
import { startClientFixture, type ClientFixture } from '../api/operationsHarness';

/** A node as the tree makes them: a class instance whose target sits under the symbol. */
class Node implements HasCommandTarget {
  constructor(private readonly target: CommandTarget | undefined) {}
  get [COMMAND_TARGET](): CommandTarget | undefined {
    return this.target;
  }
}

void describe('commandTarget', () => {
  let fx: ClientFixture;
  let customer: Customer;
  let person: Contact;
  let location: Location;
  before(async () => {
    fx = await startClientFixture(5);
    const customers = (await fx.client.listCustomers({ pageSize: 5 })).data;
    for (const candidate of customers) {
      const people = (await fx.client.listContactsByRelatedEntity(candidate.id, { pageSize: 1 })).data;
      const locations = (await fx.client.listLocations({ customerId: candidate.id, pageSize: 1 })).data;
      if (people[0] && locations[0]) {
        [customer, person, location] = [candidate, people[0], locations[0]];
        break;
      }
    }
    assert.ok(customer!, 'the sandbox has a customer with a person and a location');
  });
  after(() => fx.close());

  const customerNode = () => new Node({ record: { kind: 'customer', customer } });
  const group = (kind: EntityKind) => new Node({ record: { kind: 'customer', customer }, group: kind });
  const personNode = () => new Node({ record: { kind: 'person', contact: person } });
  const locationNode = () => new Node({ record: { kind: 'location', location } });

  void test('the node a command was run on, else (no argument) the selected node', () => {
    const selected = personNode();
    assert.equal(commandTarget(customerNode(), [selected])?.record.kind, 'customer');
    assert.equal(commandTarget(undefined, [selected])?.record.kind, 'person');
    assert.equal(commandTarget(undefined, []), undefined);
    assert.equal(commandTarget(undefined), undefined, 'without a selection (creates) the palette gives no target');
    assert.equal(commandTarget(new Node(undefined), [selected]), undefined, 'a node without a record (Load more) is not the selection');
  });

  void test('an argument object never passes for a node, whatever keys it has', () => {
    const forged = [
      { record: { kind: 'customer', customer } },
      { 'stcrm.commandTarget': { record: { kind: 'customer', customer } } },
      { [Symbol('stcrm.commandTarget')]: {} },
      'customer',
      42,
      null,
    ];
    for (const arg of forged) {
      assert.equal(hasCommandTarget(arg), false, JSON.stringify(arg));
      assert.equal(commandTarget(arg, [customerNode()]), undefined, 'and the selection is not taken instead');
    }
  });

  void test('a group node shows no record of its own: copy, open, edit and delete refuse it', () => {
    assert.equal(shownRecord(commandTarget(group('person'))), undefined);
    assert.equal(shownRecord(commandTarget(personNode()))?.kind, 'person');
    assert.equal(shownRecord(undefined), undefined);
  });

  void test('"the customer this was run on": the customer itself, or its group of the records being created', () => {
    assert.equal(parentRecord(commandTarget(customerNode()), 'customer', 'person')?.customer.id, customer.id);
    assert.equal(parentRecord(commandTarget(customerNode()), 'customer', 'customerContact')?.customer.id, customer.id);
    assert.equal(parentRecord(commandTarget(group('person')), 'customer', 'person')?.customer.id, customer.id, 'New Contact on "People"');
    assert.equal(
      parentRecord(commandTarget(group('customerContact')), 'customer', 'customerContact')?.customer.id,
      customer.id,
      'New Phone or Email on "Phones & emails"',
    );
    assert.equal(parentRecord(commandTarget(group('customerContact')), 'customer', 'person'), undefined, 'New Contact on "Phones & emails" asks');
    assert.equal(parentRecord(commandTarget(group('person')), 'customer', 'customerContact'), undefined);
    assert.equal(parentRecord(commandTarget(group('location')), 'location', 'locationContact'), undefined, '"Locations" is no location');
    assert.equal(parentRecord(commandTarget(locationNode()), 'location', 'locationContact')?.location.id, location.id);
    assert.equal(parentRecord(commandTarget(personNode()), 'person', 'contactMethod')?.contact.id, person.id);
    assert.equal(parentRecord(commandTarget(personNode()), 'customer', 'person'), undefined, 'a person is not a customer');
    assert.equal(parentRecord(undefined, 'customer', 'person'), undefined);
  });
});
