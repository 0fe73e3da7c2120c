// Custom field types of customers and locations (Crm.V2.*.CustomFieldTypeResponse): the fixed set
// of customFieldTypes.ts.
import { CUSTOMER_CUSTOM_FIELD_TYPES, LOCATION_CUSTOM_FIELD_TYPES, type CustomFieldType } from '../customFieldTypes';
import { json, type OperationRoute, type RequestContext } from '../http';
import { inDateRange } from '../query/dateRange';
import { paginate } from '../query/paging';
import { sortRows } from '../query/sorting';
import { readDateRange, readPaging } from './shared/listQuery';

function typeResponse(type: CustomFieldType): Record<string, unknown> {
  const out: Record<string, unknown> = { id: type.id, name: type.name, dataType: type.dataType };
  if (type.dataTypeOptions) out.dataTypeOptions = [...type.dataTypeOptions];
  out.createdOn = type.createdOn;
  out.modifiedOn = type.modifiedOn;
  return out;
}

function listOf(types: readonly CustomFieldType[]) {
  return (ctx: RequestContext) => {
    const paging = readPaging(ctx.q);
    const dates = readDateRange(ctx.q);
    const sort = ctx.q.sort();
    const rows = types.filter((type) => inDateRange(dates, type.createdOn, type.modifiedOn));
    return json(paginate(sortRows(rows, sort), paging, typeResponse));
  };
}

export function customFieldRoutes(): OperationRoute[] {
  return [
    { operationId: 'Customers_GetCustomFieldTypes', handler: listOf(CUSTOMER_CUSTOM_FIELD_TYPES) },
    { operationId: 'Locations_GetCustomFieldTypes', handler: listOf(LOCATION_CUSTOM_FIELD_TYPES) },
  ];
}
