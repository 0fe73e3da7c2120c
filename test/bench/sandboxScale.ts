/**
 * The same list queries against a sandbox with 100 and with 100,000 customers, each a child
 * process (`out/sandbox/cli.js`) so its memory is its own: the customers list's first page, with
 * `includeTotal`, every filter and every sort `Customers_GetList` defines, a deep page, and the
 * other big lists. Filter values come from the data of that size (a customer near the end of the
 * id order, its phone, location and contact method), so each filter matches something and a
 * scan that stops early still has to walk the whole list to find it.
 */
import { bodyOf, jsonBody, send, type Answer } from './benchHttp';
import type { Memory } from './childProcesses';
import { startSandboxProcess, type SandboxProcess } from './sandboxProcess';
import { median } from './stats';

const PAGE_SIZE = 50;
/** A date before every seeded record: the modified-since lists that need one get all rows. */
const BEFORE_ALL_DATA = '2000-01-01T00:00:00Z';
const EXTERNAL_APP_GUID = '6f9619ff-8b86-d011-b42d-00c04fc964ff';

interface Address {
  street: string;
  unit?: string | null;
  city: string;
  state: string;
  zip: string;
  country: string;
  latitude?: number | null;
  longitude?: number | null;
}
interface Customer {
  id: number;
  name: string;
  address: Address;
  createdOn: string;
  modifiedOn: string;
}
interface Page<T> {
  page: number;
  hasMore: boolean;
  totalCount?: number | null;
  data: T[];
}

/** Values of the data of one size that the filters use. */
interface Samples {
  customer: Customer;
  firstCustomerId: number;
  unit: string | undefined;
  phone: string;
  locationName: string;
  methodValue: string;
  external: { key: string; value: string };
}

export interface ListRow {
  /** The same at every size, so rows line up. */
  label: string;
  /** Path and query after `/crm/v2/tenant/{tenant}`. */
  path: string;
}

export interface RowResult extends ListRow {
  status: number;
  /** Median of the measured runs, request to last byte. */
  ms: number;
  runs: number;
  totalCount: number | undefined;
  items: number;
  page: number;
  /** The sandbox's peak RSS (VmHWM) after this row: which query made it grow. */
  peakRssBytes: number | undefined;
}

export interface SizeResult {
  customers: number;
  startMs: number;
  rows: RowResult[];
  memoryAfterStart: Memory | undefined;
  memoryAfterQueries: Memory | undefined;
}

const query = (params: Record<string, string | number | boolean>): string =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

async function get<T>(sandbox: SandboxProcess, path: string): Promise<T> {
  return bodyOf<T>(await send(`${sandbox.apiBase}${path}`, { headers: sandbox.headers }), `GET ${path}`);
}

/** Finds the values the filter rows use; creates one customer with external data, since none is seeded. */
async function findSamples(sandbox: SandboxProcess): Promise<Samples> {
  const last = await get<Page<Customer>>(sandbox, `/customers?${query({ sort: '-Id', pageSize: PAGE_SIZE })}`);
  const first = await get<Page<Customer>>(sandbox, `/customers?${query({ pageSize: 1 })}`);
  let customer: Customer | undefined;
  let phone: string | undefined;
  for (const candidate of last.data) {
    const contacts = await get<Page<{ type: string; value: string }>>(sandbox, `/customers/${candidate.id}/contacts`);
    phone = contacts.data.find((c) => c.type !== 'Email')?.value;
    if (phone !== undefined) {
      customer = candidate;
      break;
    }
  }
  if (!customer || phone === undefined || !first.data[0]) throw new Error('no customer with a phone among the last 50');
  const locations = await get<Page<{ name: string }>>(sandbox, `/locations?${query({ customerId: customer.id })}`);
  const people = await get<Page<{ id: string }>>(sandbox, `/contacts/relationships/${customer.id}`);
  const person = people.data[0];
  const methods = person ? await get<Page<{ value: string }>>(sandbox, `/contacts/${person.id}/contact-methods`) : undefined;
  const locationName = locations.data[0]?.name;
  const methodValue = methods?.data[0]?.value;
  if (locationName === undefined || methodValue === undefined) throw new Error(`customer ${customer.id} has no location or no contact method`);
  const external = { key: 'benchKey', value: `bench-${customer.id}` };
  const a = customer.address;
  const address = { street: a.street, city: a.city, state: a.state, zip: a.zip, country: a.country };
  const created = await send(`${sandbox.apiBase}/customers`, {
    method: 'POST',
    ...jsonBody(sandbox.headers, {
      name: 'Bench External Data',
      address,
      locations: [{ name: 'Bench External Data', address }],
      externalData: { applicationGuid: EXTERNAL_APP_GUID, externalData: [external] },
    }),
  });
  bodyOf<{ id: number }>(created, 'POST /customers');
  return {
    customer,
    firstCustomerId: first.data[0].id,
    unit: last.data.find((c) => c.address.unit)?.address.unit ?? undefined,
    phone,
    locationName,
    methodValue,
    external,
  };
}

/** The rows at one size; `deepPage` is about 5/6 of the way through the active customers. */
function listRows(s: Samples, deepPage: number): ListRow[] {
  const c = s.customer;
  const total = { pageSize: PAGE_SIZE, includeTotal: true };
  const customers = (label: string, params: Record<string, string | number | boolean>): ListRow => ({ label, path: `/customers?${query(params)}` });
  const filter = (name: string, value: string | number | boolean | undefined): ListRow[] =>
    value === undefined ? [] : [customers(`customers ${name}`, { ...total, [name]: value })];
  const rows: ListRow[] = [
    customers('customers first page', { page: 1, pageSize: PAGE_SIZE }),
    customers('customers includeTotal', { page: 1, ...total }),
    customers('customers deep page', { page: deepPage, pageSize: PAGE_SIZE }),
    ...filter('ids', `${s.firstCustomerId},${c.id}`),
    ...filter('createdBefore', c.createdOn),
    ...filter('createdOnOrAfter', c.createdOn),
    ...filter('modifiedBefore', c.modifiedOn),
    ...filter('modifiedOnOrAfter', c.modifiedOn),
    customers('customers excludeAccounting…', { ...total, modifiedOnOrAfter: c.modifiedOn, excludeAccountingChangesFromModifiedDateRange: true }),
    ...filter('name', c.name),
    ...filter('street', c.address.street),
    ...filter('unit', s.unit),
    ...filter('city', c.address.city),
    ...filter('state', c.address.state),
    ...filter('zip', c.address.zip),
    ...filter('country', c.address.country),
    ...filter('latitude', c.address.latitude ?? undefined),
    ...filter('longitude', c.address.longitude ?? undefined),
    ...filter('phone', s.phone),
    ...filter('active', 'False'),
    customers('customers externalData…', {
      ...total,
      externalDataApplicationGuid: EXTERNAL_APP_GUID,
      externalDataKey: s.external.key,
      externalDataValues: s.external.value,
    }),
  ];
  for (const field of ['Id', 'ModifiedOn', 'CreatedOn']) {
    for (const direction of ['+', '-']) rows.push(customers(`customers sort=${direction}${field}`, { pageSize: PAGE_SIZE, sort: `${direction}${field}` }));
  }
  rows.push(
    { label: '/customers/contacts', path: `/customers/contacts?${query({ ...total, modifiedOnOrAfter: BEFORE_ALL_DATA })}` },
    { label: '/locations name', path: `/locations?${query({ ...total, name: s.locationName })}` },
    { label: '/contacts sort=-Id', path: `/contacts?${query({ ...total, sort: '-Id' })}` },
    { label: '/contact-methods sort=-ModifiedOn', path: `/contacts/contact-methods?${query({ ...total, sort: '-ModifiedOn' })}` },
    { label: '/contact-methods value', path: `/contacts/contact-methods?${query({ ...total, value: s.methodValue })}` },
    { label: '/locations/contacts', path: `/locations/contacts?${query({ ...total, modifiedOnOrAfter: BEFORE_ALL_DATA })}` },
  );
  return rows;
}

async function timeRow(sandbox: SandboxProcess, row: ListRow): Promise<RowResult> {
  const url = `${sandbox.apiBase}${row.path}`;
  const answers: Answer[] = [await send(url, { headers: sandbox.headers })];
  const first = answers[0] as Answer;
  const failed = {
    ...row,
    status: first.status,
    ms: first.ms,
    runs: 1,
    totalCount: undefined,
    items: 0,
    page: 0,
    peakRssBytes: sandbox.memory()?.peakRssBytes,
  };
  if (first.status !== 200) return failed;
  // The first call warms up; a query slower than 250 ms is not warm-up noise, so it counts as a
  // run and fewer runs keep the bench within its few minutes. Fast rows get many, they are noisy.
  const slow = first.ms > 250;
  if (!slow) answers.pop();
  const runs = slow ? 3 : first.ms > 20 ? 5 : 21;
  while (answers.length < runs) answers.push(await send(url, { headers: sandbox.headers }));
  const bad = answers.find((a) => a.status !== 200);
  if (bad) return { ...failed, status: bad.status };
  const page = JSON.parse(first.text) as Page<unknown>;
  return {
    ...row,
    status: 200,
    ms: median(answers.map((a) => a.ms)),
    runs,
    totalCount: page.totalCount ?? undefined,
    items: page.data.length,
    page: page.page,
    peakRssBytes: sandbox.memory()?.peakRssBytes,
  };
}

export async function measureSize(customers: number): Promise<SizeResult> {
  const started = performance.now();
  const sandbox = await startSandboxProcess(['--customers', String(customers)]);
  const startMs = performance.now() - started;
  try {
    const memoryAfterStart = sandbox.memory();
    // The server's code paths compiled before the first row is timed.
    for (let i = 0; i < 100; i++) await get<unknown>(sandbox, `/customers?${query({ pageSize: PAGE_SIZE })}`);
    const samples = await findSamples(sandbox);
    const active = (await get<Page<unknown>>(sandbox, `/customers?${query({ pageSize: 1, includeTotal: true })}`)).totalCount ?? 0;
    const lastPage = Math.max(1, Math.ceil(active / PAGE_SIZE));
    const rows: RowResult[] = [];
    for (const row of listRows(samples, Math.max(2, Math.floor((lastPage * 5) / 6)))) rows.push(await timeRow(sandbox, row));
    return { customers, startMs, rows, memoryAfterStart, memoryAfterQueries: sandbox.memory() };
  } finally {
    await sandbox.close();
  }
}
