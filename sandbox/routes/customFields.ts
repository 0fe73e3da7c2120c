// Custom field types of customers and locations (Crm.V2.*.CustomFieldTypeResponse): a fixed set,
// configured in ServiceTitan's settings rather than through this API.
import { json, type OperationRoute, type RequestContext } from '../http';
import { inDateRange, paginate, readDateRange, readPaging, sortRows } from './common';

export interface CustomFieldType { id: number; name: string; dataType: string; dataTypeOptions?: string[]; createdOn: string; modifiedOn: string }

const ON = '2018-01-01T00:00:00.000Z';
export const CUSTOMER_CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = [
  { id: 9001, name: 'Referral Source', dataType: 'Dropdown', dataTypeOptions: ['Google', 'Yelp', 'Neighbor', 'Mailer', 'Repeat'], createdOn: ON, modifiedOn: ON },
  { id: 9002, name: 'Gate Code', dataType: 'Text', createdOn: ON, modifiedOn: '2021-03-15T16:20:00.000Z' },
  { id: 9003, name: 'Preferred Technician', dataType: 'Text', createdOn: '2019-06-01T12:00:00.000Z', modifiedOn: '2019-06-01T12:00:00.000Z' },
];
export const LOCATION_CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = [
  { id: 9101, name: 'Access Notes', dataType: 'Text', createdOn: ON, modifiedOn: ON },
  { id: 9102, name: 'Pets on Premises', dataType: 'Dropdown', dataTypeOptions: ['None', 'Dog', 'Cat', 'Other'], createdOn: ON, modifiedOn: '2022-08-01T09:00:00.000Z' },
  { id: 9103, name: 'Equipment Age (years)', dataType: 'Numeric', createdOn: '2020-02-10T08:30:00.000Z', modifiedOn: '2020-02-10T08:30:00.000Z' },
];
/** Names stored with custom field values (CustomFieldModel.name). */
export const CUSTOM_FIELD_NAMES: Record<number, string> = Object.fromEntries(
  [...CUSTOMER_CUSTOM_FIELD_TYPES, ...LOCATION_CUSTOM_FIELD_TYPES].map((t) => [t.id, t.name]),
);

function typeResponse(t: CustomFieldType): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, name: t.name, dataType: t.dataType };
  if (t.dataTypeOptions) out.dataTypeOptions = [...t.dataTypeOptions];
  out.createdOn = t.createdOn;
  out.modifiedOn = t.modifiedOn;
  return out;
}

function listOf(types: readonly CustomFieldType[]) {
  return (ctx: RequestContext) => {
    const paging = readPaging(ctx.q);
    const dates = readDateRange(ctx.q);
    const sort = ctx.q.sort();
    const rows = types.filter((t) => inDateRange(dates, t.createdOn, t.modifiedOn));
    return json(paginate(sortRows(rows, sort), paging, typeResponse));
  };
}

export function customFieldRoutes(): OperationRoute[] {
  return [
    { operationId: 'Customers_GetCustomFieldTypes', handler: listOf(CUSTOMER_CUSTOM_FIELD_TYPES) },
    { operationId: 'Locations_GetCustomFieldTypes', handler: listOf(LOCATION_CUSTOM_FIELD_TYPES) },
  ];
}
