// The custom field types of customers and locations: a fixed set, configured in ServiceTitan's
// settings rather than through this API. Their routes are routes/customFields.ts; bodies that set
// custom fields store the type's name with the value.

export interface CustomFieldType {
  id: number;
  name: string;
  dataType: string;
  dataTypeOptions?: string[];
  createdOn: string;
  modifiedOn: string;
}

const CONFIGURED_ON = '2018-01-01T00:00:00.000Z';

export const CUSTOMER_CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = [
  {
    id: 9001,
    name: 'Referral Source',
    dataType: 'Dropdown',
    dataTypeOptions: ['Google', 'Yelp', 'Neighbor', 'Mailer', 'Repeat'],
    createdOn: CONFIGURED_ON,
    modifiedOn: CONFIGURED_ON,
  },
  { id: 9002, name: 'Gate Code', dataType: 'Text', createdOn: CONFIGURED_ON, modifiedOn: '2021-03-15T16:20:00.000Z' },
  { id: 9003, name: 'Preferred Technician', dataType: 'Text', createdOn: '2019-06-01T12:00:00.000Z', modifiedOn: '2019-06-01T12:00:00.000Z' },
];

export const LOCATION_CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = [
  { id: 9101, name: 'Access Notes', dataType: 'Text', createdOn: CONFIGURED_ON, modifiedOn: CONFIGURED_ON },
  {
    id: 9102,
    name: 'Pets on Premises',
    dataType: 'Dropdown',
    dataTypeOptions: ['None', 'Dog', 'Cat', 'Other'],
    createdOn: CONFIGURED_ON,
    modifiedOn: '2022-08-01T09:00:00.000Z',
  },
  { id: 9103, name: 'Equipment Age (years)', dataType: 'Numeric', createdOn: '2020-02-10T08:30:00.000Z', modifiedOn: '2020-02-10T08:30:00.000Z' },
];

/** Names stored with custom field values (CustomFieldModel.name). */
export const CUSTOM_FIELD_NAMES: Record<number, string> = Object.fromEntries(
  [...CUSTOMER_CUSTOM_FIELD_TYPES, ...LOCATION_CUSTOM_FIELD_TYPES].map((type) => [type.id, type.name]),
);
