// Public option/handle types plus the internal record shapes the store keeps.
// Record shapes mirror the official CRM v2 response definitions (tenant-crm-v2.json).

/** A fault to inject (sandbox/README.md, "Fault injection"). */
export interface FaultRule {
  kind: 'latency' | 'error5xx' | 'rateLimit' | 'reset' | 'truncate';
  /** Only requests with this method (any case). */
  method?: string;
  /**
   * Only these paths, after /crm/v2/tenant/{tenant}, or '/connect/token' for the token endpoint: a
   * prefix, or a pattern (faults.ts). Without it the rule hits every API call, not the token endpoint.
   */
  path?: string;
  /** The probability, 0..1, that a matching request is hit (default 1). */
  rate?: number;
  /** The rule expires after this many hits. */
  count?: number;
  /** latency: the delay in ms (default 1000, at most 600000). */
  latencyMs?: number;
  /** error5xx: the status, 500..599 (default 503). */
  status?: number;
  /** rateLimit: Retry-After in seconds, an HTTP date a second ahead, or none (default 1 second). */
  retryAfter?: number | 'http-date' | 'none';
}

export interface SandboxOptions {
  port?: number;
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  appKey?: string;
  readOnlyClientId?: string;
  readOnlyClientSecret?: string;
  /**
   * More OAuth clients, each granted exactly its `scopes` (a subset of the 13 scopes the full-access
   * client gets), to model an app that lacks a scope, e.g. one without tn.crm.customers:r.
   */
  clients?: SandboxClient[];
  /** Seeded customers (default 100). A data file keeps the count it was created with. */
  customers?: number;
  /** Data seed (default 1). A data file keeps the seed it was created with. */
  seed?: number;
  tokenLifetimeSeconds?: number;
  /**
   * Load and save the state in this file (and FILE.journal beside it). FILE.lock beside it keeps
   * other sandboxes off the file while this one runs: startSandbox rejects with a
   * DataFileInUseError naming the pid of the sandbox that holds it.
   */
  dataFile?: string;
  /** Fault rules from the start (see FaultRule); a rule without `path` hits API calls only. */
  faults?: FaultRule[];
  /**
   * Enforce ServiceTitan's rate limit: at most this many calls per app key and tenant in any
   * rolling second, 429 with Retry-After for the rest (not processed). Off when unset or 0;
   * otherwise a whole number from 1 to 10000.
   */
  rateLimitPerSecond?: number;
  /**
   * Send the nulls the live API sends where the document promises a value or leaves a property
   * out (openapi/overlay.json, sandbox/liveNulls.ts): on unless this is false (--no-live-nulls).
   */
  liveNulls?: boolean;
  log?: (line: string) => void;
}

/** What the sandbox's rate limit (`rateLimitPerSecond`) has seen since it started or was reset. */
export interface RateLimitStats {
  /** Calls per rolling second per app key and tenant. */
  limit: number;
  /** API calls let through. */
  accepted: number;
  /** API calls answered 429 (not processed, not counted against the window). */
  rejected: number;
  /**
   * The most calls that arrived for one app key and tenant in any rolling second (open at its
   * start, closed at its end), rejected ones included: what the clients sent, as the server saw it.
   */
  maxInAnyWindow: number;
  /** App key + tenant pairs remembered now (those idle for a second are forgotten). */
  keys: number;
}

export interface SandboxRateLimit {
  stats(): RateLimitStats;
  /** When the accepted calls arrived (ms since the epoch, sub-millisecond), oldest first, all keys, the newest 100,000. */
  acceptedTimes(): number[];
  /** Forgets the counts, the times and every window. */
  reset(): void;
}

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  appKey: string;
  readOnlyClientId: string;
  readOnlyClientSecret: string;
}

export interface RunningSandbox {
  url: string;
  port: number;
  tenant: string;
  /** The seed and customer count the seeded data derives from: a data file's own, whatever the options asked for. */
  seed: number;
  customers: number;
  credentials: SandboxCredentials;
  stats(): { tokenRequests: number; apiRequests: number };
  resetStats(): void;
  faults: { add(rule: FaultRule): void; clear(): void; list(): FaultRule[] };
  /** The enforced rate limit; undefined when `rateLimitPerSecond` is off. */
  rateLimit: SandboxRateLimit | undefined;
  /** Invalidates every token issued so far; with a data file the revocation is saved there first. */
  revokeTokens(): void;
  /** The state as JSON, exactly what the data file holds (or would hold) now. For tests. */
  snapshot(): string;
  close(): Promise<void>;
}

export const CONTACT_TYPES = ['Phone', 'Email', 'Fax', 'MobilePhone'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];
export const CUSTOMER_TYPES = ['Residential', 'Commercial'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const RELATIONSHIP_TYPES = ['customer', 'location', 'booking'] as const;
export type RelationshipSlug = (typeof RELATIONSHIP_TYPES)[number];

export interface Address {
  street: string;
  unit?: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  latitude?: number;
  longitude?: number;
}

export interface CustomField {
  typeId: number;
  name?: string;
  value?: string;
}

/** External data is stored with the application GUID it was written under. */
export interface StoredExternalData {
  applicationGuid: string;
  key: string;
  value: string;
}

export interface CustomerRec {
  id: number;
  active: boolean;
  name: string;
  type: CustomerType;
  address: Address;
  customFields: CustomField[];
  balance: number;
  taxExempt: boolean;
  tagTypeIds: number[];
  doNotMail: boolean;
  doNotService: boolean;
  nationalAccount: boolean;
  createdOn: string;
  createdById: number;
  modifiedOn: string;
  mergedToId?: number;
  paymentTermId?: number;
  creditLimit?: number;
  creditLimitBalance?: number;
  externalData: StoredExternalData[];
}

export interface LocationRec {
  id: number;
  customerId: number;
  active: boolean;
  name: string;
  address: Address;
  customFields: CustomField[];
  createdOn: string;
  createdById: number;
  modifiedOn: string;
  mergedToId?: number;
  zoneId?: number;
  taxExempt: boolean;
  tagTypeIds: number[];
  externalData: StoredExternalData[];
  taxZoneId?: number;
  preferredTechnicianId?: number;
}

/** Crm.V2.Customers.ContactPreferencesResponse of a customer or location contact. */
export interface PhonePreferences {
  jobRemindersEnabled: boolean;
  marketingUpdatesEnabled: boolean;
  invoiceStatementNotification: boolean;
}

/** A customer or location note (Crm.V2.NoteResponse). */
export interface NoteRec {
  id: number;
  text: string;
  isPinned: boolean;
  createdById: number;
  createdOn: string;
  modifiedOn: string;
}

/** Legacy customer/location contact (phone, email, fax) with int64 id. */
export interface PhoneContactRec {
  id: number;
  type: ContactType;
  value: string;
  memo?: string;
  doNotText: boolean;
  createdOn: string;
  modifiedOn: string;
  preferences?: PhonePreferences;
}

/** A person contact (Crm.V2.ContactResponse), GUID id. */
export interface PersonRec {
  id: string;
  referenceId?: string;
  name?: string;
  title?: string;
  isArchived: boolean;
  createdOn: string;
  createdBy: number;
  modifiedOn: string;
  modifiedBy: number;
}

export interface MethodRec {
  id: string;
  contactId: string;
  referenceId?: string;
  type: ContactType;
  value: string;
  memo?: string;
  createdOn: string;
  createdBy: number;
  modifiedOn: string;
  modifiedBy: number;
}

export interface RelationshipRec {
  id: string;
  relatedEntityId: number;
  typeSlug: RelationshipSlug;
  createdOn: string;
  createdBy: number;
}
