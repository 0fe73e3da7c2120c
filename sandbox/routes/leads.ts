// Leads (Crm.V2.Lead*), their notes and follow-ups, the web lead form and the leads export feed.
// The helpers at the end are shared by bookings.ts and bookingProviderTags.ts.
import { createHash } from 'node:crypto';
import type { Bound } from '../binding';
import { EXPORT_PAGE_SIZE } from '../changeFeed';
import { addError, badRequest, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import { LEAD_STATUSES, type LeadRec, type LeadStatus, type Priority } from '../salesStore';
import type { NoteRec } from '../types';
import { contactValueError, type JsonObject } from '../validation';
import {
  API_USER_ID, checkTagTypeIds, digitsOf, inDateRange, noteResponse, nowIso, paginate, readDateRange, readPaging, sortRows, type RouteDeps,
} from './common';

/** Campaign a lead from the web form is filed under (LeadResponse.campaignId is required). */
export const FORM_CAMPAIGN_ID = 2001;
export const FORM_CAPTURE_SOURCE = 'Form';

const LEAD_TEXT_FIELDS = ['leadCustomerName', 'leadPhone', 'leadEmail', 'leadStreet', 'leadUnit', 'leadCity', 'leadState', 'leadZip', 'leadCountry'] as const;

// ---- response mappers (exactly the fields of the document's definitions, in its order) ---------
function leadFields(l: LeadRec, leadUrl: string | undefined, out: Record<string, unknown>): Record<string, unknown> {
  out.id = l.id;
  out.status = l.status;
  out.priority = l.priority;
  if (l.customerId !== undefined) out.customerId = l.customerId;
  if (l.locationId !== undefined) out.locationId = l.locationId;
  if (l.businessUnitId !== undefined) out.businessUnitId = l.businessUnitId;
  if (l.jobTypeId !== undefined) out.jobTypeId = l.jobTypeId;
  out.campaignId = l.campaignId;
  if (l.followUpDate !== undefined) out.followUpDate = l.followUpDate;
  out.createdById = l.createdById;
  out.createdOn = l.createdOn;
  out.modifiedOn = l.modifiedOn;
  out.tagTypeIds = [...l.tagTypeIds];
  if (l.dismissingReasonId !== undefined) out.dismissingReasonId = l.dismissingReasonId;
  if (l.summary !== undefined) out.summary = l.summary;
  if (l.callReasonId !== undefined) out.callReasonId = l.callReasonId;
  if (l.callId !== undefined) out.callId = l.callId;
  if (l.bookingId !== undefined) out.bookingId = l.bookingId;
  if (l.manualCallId !== undefined) out.manualCallId = l.manualCallId;
  if (leadUrl !== undefined) out.leadUrl = leadUrl;
  for (const k of LEAD_TEXT_FIELDS) if (l[k] !== undefined) out[k] = l[k];
  if (l.captureSource !== undefined) out.captureSource = l.captureSource;
  return out;
}

/** Crm.V2.LeadResponse */
export function leadResponse(l: LeadRec, leadUrl?: string): Record<string, unknown> {
  return leadFields(l, leadUrl, {});
}

/** Crm.V2.ExportLeadsResponse: the lead plus `active` (leads are never deleted, so always true). */
export function exportLeadResponse(l: LeadRec): Record<string, unknown> {
  return { ...leadFields(l, undefined, {}), active: true };
}

/** A permanent link to the lead (genPermUrl=true): stable for a lead id. */
export function permanentLeadUrl(id: number): string {
  const token = createHash('sha256').update(`stcrm-sandbox-lead:${id}`).digest('hex').slice(0, 24);
  return `https://go.servicetitan.com/#/new/leads/${id}?permToken=${token}`;
}

// ---- helpers shared by the sales routes -------------------------------------------------------------
/** A query value that must be one of `values` (case-insensitive), keyed like ASP.NET's binder. */
export function enumOf<T extends string>(q: Bound, name: string, values: readonly T[]): T | undefined {
  const raw = q.str(name);
  if (raw === undefined) return undefined;
  const hit = values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
  if (hit === undefined) {
    const key = name.charAt(0).toUpperCase() + name.slice(1);
    throw badRequest({ [key]: [`The value '${raw}' is not valid for ${key}.`] });
  }
  return hit;
}

/** A bound JSON number, or undefined for absent and null. */
export function numOf(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
}
export function strOf(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}
export function boolOf(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}
/** A string worth keeping: absent, null and blank are none. */
export function optText(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

// ---- handlers ------------------------------------------------------------------------------------
export function leadRoutes(deps: RouteDeps): OperationRoute[] {
  // deps.sales is read on every call: a failed save swaps in the state that is on disk.
  const sales = (): RouteDeps['sales'] => deps.sales;

  const requireLead = (id: number): LeadRec => {
    const l = sales().getLead(id);
    if (!l) throw notFound('Lead not found');
    return l;
  };

  /**
   * 400 keyed by the C# property when a referenced customer, location or booking does not exist
   * (or the location belongs to another customer). Returns the customer, which a location implies.
   */
  const checkReferences = (customerId: number | undefined, locationId: number | undefined, bookingId: number | undefined, tagTypeIds?: unknown): number | undefined => {
    const errors: ErrorMap = {};
    let customer = customerId;
    if (customerId !== undefined && !deps.store.getCustomer(customerId)) addError(errors, 'CustomerId', `Customer ${customerId} does not exist.`);
    if (locationId !== undefined) {
      const loc = deps.store.getLocation(locationId);
      if (!loc) addError(errors, 'LocationId', `Location ${locationId} does not exist.`);
      else if (customerId !== undefined && loc.customerId !== customerId) {
        addError(errors, 'LocationId', `Location ${locationId} does not belong to customer ${customerId}.`);
      } else customer = loc.customerId;
    }
    if (bookingId !== undefined && !sales().getBooking(bookingId)) addError(errors, 'BookingId', `Booking ${bookingId} does not exist.`);
    checkTagTypeIds(errors, 'TagTypeIds', tagTypeIds);
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    return customer;
  };

  const list = (ctx: RequestContext) => {
    const q = ctx.q;
    const paging = readPaging(q);
    const sort = q.sort();
    const status: LeadStatus | undefined = enumOf(q, 'status', LEAD_STATUSES);
    const ids = q.ids('ids');
    const dates = readDateRange(q);
    const customerId = q.num('customerId');
    const isProspect = q.bool('isProspect');
    const withoutCustomer = q.bool('withoutCustomer');
    const city = q.str('customerCity'), state = q.str('customerState'), zip = q.str('customerZip');
    const cCreatedFrom = q.num('customerCreatedOnOrAfter'), cCreatedBefore = q.num('customerCreatedBefore');
    const cModifiedFrom = q.num('customerModifiedOnOrAfter');
    const genPermUrl = q.bool('genPermUrl') ?? false;
    const name = q.str('leadCustomerName');
    const phone = q.str('leadPhone');
    const isForm = q.bool('isCaptureSourceForm');

    const byCustomer = city !== undefined || state !== undefined || zip !== undefined || cCreatedFrom !== undefined
      || cCreatedBefore !== undefined || cModifiedFrom !== undefined;
    const eq = (a: string | undefined, b: string): boolean => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();
    const phoneDigits = phone === undefined ? undefined : digitsOf(phone);
    const idSet = ids ? new Set(ids) : undefined;
    const filter = (l: LeadRec): boolean => {
      if (idSet && !idSet.has(l.id)) return false;
      if (customerId !== undefined && l.customerId !== customerId) return false;
      if (status !== undefined && l.status !== status) return false;
      // A prospect has no customer, or a customer without a job booked from the lead.
      if (isProspect !== undefined && isProspect !== (l.customerId === undefined || !l.hasJob)) return false;
      if (withoutCustomer === true && (l.customerId !== undefined || l.locationId !== undefined)) return false;
      if (withoutCustomer === false && (l.customerId === undefined || l.locationId === undefined)) return false;
      if (name !== undefined && !(l.leadCustomerName ?? '').toLowerCase().includes(name.trim().toLowerCase())) return false;
      if (phone !== undefined) {
        // Digits only, so "(212) 555-0123" finds 2125550123; text without digits is matched as text.
        if (phoneDigits === '' ? !(l.leadPhone ?? '').includes(phone) : !digitsOf(l.leadPhone ?? '').includes(phoneDigits ?? '')) return false;
      }
      if (isForm !== undefined && isForm !== (l.captureSource === FORM_CAPTURE_SOURCE)) return false;
      if (!inDateRange(dates, l.createdOn, l.modifiedOn)) return false;
      if (byCustomer) {
        const c = l.customerId === undefined ? undefined : deps.store.getCustomer(l.customerId);
        if (!c) return false;
        if (city !== undefined && !eq(c.address.city, city)) return false;
        if (state !== undefined && !eq(c.address.state, state)) return false;
        if (zip !== undefined && !eq(c.address.zip, zip)) return false;
        if (cCreatedFrom !== undefined && !(Date.parse(c.createdOn) >= cCreatedFrom)) return false;
        if (cCreatedBefore !== undefined && !(Date.parse(c.createdOn) < cCreatedBefore)) return false;
        if (cModifiedFrom !== undefined && !(Date.parse(c.modifiedOn) >= cModifiedFrom)) return false;
      }
      return true;
    };
    const rows = sortRows(sales().leads().filter(filter), sort);
    return json(paginate(rows, paging, (l) => leadResponse(l, genPermUrl ? permanentLeadUrl(l.id) : undefined)));
  };

  const get = (ctx: RequestContext) => json(leadResponse(requireLead(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const b = ctx.json;
    const customerId = checkReferences(numOf(b, 'customerId'), numOf(b, 'locationId'), numOf(b, 'bookingId'), b.tagTypeIds);
    const now = nowIso();
    const rec: LeadRec = {
      id: deps.store.nextId(), status: 'Open', priority: (strOf(b, 'priority') as Priority | undefined) ?? 'Normal',
      campaignId: numOf(b, 'campaignId') ?? 0, createdById: API_USER_ID, createdOn: now, modifiedOn: now,
      tagTypeIds: Array.isArray(b.tagTypeIds) ? [...new Set(b.tagTypeIds as number[])] : [], hasJob: false, notes: [],
    };
    if (customerId !== undefined) rec.customerId = customerId;
    for (const k of ['locationId', 'businessUnitId', 'jobTypeId', 'callReasonId', 'bookingId'] as const) {
      const v = numOf(b, k); if (v !== undefined) rec[k] = v;
    }
    const follow = strOf(b, 'followUpDate'); if (follow !== undefined) rec.followUpDate = follow;
    const summary = optText(b.summary); if (summary !== undefined) rec.summary = summary;
    for (const k of LEAD_TEXT_FIELDS) { const v = optText(b[k]); if (v !== undefined) rec[k] = v; }
    sales().putLead(rec);
    deps.commit();
    return json(leadResponse(rec));
  };

  const update = (ctx: RequestContext) => {
    // The document lists no 404 here; an unknown lead is answered like Leads_Get does.
    const current = requireLead(ctx.path.id('id'));
    const b = ctx.json;
    const next: LeadRec = { ...current, modifiedOn: nowIso() };
    const campaignId = numOf(b, 'campaignId'); if (campaignId !== undefined) next.campaignId = campaignId;
    const priority = strOf(b, 'priority'); if (priority !== undefined) next.priority = priority as Priority;
    for (const k of ['businessUnitId', 'jobTypeId'] as const) { const v = numOf(b, k); if (v !== undefined) next[k] = v; }
    for (const k of ['summary', ...LEAD_TEXT_FIELDS] as const) {
      if (typeof b[k] !== 'string') continue;
      const v = optText(b[k]);
      if (v === undefined) delete next[k]; else next[k] = v;
    }
    sales().putLead(next);
    deps.commit();
    return json(leadResponse(next));
  };

  const followUp = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const current = requireLead(id);
    const b = ctx.json;
    const followUpDate = strOf(b, 'followUpDate') ?? nowIso();
    const pinToTop = boolOf(b, 'pinToTop') ?? false;
    const text = optText(b.text);
    const now = nowIso();
    const next: LeadRec = { ...current, followUpDate, modifiedOn: now };
    // The follow-up's text is kept as a note on the lead (pinned when pinToTop).
    if (text !== undefined) {
      next.notes = [...current.notes, { id: deps.store.nextId(), text, isPinned: pinToTop, createdById: API_USER_ID, createdOn: now, modifiedOn: now }];
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
    return json(paginate(lead.notes.filter((n) => inDateRange(dates, n.createdOn, n.modifiedOn)), readPaging(ctx.q), noteResponse));
  };

  const createNote = (ctx: RequestContext) => {
    const current = requireLead(ctx.path.id('id'));
    const b = ctx.json;
    const now = nowIso();
    const note: NoteRec = {
      id: deps.store.nextId(), text: strOf(b, 'text') ?? '', isPinned: boolOf(b, 'pinToTop') ?? false, createdById: API_USER_ID,
      createdOn: now, modifiedOn: now,
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
    const b = ctx.json;
    const existingId = ctx.q.num('id');
    const errors: ErrorMap = {};
    const email = optText(b.email), phone = optText(b.phoneNumber);
    if (email !== undefined && contactValueError('Email', email)) addError(errors, 'Email', 'The Email field is not a valid e-mail address.');
    if (phone !== undefined && contactValueError('Phone', phone)) addError(errors, 'PhoneNumber', 'The PhoneNumber field is not a valid phone number.');
    const existing = existingId === undefined ? undefined : sales().getLead(existingId);
    // The document lists only 400 for this operation, so an unknown ?id= is a bad value, keyed like the binder.
    if (existingId !== undefined && !existing) addError(errors, 'Id', `Lead ${existingId} does not exist.`);
    if (Object.keys(errors).length > 0) throw badRequest(errors);

    const now = nowIso();
    // With ?id= the form adds to the lead it made before (a multi-step form); without, it makes a new one.
    const rec: LeadRec = existing ? { ...existing, modifiedOn: now } : {
      id: deps.store.nextId(), status: 'Open', priority: 'Normal', campaignId: FORM_CAMPAIGN_ID, createdById: API_USER_ID,
      createdOn: now, modifiedOn: now, tagTypeIds: [], hasJob: false, notes: [], captureSource: FORM_CAPTURE_SOURCE,
    };
    const name = optText(b.name); if (name !== undefined) rec.leadCustomerName = name.trim();
    if (email !== undefined) rec.leadEmail = email.trim();
    if (phone !== undefined) rec.leadPhone = phone.trim();
    const summary = optText(b.summary); if (summary !== undefined) rec.summary = summary;
    const a = b.address;
    if (a && typeof a === 'object') {
      const addr = a as JsonObject;
      const set = (k: 'leadStreet' | 'leadUnit' | 'leadCity' | 'leadState' | 'leadZip' | 'leadCountry', v: unknown): void => {
        const t = optText(v); if (t !== undefined) rec[k] = t; else delete rec[k];
      };
      set('leadStreet', addr.street); set('leadUnit', addr.unit); set('leadCity', addr.city);
      set('leadState', addr.state); set('leadZip', addr.zip); set('leadCountry', addr.country);
    }
    sales().putLead(rec);
    deps.commit();
    return json({ leadId: rec.id });
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
