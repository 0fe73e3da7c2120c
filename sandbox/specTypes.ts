// The shape of sandbox/generated/spec.gen.ts: the CRM v2 document reduced to what the sandbox validates with.

/** The JSON Schema subset the document uses (see scripts/generate-crm.mjs). */
export interface SpecSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: string[];
  nullable?: boolean;
  oneOf?: SpecSchema[];
  properties?: Record<string, SpecSchema>;
  required?: string[];
  items?: SpecSchema;
  additionalProperties?: boolean | SpecSchema;
}

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: SpecSchema;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  /** Below `/tenant/{tenant}`. */
  path: string;
  scope: string;
  parameters: SpecParameter[];
  /** Component name of the JSON body, or null when the operation takes none. */
  body: string | null;
  bodyRequired: boolean;
  /** The 200 body's schema, or null for a 200 without one. */
  response: SpecSchema | null;
  errorStatuses: number[];
}

export interface SpecDocument {
  operations: SpecOperation[];
  schemas: Record<string, SpecSchema>;
}
