// Leads (Crm.V2.Lead*), their notes and follow-ups, the web lead form and the leads export feed.
import { createHash } from 'node:crypto';
import type { Bound } from '../binding';
import { EXPORT_PAGE_SIZE } from '../changeFeed';
import { addError, badRequest, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import { digitsOf } from '../query/contactValues';
import { inDateRange } from '../query/dateRange';
import { paginate } from '../query/paging';
import { sortRows } from '../query/sorting';
import { LEAD_STATUSES, type LeadRec, type LeadStatus, type Priority } from '../salesStore';
import type { NoteRec } from '../types';
import { contactValueError, type JsonObject } from '../validation';
import { boolOf, numOf, optText, strOf } from './shared/bodyFields';
import { readDateRange, readPaging } from './shared/listQuery';
import { noteResponse } from './shared/noteResponse';
import { API_USER_ID, nowIso, type RouteDeps } from './shared/routeDeps';
import { checkTagTypeIds } from './shared/tagTypes';

/** Campaign a lead from the web form is filed under (LeadResponse.campaignId is required). */
export const FORM_CAMPAIGN_ID = 2001;
export const FORM_CAPTURE_SOURCE = 'Form';

const LEAD_TEXT_FIELDS = ['leadCustomerName', 'leadPhone', 'leadEmail', 'leadStreet', 'leadUnit', 'leadCity', 'leadState', 'leadZip', 'leadCountry'] as const;

// ---- response mappers (exactly the fields of the document's definitions, in its order) ---------
function leadFields(lead: LeadRec, leadUrl: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  out.id = lead.id;
  out.status = lead.status;
  out.priority = lead.priority;
  if (lead.customerId !== undefined) out.customerId = lead.customerId;
  if (lead.locationId !== undefined) out.locationId = lead.locationId;
  if (lead.businessUnitId !== undefined) out.businessUnitId = lead.businessUnitId;
  if (lead.jobTypeId !== undefined) out.jobTypeId = lead.jobTypeId;
  out.campaignId = lead.campaignId;
  if (lead.followUpDate !== undefined) out.followUpDate = lead.followUpDate;
  out.createdById = lead.createdById;
  out.createdOn = lead.createdOn;
  out.modifiedOn = lead.modifiedOn;
  out.tagTypeIds = [...lead.tagTypeIds];
  if (lead.dismissingReasonId !== undefined) out.dismissingReasonId = lead.dismissingReasonId;
  if (lead.summary !== undefined) out.summary = lead.summary;
  if (lead.callReasonId !== undefined) out.callReasonId = lead.callReasonId;
  if (lead.callId !== undefined) out.callId = lead.callId;
  if (lead.bookingId !== undefined) out.bookingId = lead.bookingId;
  if (lead.manualCallId !== undefined) out.manualCallId = lead.manualCallId;
  if (leadUrl !== undefined) out.leadUrl = leadUrl;
  for (const key of LEAD_TEXT_FIELDS) {
    if (lead[key] !== undefined) out[key] = lead[key];
  }
  if (lead.captureSource !== undefined) out.captureSource = lead.captureSource;
  return out;
}

/** Crm.V2.LeadResponse */
export function leadResponse(lead: LeadRec, leadUrl?: string): Record<string, unknown> {
  return leadFields(lead, leadUrl);
}

/** Crm.V2.ExportLeadsResponse: the lead plus `active` (leads are never deleted, so always true). */
export function exportLeadResponse(lead: LeadRec): Record<string, unknown> {
  return { ...leadFields(lead, undefined), active: true };
}

/** A permanent link to the lead (genPermUrl=true): stable for a lead id. */
export function permanentLeadUrl(id: number): string {
  const token = createHash('sha256').update(`stcrm-sandbox-lead:${id}`).digest('hex').slice(0, 24);
  return `https://go.servicetitan.com/#/new/leads/${id}?permToken=${token}`;
}

/** A query value that must be one of `values` (case-insensitive), keyed like ASP.NET's binder. */
function enumOf<T extends string>(query: Bound, name: string, values: readonly T[]): T | undefined {
  const given = query.str(name);
  if (given === undefined) return undefined;
  const hit = values.find((value) => value.toLowerCase() === given.trim().toLowerCase());
  if (hit === undefined) {
    const key = name.charAt(0).toUpperCase() + name.slice(1);
    throw badRequest({ [key]: [`The value '${given}' is not valid for ${key}.`] });
  }
  return hit;
}

/** Text equality ignoring case and outer spaces; absent text is ''. */
function sameText(a: string | undefined, b: string): boolean {
  return (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();
}

// ---- handlers ------------------------------------------------------------------------------------
export function leadRoutes(deps: RouteDeps): OperationRoute[] {
  // deps.sales is read on every call: a failed save swaps in the state that is on disk.
  const sales = (): RouteDeps['sales'] => deps.sales;

  const requireLead = (id: number): LeadRec => {
    const lead = sales().getLead(id);
    if (!lead) throw notFound('Lead not found');
    return lead;
  };

  /**
   * 400 keyed by the C# property when a referenced customer, location or booking does not exist
   * (or the location belongs to another customer). Returns the customer, which a location implies.
   */
  const checkReferences = (
    customerId: number | undefined,
    locationId: number | undefined,
    bookingId: number | undefined,
    tagTypeIds?: unknown,
  ): number | undefined => {
    const errors: ErrorMap = {};
    let customer = customerId;
    if (customerId !== undefined && !deps.store.getCustomer(customerId)) addError(errors, 'CustomerId', `Customer ${customerId} does not exist.`);
    if (locationId !== undefined) {
      const location = deps.store.getLocation(locationId);
      if (!location) {
        addError(errors, 'LocationId', `Location ${locationId} does not exist.`);
      } else if (customerId !== undefined && location.customerId !== customerId) {
        addError(errors, 'LocationId', `Location ${locationId} does not belong to customer ${customerId}.`);
      } else {
        customer = location.customerId;
      }
    }
    if (bookingId !== undefined && !sales().getBooking(bookingId)) addError(errors, 'BookingId', `Booking ${bookingId} does not exist.`);
    checkTagTypeIds(errors, 'TagTypeIds', tagTypeIds);
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    return customer;
  };

  const list = (ctx: RequestContext) => {
    const query = ctx.q;
    const paging = readPaging(query);
    const sort = query.sort();
    const status: LeadStatus | undefined = enumOf(query, 'status', LEAD_STATUSES);
    const ids = query.ids('ids');
    const dates = readDateRange(query);
    const customerId = query.num('customerId');
    const isProspect = query.bool('isProspect');
    const withoutCustomer = query.bool('withoutCustomer');
    const city = query.str('customerCity');
    const state = query.str('customerState');
    const zip = query.str('customerZip');
    const customerCreatedFrom = query.num('customerCreatedOnOrAfter');
    const customerCreatedBefore = query.num('customerCreatedBefore');
    const customerModifiedFrom = query.num('customerModifiedOnOrAfter');
    const genPermUrl = query.bool('genPermUrl') ?? false;
    const name = query.str('leadCustomerName');
    const phone = query.str('leadPhone');
    const isForm = query.bool('isCaptureSourceForm');

    const byCustomer =
      city !== undefined ||
      state !== undefined ||
      zip !== undefined ||
      customerCreatedFrom !== undefined ||
      customerCreatedBefore !== undefined ||
      customerModifiedFrom !== undefined;
    const phoneDigits = phone === undefined ? undefined : digitsOf(phone);
    const idSet = ids ? new Set(ids) : undefined;
    const matches = (lead: LeadRec): boolean => {
      if (idSet && !idSet.has(lead.id)) return false;
      if (customerId !== undefined && lead.customerId !== customerId) return false;
      if (status !== undefined && lead.status !== status) return false;
      // A prospect has no customer, or a customer without a job booked from the lead.
      if (isProspect !== undefined && isProspect !== (lead.customerId === undefined || !lead.hasJob)) return false;
      if (withoutCustomer === true && (lead.customerId !== undefined || lead.locationId !== undefined)) return false;
      if (withoutCustomer === false && (lead.customerId === undefined || lead.locationId === undefined)) return false;
      if (name !== undefined && !(lead.leadCustomerName ?? '').toLowerCase().includes(name.trim().toLowerCase())) return false;
      if (phone !== undefined) {
        // Digits only, so "(212) 555-0123" finds 2125550123; text without digits is matched as text.
        const found = phoneDigits === '' ? (lead.leadPhone ?? '').includes(phone) : digitsOf(lead.leadPhone ?? '').includes(phoneDigits ?? '');
        if (!found) return false;
      }
      if (isForm !== undefined && isForm !== (lead.captureSource === FORM_CAPTURE_SOURCE)) return false;
      if (!inDateRange(dates, lead.createdOn, lead.modifiedOn)) return false;
      if (byCustomer) {
        const customer = lead.customerId === undefined ? undefined : deps.store.getCustomer(lead.customerId);
        if (!customer) return false;
        if (city !== undefined && !sameText(customer.address.city, city)) return false;
        if (state !== undefined && !sameText(customer.address.state, state)) return false;
        if (zip !== undefined && !sameText(customer.address.zip, zip)) return false;
        if (customerCreatedFrom !== undefined && !(Date.parse(customer.createdOn) >= customerCreatedFrom)) return false;
        if (customerCreatedBefore !== undefined && !(Date.parse(customer.createdOn) < customerCreatedBefore)) return false;
        if (customerModifiedFrom !== undefined && !(Date.parse(customer.modifiedOn) >= customerModifiedFrom)) return false;
      }
      return true;
    };
    const rows = sortRows(sales().leads().filter(matches), sort);
    return json(paginate(rows, paging, (lead) => leadResponse(lead, genPermUrl ? permanentLeadUrl(lead.id) : undefined)));
  };

  const get = (ctx: RequestContext) => json(leadResponse(requireLead(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
    const customerId = checkReferences(numOf(body, 'customerId'), numOf(body, 'locationId'), numOf(body, 'bookingId'), body.tagTypeIds);
    const now = nowIso();
    const lead: LeadRec = {
      id: deps.store.nextId(),
      status: 'Open',
      priority: (strOf(body, 'priority') as Priority | undefined) ?? 'Normal',
      campaignId: numOf(body, 'campaignId') ?? 0,
      createdById: API_USER_ID,
      createdOn: now,
      modifiedOn: now,
      tagTypeIds: Array.isArray(body.tagTypeIds) ? [...new Set(body.tagTypeIds as number[])] : [],
      hasJob: false,
      notes: [],
    };
    if (customerId !== undefined) lead.customerId = customerId;
    for (const key of ['locationId', 'businessUnitId', 'jobTypeId', 'callReasonId', 'bookingId'] as const) {
      const value = numOf(body, key);
      if (value !== undefined) lead[key] = value;
    }
    const followUpDate = strOf(body, 'followUpDate');
    if (followUpDate !== undefined) lead.followUpDate = followUpDate;
    const summary = optText(body.summary);
    if (summary !== undefined) lead.summary = summary;
    for (const key of LEAD_TEXT_FIELDS) {
      const value = optText(body[key]);
      if (value !== undefined) lead[key] = value;
    }
    sales().putLead(lead);
    deps.commit();
    return json(leadResponse(lead));
  };

  const update = (ctx: RequestContext) => {
    // The document lists no 404 here; an unknown lead is answered like Leads_Get does.
    const current = requireLead(ctx.path.id('id'));
    const body = ctx.json;
    const next: LeadRec = { ...current, modifiedOn: nowIso() };
    const campaignId = numOf(body, 'campaignId');
    if (campaignId !== undefined) next.campaignId = campaignId;
    const priority = strOf(body, 'priority');
    if (priority !== undefined) next.priority = priority as Priority;
    for (const key of ['businessUnitId', 'jobTypeId'] as const) {
      const value = numOf(body, key);
      if (value !== undefined) next[key] = value;
    }
    for (const key of ['summary', ...LEAD_TEXT_FIELDS] as const) {
      if (typeof body[key] !== 'string') continue;
      const value = optText(body[key]);
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    sales().putLead(next);
    deps.commit();
    return json(leadResponse(next));
  };

  const followUp = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const current = requireLead(id);
    const body = ctx.json;
    const followUpDate = strOf(body, 'followUpDate') ?? nowIso();
    const pinToTop = boolOf(body, 'pinToTop') ?? false;
    const text = optText(body.text);
    const now = nowIso();
    const next: LeadRec = { ...current, followUpDate, modifiedOn: now };
    // The follow-up's text is kept as a note on the lead (pinned when pinToTop).
    if (text !== undefined) {
      const note: NoteRec = { id: deps.store.nextId(), text, isPinned: pinToTop, createdById: API_USER_ID, createdOn: now, modifiedOn: now };
      next.notes = [...current.notes, note];
    }
    sales().putLead(next);
    deps.commit();
    const out: Record<string, unknown> = { leadId: id, followUpDate };
    if (text !== undefined) out.text = text;
    out.pinToTop = pinToTop;
    return json(out);
  };

  const notes = (ctx: RequestContext) => {
    const lead = requireLead(ctx.path.id('id'));
    const dates = readDateRange(ctx.q);
    const rows = lead.notes.filter((note) => inDateRange(dates, note.createdOn, note.modifiedOn));
    return json(paginate(rows, readPaging(ctx.q), noteResponse));
  };

  const createNote = (ctx: RequestContext) => {
    const current = requireLead(ctx.path.id('id'));
    const body = ctx.json;
    const now = nowIso();
    const note: NoteRec = {
      id: deps.store.nextId(),
      text: strOf(body, 'text') ?? '',
      isPinned: boolOf(body, 'pinToTop') ?? false,
      createdById: API_USER_ID,
      createdOn: now,
      modifiedOn: now,
    };
    // A note is not a change of the lead itself (neither LeadResponse nor the export shows notes).
    sales().putLead({ ...current, notes: [...current.notes, note] }, false);
    deps.commit();
    return json(noteResponse(note));
  };

  const dismiss = (ctx: RequestContext) => {
    const current = requireLead(ctx.path.id('id'));
    const reason = numOf(ctx.json, 'dismissingReasonId') ?? 0;
    sales().putLead({ ...current, status: 'Dismissed', dismissingReasonId: reason, modifiedOn: nowIso() });
    deps.commit();
    return empty();
  };

  const submitForm = (ctx: RequestContext) => {
    const body = ctx.json;
    const existingId = ctx.q.num('id');
    const errors: ErrorMap = {};
    const email = optText(body.email);
    const phone = optText(body.phoneNumber);
    if (email !== undefined && contactValueError('Email', email)) addError(errors, 'Email', 'The Email field is not a valid e-mail address.');
    if (phone !== undefined && contactValueError('Phone', phone)) addError(errors, 'PhoneNumber', 'The PhoneNumber field is not a valid phone number.');
    const existing = existingId === undefined ? undefined : sales().getLead(existingId);
    // The document lists only 400 for this operation, so an unknown ?id= is a bad value, keyed like the binder.
    if (existingId !== undefined && !existing) addError(errors, 'Id', `Lead ${existingId} does not exist.`);
    if (Object.keys(errors).length > 0) throw badRequest(errors);

    const now = nowIso();
    // With ?id= the form adds to the lead it made before (a multi-step form); without, it makes a new one.
    const lead: LeadRec = existing
      ? { ...existing, modifiedOn: now }
      : {
          id: deps.store.nextId(),
          status: 'Open',
          priority: 'Normal',
          campaignId: FORM_CAMPAIGN_ID,
          createdById: API_USER_ID,
          createdOn: now,
          modifiedOn: now,
          tagTypeIds: [],
          hasJob: false,
          notes: [],
          captureSource: FORM_CAPTURE_SOURCE,
        };
    const name = optText(body.name);
    if (name !== undefined) lead.leadCustomerName = name.trim();
    if (email !== undefined) lead.leadEmail = email.trim();
    if (phone !== undefined) lead.leadPhone = phone.trim();
    const summary = optText(body.summary);
    if (summary !== undefined) lead.summary = summary;
    const address = body.address;
    if (address && typeof address === 'object') {
      const addressBody = address as JsonObject;
      const setField = (key: 'leadStreet' | 'leadUnit' | 'leadCity' | 'leadState' | 'leadZip' | 'leadCountry', value: unknown): void => {
        const text = optText(value);
        if (text !== undefined) lead[key] = text;
        else delete lead[key];
      };
      setField('leadStreet', addressBody.street);
      setField('leadUnit', addressBody.unit);
      setField('leadCity', addressBody.city);
      setField('leadState', addressBody.state);
      setField('leadZip', addressBody.zip);
      setField('leadCountry', addressBody.country);
    }
    sales().putLead(lead);
    deps.commit();
    return json({ leadId: lead.id });
  };

  // includeRecentChanges is bound and has no effect: the sandbox has no replication lag.
  const exportLeads = (ctx: RequestContext) => json(sales().leadFeed().read(ctx.q.str('from'), EXPORT_PAGE_SIZE, exportLeadResponse));

  return [
    { operationId: 'Leads_GetList', handler: list },
    { operationId: 'Leads_Get', handler: get },
    { operationId: 'Leads_Create', handler: create },
    { operationId: 'Leads_Update', handler: update },
    { operationId: 'Leads_CreateFollowUp', handler: followUp },
    { operationId: 'Leads_GetNotes', handler: notes },
    { operationId: 'Leads_CreateNote', handler: createNote },
    { operationId: 'Leads_Dismiss', handler: dismiss },
    { operationId: 'Leads_SubmitLeadForm', handler: submitForm },
    { operationId: 'ExportLeads_Leads', handler: exportLeads },
  ];
}
