// The zod schemas on their own: messages a form can show, the overlay's value checks, and responses that tolerate what the live API really sends.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  contactMethodResponse,
  contactResponse,
  contactValueProblem,
  createContactMethodRequest,
  createContactRequest,
  createCustomerContactRequest,
  createCustomerRequest,
  customerContactResponse,
  customerResponse,
  listContactRelationshipsQuery,
  listCustomersQuery,
  listLocationsQuery,
  relationshipTypeSlug,
  updateCustomerContactRequest,
  updateCustomerRequest,
  validateRequest,
} from '../../../src/api/schemas';
import { pageSchema } from '../../../src/api/paging';

const ADDRESS = { street: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: 'USA' };

function issuesOf(schema: Parameters<typeof validateRequest>[0], value: unknown): Record<string, string> {
  const result = validateRequest(schema, value);
  assert.equal(result.ok, false, 'expected the value to be rejected');
  return result.ok ? {} : Object.fromEntries(result.issues.map((i) => [i.field, i.message]));
}

void describe('contact value checks', () => {
  void it('explain what each type needs', () => {
    assert.equal(contactValueProblem('Email', 'name@'), 'Enter an email address like name@example.com');
    assert.equal(contactValueProblem('Email', 'kelly@example.com'), undefined);
    assert.equal(contactValueProblem('Phone', '555-0100'), 'Enter a phone number with 10 to 15 digits, like (555) 123-4567');
    assert.equal(contactValueProblem('MobilePhone', '(555) 123-4567'), undefined);
    assert.equal(contactValueProblem('MobilePhone', '+44 20 7946 0958'), undefined);
    assert.match(contactValueProblem('Fax', 'call me') ?? '', /^Enter a fax number using digits/);
    assert.match(contactValueProblem('Phone', '   ') ?? '', /^Enter a phone number/);
  });

  void it('are part of the generated request schemas (from openapi/overlay.json), nested ones included', () => {
    assert.deepEqual(issuesOf(createCustomerContactRequest, { type: 'Email', value: 'nope' }), { value: 'Enter an email address like name@example.com' });
    assert.deepEqual(Object.keys(issuesOf(createContactMethodRequest, { type: 'Fax', value: 'x' })), ['value']);
    assert.ok(validateRequest(createContactMethodRequest, { type: 'Email', value: 'kelly@example.com', memo: 'daughter' }).ok);
  });

  void it('report together with other problems, so a form shows everything at once', () => {
    assert.deepEqual(issuesOf(createContactMethodRequest, { type: 'Email', value: 'nope', memo: 5, color: 'red' }), {
      memo: 'Expected text.',
      color: 'The API does not accept this field.',
      value: 'Enter an email address like name@example.com',
    });
  });

  void it('check a PATCH only when it sends the type with the value', () => {
    assert.ok(validateRequest(updateCustomerContactRequest, { value: 'anything' }).ok);
    assert.deepEqual(issuesOf(updateCustomerContactRequest, { type: 'Phone', value: 'anything' }), {
      value: 'Enter a phone number using digits, spaces and + - ( ) . only, like (555) 123-4567',
    });
  });

  void it('reach nested contacts of a new customer and its locations', () => {
    const issues = issuesOf(createCustomerRequest, {
      name: '  ',
      address: ADDRESS,
      contacts: [
        { type: 'Email', value: 'ok@example.com' },
        { type: 'Email', value: 'bad' },
      ],
      locations: [{ name: 'Home', address: ADDRESS, contacts: [{ type: 'MobilePhone', value: '12' }] }],
    });
    assert.deepEqual(Object.keys(issues).sort(), ['contacts[1].value', 'locations[0].contacts[0].value', 'name']);
    assert.deepEqual(issuesOf(createCustomerRequest, { name: 'A', address: ADDRESS, locations: [] }), { locations: 'Add at least one service location.' });
    assert.deepEqual(issuesOf(createContactRequest, { name: ' ' }), { name: 'Enter a name, or leave the field out.' });
  });
});

void describe('request messages', () => {
  void it('name missing, null, wrong-typed, unknown and enum fields by path', () => {
    const issues = issuesOf(createCustomerRequest, {
      name: null,
      type: 'Residental',
      address: { ...ADDRESS, zip: 62701 },
      locations: [{ name: 'Home', address: { ...ADDRESS, county: 'Sangamon' } }],
    });
    assert.deepEqual(issues, {
      name: 'Enter the customer name.',
      type: 'Choose Residential or Commercial.',
      'address.zip': 'Expected text.',
      'locations[0].address.county': 'The API does not accept this field.',
    });
    assert.deepEqual(issuesOf(createCustomerContactRequest, {}), {
      type: 'Choose Phone, MobilePhone, Email or Fax.',
      value: 'Enter the phone number, email address or fax number.',
    });
  });

  void it('UpdateCustomerAddress needs all eight fields, as the spec says', () => {
    assert.deepEqual(Object.keys(issuesOf(updateCustomerRequest, { address: ADDRESS })).sort(), ['address.latitude', 'address.longitude', 'address.unit']);
    assert.ok(validateRequest(updateCustomerRequest, { address: { ...ADDRESS, unit: '', latitude: 39.8, longitude: -89.6 } }).ok);
  });

  void it('query schemas check ids, page sizes, dates, sort fields and enums', () => {
    assert.ok(validateRequest(listCustomersQuery, { ids: [1, 2, 3], sort: '-ModifiedOn', createdBefore: '2024-05-01T00:00:00Z', active: 'Any' }).ok);
    assert.ok(validateRequest(listCustomersQuery, { ids: '1, 2,3', sort: 'createdon' }).ok);
    const issues = issuesOf(listCustomersQuery, {
      ids: Array.from({ length: 51 }, (_, i) => i + 1),
      sort: 'Name',
      createdBefore: '2024-05-01',
      page: 0,
      pageSize: 5001,
      active: 'true',
    });
    assert.deepEqual(Object.keys(issues).sort(), ['active', 'createdBefore', 'ids', 'page', 'pageSize', 'sort']);
    assert.equal(issues.createdBefore, 'Enter a date and time like 2024-05-01T00:00:00Z.');
    assert.equal(issues.pageSize, 'ServiceTitan returns at most 5000 rows per page.');
    assert.deepEqual(Object.keys(issuesOf(listLocationsQuery, { customerId: 'abc', externalDataApplicationGuid: 'nope' })).sort(), [
      'customerId',
      'externalDataApplicationGuid',
    ]);
    assert.deepEqual(Object.keys(issuesOf(listContactRelationshipsQuery, { typeSlug: 'Customer', unknown: 1 })).sort(), ['typeSlug', 'unknown']);
    assert.ok(relationshipTypeSlug.safeParse('booking').success);
  });
});

void describe('response schemas', () => {
  const customer = {
    id: 10000001,
    active: true,
    name: 'Kelly Smith',
    type: 'Residential',
    address: { street: '1 Main St', unit: null, city: 'Springfield', state: 'IL', zip: '62701', country: 'USA', latitude: null, longitude: null },
    customFields: [{ typeId: 5, name: 'Source', value: null }],
    balance: 12.5,
    taxExempt: false,
    tagTypeIds: [],
    doNotMail: false,
    doNotService: false,
    nationalAccount: false,
    createdOn: '2024-01-05T16:12:34.1234567Z',
    createdById: 0,
    modifiedOn: '2024-01-05T16:12:34.1234567',
    mergedToId: null,
    externalData: null,
  };

  void it('accept the nulls and 7-digit .NET dates the live API sends, and keep new fields', () => {
    const parsed = customerResponse.parse({ ...customer, loyaltyTier: 'gold' });
    assert.equal(parsed.mergedToId, null);
    assert.equal((parsed as Record<string, unknown>).loyaltyTier, 'gold');
    assert.ok(
      customerContactResponse.safeParse({
        id: 1,
        type: 'Email',
        value: 'a@b.co',
        memo: null,
        modifiedOn: customer.createdOn,
        createdOn: customer.createdOn,
        phoneSettings: null,
      }).success,
    );
  });

  void it('are precise about the fields we read: id kinds, enums, dates, required values', () => {
    assert.equal(customerResponse.safeParse({ ...customer, id: '10000001' }).success, false);
    assert.equal(customerResponse.safeParse({ ...customer, id: 1.5 }).success, false);
    assert.equal(customerResponse.safeParse({ ...customer, type: 'Industrial' }).success, false);
    assert.equal(customerResponse.safeParse({ ...customer, createdOn: 'yesterday' }).success, false);
    assert.equal(customerResponse.safeParse({ ...customer, name: null }).success, false);
    const { address: _address, ...withoutAddress } = customer;
    assert.equal(customerResponse.safeParse(withoutAddress).success, false);

    const contact = { id: randomUUID(), isArchived: false, createdOn: customer.createdOn, createdBy: 1, modifiedOn: customer.createdOn, modifiedBy: 1 };
    assert.ok(contactResponse.safeParse(contact).success);
    assert.equal(contactResponse.safeParse({ ...contact, id: 42 }).success, false);
    assert.equal(contactResponse.safeParse({ ...contact, id: 'not-a-guid' }).success, false);
    assert.equal(contactMethodResponse.safeParse({ ...contact, contactId: randomUUID(), type: 'LandlinePhone', value: '1' }).success, false);
  });

  void it('pages carry totalCount only when asked, null counting as absent', () => {
    const page = pageSchema(customerResponse).parse({ page: 1, pageSize: 50, hasMore: false, totalCount: null, data: [customer] });
    assert.equal(page.totalCount, undefined);
    assert.equal(page.data[0]?.id, customer.id);
  });
});
