// Export change feeds of customers, locations and their contacts (ExportResponse_Of_…), see changeFeed.ts.
import { EXPORT_PAGE_SIZE } from '../changeFeed';
import { json, type OperationRoute, type RequestContext } from '../http';
import { customerResponse, exportCustomerContactResponse, exportLocationContactResponse, locationResponse, type RouteDeps } from './common';

export function exportRoutes(deps: RouteDeps): OperationRoute[] {
  // includeRecentChanges is bound (a boolean) and has no effect: the sandbox has no replication lag.
  const from = (ctx: RequestContext): string | undefined => ctx.q.str('from');
  return [
    { operationId: 'ExportCustomers_GetCustomers', handler: (ctx) => json(deps.store.customerFeed().read(from(ctx), EXPORT_PAGE_SIZE, (c) => customerResponse(c))) },
    { operationId: 'ExportLocations_Locations', handler: (ctx) => json(deps.store.locationFeed().read(from(ctx), EXPORT_PAGE_SIZE, (l) => locationResponse(l))) },
    { operationId: 'ExportContacts_CustomersContacts', handler: (ctx) => json(deps.store.customerContactFeed().read(from(ctx), EXPORT_PAGE_SIZE, exportCustomerContactResponse)) },
    { operationId: 'ExportContacts_LocationsContacts', handler: (ctx) => json(deps.store.locationContactFeed().read(from(ctx), EXPORT_PAGE_SIZE, exportLocationContactResponse)) },
  ];
}
