/** Public API of the CRM v2 client (pure Node; never imports vscode). */
export * from './errors';
export * from './environments';
export type { CrmRequest, CrmRequester, HttpMethod, QueryValue, RawExchange, SchemaCheck } from './request';
export { iterateItems, iteratePages, pageSchema, type IterateOptions, type Page, type PageFetcher, type PageQuery } from './paging';
export { createTransport, type CrmTransport, type TransportOptions } from './transport';
export type { CrmEvent, CrmEventListener } from './events';
export { toCurl, type CurlOptions, type RequestDescription } from './curl';
export { redact } from './redact';
export * from './schemas';
export {
  CrmClient,
  buildRequest,
  type CallInput,
  type CallOptions,
  type IterateCallOptions,
  type ListFilter,
  type OperationInput,
  type OperationResult,
} from './client';
