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
  /** The fields `sort` takes (from the parameter's description or the overlay), or null without a sort parameter. */
  sortFields: string[] | null;
}

/** A rule of openapi/overlay.json: `['notBlank', property, message]` or `['contactValue']`. */
export type OverlayRule = string[];

/** The lists of openapi/overlay.json the client's schemas are generated from, for the sandbox's own validator. */
export interface SpecOverlay {
  /** Rules by component name. */
  rules: Record<string, OverlayRule[]>;
  /** Minimum item counts by `Component.property`. */
  minItems: Record<string, number>;
  /** The client's schema codes of parameters the document types as plain strings, by name or `OperationId.name`. */
  parameters: Record<string, string>;
  /** `Component.property` of required response properties the live API sends as null in some answers. */
  nullableInResponses: string[];
}

export interface SpecDocument {
  operations: SpecOperation[];
  schemas: Record<string, SpecSchema>;
  overlay: SpecOverlay;
}
