// Export change feeds of customers, locations and their contacts (ExportResponse_Of_…), see changeFeed.ts.
import { EXPORT_PAGE_SIZE } from '../changeFeed';
import { json, type OperationRoute, type RequestContext } from '../http';
import { exportCustomerContactResponse, exportLocationContactResponse } from './shared/phoneContactResponses';
import { customerResponse, locationResponse } from './shared/placeResponses';
import type { RouteDeps } from './shared/routeDeps';

export function exportRoutes(deps: RouteDeps): OperationRoute[] {
  // includeRecentChanges is bound (a boolean) and has no effect: the sandbox has no replication lag.
  const from = (ctx: RequestContext): string | undefined => ctx.q.str('from');
  const customers = (ctx: RequestContext) => json(deps.store.customerFeed().read(from(ctx), EXPORT_PAGE_SIZE, (customer) => customerResponse(customer)));
  const locations = (ctx: RequestContext) => json(deps.store.locationFeed().read(from(ctx), EXPORT_PAGE_SIZE, (location) => locationResponse(location)));
  const customerContacts = (ctx: RequestContext) => json(deps.store.customerContactFeed().read(from(ctx), EXPORT_PAGE_SIZE, exportCustomerContactResponse));
  const locationContacts = (ctx: RequestContext) => json(deps.store.locationContactFeed().read(from(ctx), EXPORT_PAGE_SIZE, exportLocationContactResponse));
  return [
    { operationId: 'ExportCustomers_GetCustomers', handler: customers },
    { operationId: 'ExportLocations_Locations', handler: locations },
    { operationId: 'ExportContacts_CustomersContacts', handler: customerContacts },
    { operationId: 'ExportContacts_LocationsContacts', handler: locationContacts },
  ];
}
