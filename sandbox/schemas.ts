// Request body schemas, one per CRM v2 request definition (tenant-crm-v2.json). Field names,
// required lists and nesting follow the spec; length limits are the sandbox's own (README, "The local CRM sandbox").
import { CUSTOMER_TYPES } from './types';
import { checkTypedValue, contactTypeSpec, type FieldSpec, type ObjectSchema } from './validation';

const str = (maxLength: number, required = false): FieldSpec => ({ kind: 'string', maxLength, required });
const int64Array: FieldSpec = { kind: 'array', items: { kind: 'int64', required: true } };
export const NAME_MAX = 255;
export const VALUE_MAX = 255;
export const MEMO_MAX = 255;

const customerType: FieldSpec = { kind: 'enum', typeName: 'Crm.V2.CustomerType', values: CUSTOMER_TYPES };

export const CustomerAddress: ObjectSchema = {
  typeName: 'Crm.V2.Customers.CustomerAddress',
  fields: {
    street: str(255, true), unit: str(64), city: str(100, true), state: str(64, true), zip: str(20, true),
    country: str(64, true), latitude: { kind: 'double' }, longitude: { kind: 'double' },
  },
};

export const UpdateCustomerAddress: ObjectSchema = {
  typeName: 'Crm.V2.Customers.UpdateCustomerAddress',
  fields: {
    street: str(255, true), unit: str(64, true), city: str(100, true), state: str(64, true), zip: str(20, true),
    country: str(64, true), latitude: { kind: 'double', required: true }, longitude: { kind: 'double', required: true },
  },
};

/** Shared by NewCustomerContact, Create/UpdateCustomerContactRequest and location contact requests. */
function typedContact(typeName: string, required: boolean): ObjectSchema {
  return {
    typeName,
    fields: { type: contactTypeSpec(required), value: { kind: 'string', maxLength: VALUE_MAX, required, notBlank: true }, memo: str(MEMO_MAX) },
    check: (v, report) => checkTypedValue(v, report),
  };
}

export const NewCustomerContact = typedContact('Crm.V2.Customers.NewCustomerContact', true);
export const CreateCustomerContactRequest = typedContact('Crm.V2.Customers.CreateCustomerContactRequest', true);
export const UpdateCustomerContactRequest = typedContact('Crm.V2.Customers.UpdateCustomerContactRequest', false);
export const LocationContactCreateRequest = typedContact('Crm.V2.LocationContactCreateRequest', true);
export const LocationContactUpdateRequest = typedContact('Crm.V2.LocationContactUpdateRequest', false);

const CustomFieldUpdateModel: ObjectSchema = {
  typeName: 'Crm.V2.Customers.CustomFieldUpdateModel',
  fields: { typeId: { kind: 'int64', required: true }, value: { kind: 'string', required: true } },
};
const ExternalDataModel: ObjectSchema = {
  typeName: 'Crm.V2.ExternalDataModel',
  fields: { key: str(255, true), value: { kind: 'string', required: true } },
};
const ExternalDataCreateRequest: ObjectSchema = {
  typeName: 'Crm.V2.ExternalDataCreateRequest',
  fields: {
    applicationGuid: { kind: 'guid', required: true },
    externalData: { kind: 'array', items: { kind: 'object', schema: ExternalDataModel, required: true }, required: true },
  },
};
const ExternalDataUpdateModel: ObjectSchema = {
  typeName: 'Crm.V2.ExternalDataUpdateModel',
  fields: { key: str(255, true), value: { kind: 'string' } },
};
const ExternalDataUpdateRequest: ObjectSchema = {
  typeName: 'Crm.V2.ExternalDataUpdateRequest',
  fields: {
    patchMode: { kind: 'enum', typeName: 'Crm.V2.ExternalDataPatchMode', values: ['Replace', 'Merge'] },
    applicationGuid: { kind: 'guid', required: true },
    externalData: { kind: 'array', items: { kind: 'object', schema: ExternalDataUpdateModel, required: true }, required: true },
  },
};

const NewLocation: ObjectSchema = {
  typeName: 'Crm.V2.Customers.NewLocation',
  fields: {
    name: str(NAME_MAX, true),
    address: { kind: 'object', schema: CustomerAddress, required: true },
    contacts: { kind: 'array', items: { kind: 'object', schema: NewCustomerContact, required: true } },
    customFields: { kind: 'array', items: { kind: 'object', schema: CustomFieldUpdateModel, required: true } },
    tagTypeIds: int64Array,
    externalData: { kind: 'object', schema: ExternalDataCreateRequest },
  },
};

export const CreateCustomerRequest: ObjectSchema = {
  typeName: 'Crm.V2.Customers.CreateCustomerRequest',
  fields: {
    name: str(NAME_MAX, true),
    type: customerType,
    doNotMail: { kind: 'bool' },
    doNotService: { kind: 'bool' },
    // A ServiceTitan customer always has at least one service location.
    locations: { kind: 'array', items: { kind: 'object', schema: NewLocation, required: true }, required: true, minItems: 1 },
    address: { kind: 'object', schema: CustomerAddress, required: true },
    contacts: { kind: 'array', items: { kind: 'object', schema: NewCustomerContact, required: true } },
    customFields: { kind: 'array', items: { kind: 'object', schema: CustomFieldUpdateModel, required: true } },
    tagTypeIds: int64Array,
    externalData: { kind: 'object', schema: ExternalDataCreateRequest },
  },
};

export const UpdateCustomerRequest: ObjectSchema = {
  typeName: 'Crm.V2.Customers.UpdateCustomerRequest',
  fields: {
    name: { kind: 'string', maxLength: NAME_MAX, notBlank: true },
    type: customerType,
    address: { kind: 'object', schema: UpdateCustomerAddress },
    customFields: { kind: 'array', items: { kind: 'object', schema: CustomFieldUpdateModel, required: true } },
    externalData: { kind: 'object', schema: ExternalDataUpdateRequest },
    doNotMail: { kind: 'bool' },
    doNotService: { kind: 'bool' },
    active: { kind: 'bool' },
    tagTypeIds: int64Array,
  },
};

const personFields = {
  name: { kind: 'string', maxLength: NAME_MAX, notBlank: true },
  title: { kind: 'string', maxLength: 100 },
  referenceId: { kind: 'string', maxLength: 100 },
} as const satisfies Record<string, FieldSpec>;

export const CreateContactRequest: ObjectSchema = { typeName: 'Crm.V2.CreateContactRequest', fields: { ...personFields } };
export const UpdateContactRequest: ObjectSchema = {
  typeName: 'Crm.V2.UpdateContactRequest',
  fields: { ...personFields, isArchived: { kind: 'bool', required: true } },
};
export const ReplaceContactRequest: ObjectSchema = {
  typeName: 'Crm.V2.ReplaceContactRequest',
  fields: { ...personFields, isArchived: { kind: 'bool', required: true } },
};

export const CreateContactMethodRequest: ObjectSchema = {
  typeName: 'Crm.V2.CreateContactMethodRequest',
  fields: { referenceId: str(100), type: contactTypeSpec(true), value: str(VALUE_MAX, true), memo: str(MEMO_MAX) },
  check: (v, report) => checkTypedValue(v, report),
};
export const UpsertContactMethodRequest: ObjectSchema = { ...CreateContactMethodRequest, typeName: 'Crm.V2.UpsertContactMethodRequest' };
/** Type cannot change on PATCH; the value is checked against the stored type by the route. */
export const UpdateContactMethodRequest: ObjectSchema = {
  typeName: 'Crm.V2.UpdateContactMethodRequest',
  fields: { value: { kind: 'string', maxLength: VALUE_MAX, notBlank: true }, memo: str(MEMO_MAX) },
};
