// Customers and locations as the API answers them: exactly the fields of the document's response
// definitions, in its order; optional fields without a value are left out (the gateway writes
// them as null, as the live API does: liveNulls.ts).
import { nullOnTheLiveApi } from '../../liveNulls';
import type { CustomerRec, LocationRec, PhoneContactRec, StoredExternalData } from '../../types';

/** The external data an application wrote; none without an application GUID (null on the live API). */
function externalFor(list: StoredExternalData[], appGuid: string | undefined): Array<{ key: string; value: string }> {
  if (!appGuid) return nullOnTheLiveApi([]);
  return list.filter((entry) => entry.applicationGuid === appGuid).map((entry) => ({ key: entry.key, value: entry.value }));
}

/** Crm.V2.Customers.CustomerResponse (and Crm.V2.ExportCustomerResponse, the same fields). */
export function customerResponse(customer: CustomerRec, appGuid?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: customer.id,
    active: customer.active,
    name: customer.name,
    type: customer.type,
    address: { ...customer.address },
    customFields: customer.customFields.map((field) => ({ ...field })),
    balance: customer.balance,
    taxExempt: customer.taxExempt,
    tagTypeIds: [...customer.tagTypeIds],
    doNotMail: customer.doNotMail,
    doNotService: customer.doNotService,
    nationalAccount: customer.nationalAccount,
    createdOn: customer.createdOn,
    createdById: customer.createdById,
    modifiedOn: customer.modifiedOn,
  };
  if (customer.mergedToId !== undefined) out.mergedToId = customer.mergedToId;
  if (customer.paymentTermId !== undefined) out.paymentTermId = customer.paymentTermId;
  if (customer.creditLimit !== undefined) out.creditLimit = customer.creditLimit;
  if (customer.creditLimitBalance !== undefined) out.creditLimitBalance = customer.creditLimitBalance;
  out.externalData = externalFor(customer.externalData, appGuid);
  return out;
}

/** Crm.V2.Locations.LocationResponse (and Crm.V2.ExportLocationsResponse, the same fields). */
export function locationResponse(location: LocationRec, appGuid?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: location.id,
    customerId: location.customerId,
    active: location.active,
    name: location.name,
    address: { ...location.address },
    customFields: location.customFields.map((field) => ({ ...field })),
    createdOn: location.createdOn,
    createdById: location.createdById,
    modifiedOn: location.modifiedOn,
  };
  if (location.mergedToId !== undefined) out.mergedToId = location.mergedToId;
  if (location.zoneId !== undefined) out.zoneId = location.zoneId;
  out.taxExempt = location.taxExempt;
  out.tagTypeIds = [...location.tagTypeIds];
  out.externalData = externalFor(location.externalData, appGuid);
  if (location.taxZoneId !== undefined) out.taxZoneId = location.taxZoneId;
  return out;
}

/** Crm.V2.Customers.CustomerContact / Crm.V2.Locations.LocationContact (inside CreatedCustomerResponse). */
export function briefContactResponse(contact: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: contact.id, type: contact.type, value: contact.value };
  if (contact.memo !== undefined) out.memo = contact.memo;
  return out;
}
