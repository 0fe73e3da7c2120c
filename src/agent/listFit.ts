/**
 * A list answer of stcrm_callOperation too large for one result, cut so that the rest can be read
 * without a gap. A paged list keeps its first items up to a page boundary of a smaller page size
 * and names the page that comes next in that size. An export page takes no page size, and its
 * `continueFrom` goes past every item it held: it keeps its first items and lists the ids of the
 * others with the list operation that reads them by id. Either way the JSON says `trimmed` and
 * `hasMore: true`, never the server's `hasMore: false` over items it does not show. No vscode.
 */
import { CRM_OPERATIONS, type CrmOperation, type CrmOperationId } from '../api/schemas/operations';
import { boundJson, MAX_ITEMS, MAX_RESULT_JSON } from './toolResults';

/** Room kept for the `trimmed` member and the notes. */
const RESERVE = 800;
/** The most characters the ids of an export page's unshown items may take. */
const MAX_IDS_JSON = 6_000;
/** ServiceTitan's page size when none is asked for. */
const DEFAULT_PAGE_SIZE = 50;
/** `ids` takes at most 50 a call. */
const MAX_IDS_PER_CALL = 50;

/** Export feeds whose records a list operation reads by `ids`. */
const READ_BY_IDS: Readonly<Record<string, string>> = {
  ExportCustomers_GetCustomers: 'Customers_GetList',
  ExportLocations_Locations: 'Locations_GetList',
  ExportLeads_Leads: 'Leads_GetList',
  ExportBookings_Get: 'Bookings_GetList',
};

/** Export feeds of contacts: read through their owner (`path.id`), which each item names. */
const READ_BY_OWNER: Readonly<Record<string, { operation: string; owner: string }>> = {
  ExportContacts_CustomersContacts: { operation: 'Customers_GetContactList', owner: 'customerId' },
  ExportContacts_LocationsContacts: { operation: 'Locations_GetContactList', owner: 'locationId' },
};

export interface ListRequest {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
}

export interface FittedList {
  /** The answer with its `data` cut, `hasMore: true` and `trimmed` saying how to read the rest. */
  body: Record<string, unknown>;
  /** What to tell the model, in place of the page note. */
  text: string;
}

type ListBody = Record<string, unknown> & { data: unknown[]; hasMore: boolean };

/** The answer cut to fit with how to read the rest, or undefined when it fits (or is no list answer). */
export function fitList(operation: string, body: unknown, request: ListRequest = {}): FittedList | undefined {
  if (!isList(body)) return undefined;
  if (typeof body.page === 'number') return fitPage(operation, body, body.page, request);
  if (Object.prototype.hasOwnProperty.call(body, 'continueFrom')) return fitExport(operation, body);
  return undefined;
}

function fitPage(operation: string, body: ListBody, page: number, request: ListRequest): FittedList | undefined {
  const most = mostThatFit(body, MAX_RESULT_JSON - RESERVE);
  if (most === undefined) return undefined;
  const held = body.data.length;
  const asked = request.query?.pageSize;
  const size = typeof body.pageSize === 'number' ? body.pageSize : typeof asked === 'number' ? asked : DEFAULT_PAGE_SIZE;
  // Pages of `pageSize` items: show up to where such a page starts, so the next one starts right after.
  // The page size (at most what fits) that shows the most: the item offset may fall inside a page.
  const offset = (page - 1) * size;
  let pageSize = most;
  for (let candidate = most; candidate >= Math.ceil(most / 2); candidate--) {
    if (candidate - (offset % candidate) > pageSize - (offset % pageSize)) pageSize = candidate;
  }
  const shown = pageSize - (offset % pageSize);
  const nextPage = (offset + shown) / pageSize + 1;
  const next = { operation, ...(request.path ? { path: request.path } : {}), query: { ...request.query, page: nextPage, pageSize } };
  return {
    body: { ...body, data: body.data.slice(0, shown), hasMore: true, trimmed: { shown, of: held, next } },
    text:
      `Page ${page} holds ${held} items, too many for one answer: only the first ${shown} are shown. ` +
      `To read on without a gap, call again with the same query and pageSize ${pageSize}: page ${nextPage}, then ${nextPage + 1}, ${nextPage + 2} … while hasMore ` +
      `(trimmed.next is the first of those inputs; page ${page + 1} of pageSize ${size} would skip the ${held - shown} not shown).`,
  };
}

function fitExport(operation: string, body: ListBody): FittedList | undefined {
  const byOwner = READ_BY_OWNER[operation];
  const key = (item: unknown): unknown => {
    const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    return byOwner ? { id: record.id, [byOwner.owner]: record[byOwner.owner] } : record.id;
  };
  const room = Math.min(MAX_IDS_JSON, JSON.stringify(body.data.map(key)).length);
  const shown = mostThatFit(body, MAX_RESULT_JSON - RESERVE - room);
  if (shown === undefined) return undefined;
  const held = body.data.length;
  const rest = body.data.slice(shown).map(key);
  const listed: unknown[] = [];
  let length = 2;
  for (const id of rest) {
    length += JSON.stringify(id).length + 1;
    if (length > MAX_IDS_JSON) break;
    listed.push(id);
  }
  const unlisted = rest.length - listed.length;
  const byIds = READ_BY_IDS[operation];
  const perCall = Math.min(MAX_IDS_PER_CALL, shown);
  const readThemWith = byIds
    ? { operation: byIds, query: { ids: listed.slice(0, perCall).join(','), pageSize: perCall, ...(takesActive(byIds) ? { active: 'Any' } : {}) } }
    : byOwner
      ? { operation: byOwner.operation, path: { id: (listed[0] as Record<string, unknown> | undefined)?.[byOwner.owner] } }
      : undefined;
  const how = byIds
    ? `read them with ${byIds} and query.ids, up to ${perCall} ids a call (trimmed.readThemWith is the first call)`
    : byOwner
      ? `read them through their ${byOwner.owner} with ${byOwner.operation} (path.id; trimmed.readThemWith is the first)`
      : 'read them by id';
  const lost = unlisted > 0 ? ` ${unlisted} more are neither shown nor listed: read this feed's records with a paged list operation instead.` : '';
  return {
    body: {
      ...body,
      data: body.data.slice(0, shown),
      hasMore: true,
      trimmed: { shown, of: held, notShown: listed, ...(unlisted > 0 ? { notListed: unlisted } : {}), ...(readThemWith ? { readThemWith } : {}) },
    },
    text:
      `This export page holds ${held} items, too many for one answer: only the first ${shown} are shown. An export feed takes no page size, and ` +
      `continueFrom continues after all ${held}, so the ${held - shown} not shown are skipped unless read another way: trimmed.notShown lists them; ` +
      `${how}. Then continue the feed with from = continueFrom.${lost}`,
  };
}

/**
 * How many of the first items of `data` fit in `max` characters with the rest of the answer (at
 * least 1), or undefined when all of them do. A binary search over what the bound keeps (at most
 * its MAX_ITEMS), so bounded time on any answer.
 */
function mostThatFit(body: ListBody, max: number): number | undefined {
  if (!boundJson(body, max).cuts.has('$.data')) return undefined;
  let fits = 1;
  // The whole list does not fit, and the bound never keeps more than MAX_ITEMS.
  let tooMany = Math.min(body.data.length, MAX_ITEMS + 1);
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    if (boundJson({ ...body, data: body.data.slice(0, middle) }, max).cuts.has('$.data')) tooMany = middle;
    else fits = middle;
  }
  return fits;
}

/** A list operation that leaves inactive records out unless asked (`active`): the feed has them too. */
function takesActive(operation: string): boolean {
  const found = CRM_OPERATIONS[operation as CrmOperationId] as CrmOperation | undefined;
  return found !== undefined && Object.prototype.hasOwnProperty.call(found.query.shape, 'active');
}

function isList(value: unknown): value is ListBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { hasMore?: unknown }).hasMore === 'boolean' &&
    Array.isArray((value as { data?: unknown }).data)
  );
}
