/** JSON Schema pieces shared by route plugins. Amounts are digit strings of fen, never numbers. */
export const amount = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,17})$',
  description: 'fen (分) as a digit string',
} as const;
export const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' } as const;
export const handle = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'member handle mspId:name',
} as const;
export const mspId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$' } as const;
export const hex = { type: 'string', pattern: '^([0-9a-f]{2})+$', maxLength: 4096 } as const;
export const text = (maxLength = 256) => ({ type: 'string', minLength: 1, maxLength }) as const;
/** Non-negative integer in a query string (query values are strings; no type coercion). */
export const uint = (maxDigits = 12) => ({ type: 'string', pattern: `^[0-9]{1,${maxDigits}}$` }) as const;

export const error = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
  required: ['code', 'message'],
} as const;

/** Any JSON object (chaincode records), documented loosely so new fields are never dropped. */
export const record = (description?: string) =>
  ({ type: 'object', additionalProperties: true, ...(description ? { description } : {}) }) as const;

/** Object body schema: listed properties only. */
export function body(properties: Record<string, unknown>, required: string[] = []) {
  return { type: 'object', properties, required, additionalProperties: false } as const;
}

/** Standard response map: 2xx shape plus the error shape. */
export function responses(ok: unknown, okStatus = 200) {
  return { [okStatus]: ok, '4xx': error, '5xx': error } as Record<string, unknown>;
}
