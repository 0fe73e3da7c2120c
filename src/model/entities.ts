/**
 * The CRM records the tree shows, as plain data: what each one is called, its id, its JSON and
 * the GET request that reads it. Copy, open-as-JSON and cURL all start from here. No vscode import.
 */
import type { CrmOperationId, OperationInput } from '../api';
import type { Address, Contact, ContactMethod, ContactType, Customer, CustomerContact, Location, LocationContact } from '../api/schemas';

export type Entity =
  | { kind: 'customer'; customer: Customer }
  | { kind: 'customerContact'; customerId: number; contact: CustomerContact }
  | { kind: 'person'; contact: Contact }
  | { kind: 'contactMethod'; method: ContactMethod }
  | { kind: 'location'; location: Location }
  | { kind: 'locationContact'; locationId: number; contact: LocationContact };

export type EntityKind = Entity['kind'];

/** What a kind of record is called in messages. */
export const ENTITY_NOUNS: Record<EntityKind, string> = {
  customer: 'customer',
  customerContact: 'customer phone/email',
  person: 'contact',
  contactMethod: 'contact method',
  location: 'location',
  locationContact: 'location phone/email',
};

export function entityId(entity: Entity): string {
  switch (entity.kind) {
    case 'customer':
      return String(entity.customer.id);
    case 'customerContact':
    case 'person':
    case 'locationContact':
      return String(entity.contact.id);
    case 'contactMethod':
      return entity.method.id;
    case 'location':
      return String(entity.location.id);
  }
}

export function entityRecord(entity: Entity): object {
  switch (entity.kind) {
    case 'customer':
      return entity.customer;
    case 'customerContact':
    case 'person':
    case 'locationContact':
      return entity.contact;
    case 'contactMethod':
      return entity.method;
    case 'location':
      return entity.location;
  }
}

/** A short human name for messages: "Jane Doe", "Email jane@example.com". */
export function entityLabel(entity: Entity): string {
  switch (entity.kind) {
    case 'customer':
      return entity.customer.name;
    case 'person':
      return personName(entity.contact);
    case 'location':
      return entity.location.name;
    case 'customerContact':
    case 'locationContact':
      return `${CONTACT_TYPE_LABELS[entity.contact.type]} ${entity.contact.value}`;
    case 'contactMethod':
      return `${CONTACT_TYPE_LABELS[entity.method.type]} ${entity.method.value}`;
  }
}

export function personName(contact: Contact): string {
  return contact.name?.trim() || '(no name)';
}

/** An address on one line: "12 Main St Apt 4, Springfield, IL 62701, USA". */
export function formatAddress(address: Address): string {
  const street = [address.street, address.unit].filter(Boolean).join(' ');
  return [street, address.city, [address.state, address.zip].filter(Boolean).join(' '), address.country].filter(Boolean).join(', ');
}

export const CONTACT_TYPE_LABELS: Record<ContactType, string> = {
  Phone: 'Phone',
  MobilePhone: 'Mobile',
  Email: 'Email',
  Fax: 'Fax',
};

/**
 * The GET that reads this record. Customer and location phone/email contacts have no GET of
 * their own in CRM v2, so theirs is the list of their parent's contacts.
 */
export function entityGetRequest(entity: Entity): { operationId: CrmOperationId; input: OperationInput } {
  switch (entity.kind) {
    case 'customer':
      return { operationId: 'Customers_Get', input: { path: { id: entity.customer.id } } };
    case 'customerContact':
      return { operationId: 'Customers_GetContactList', input: { path: { id: entity.customerId } } };
    case 'person':
      return { operationId: 'Contacts_Get', input: { path: { id: entity.contact.id } } };
    case 'contactMethod':
      return { operationId: 'ContactMethods_GetContactMethod', input: { path: { contactId: entity.method.contactId, contactMethodId: entity.method.id } } };
    case 'location':
      return { operationId: 'Locations_Get', input: { path: { id: entity.location.id } } };
    case 'locationContact':
      return { operationId: 'Locations_GetContactList', input: { path: { id: entity.locationId } } };
  }
}
