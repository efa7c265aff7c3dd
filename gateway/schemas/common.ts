/**
 * Schema pieces every area shares (TypeBox). Amounts are digit strings of fen, never numbers.
 * A schema with an `$id` is a named component of /openapi.json (gateway/schemas/index.ts
 * registers them); routes point at it with `ref(...)`, so its TypeScript type follows.
 */
import { Type } from '@sinclair/typebox';
import type {
  ObjectOptions,
  Static,
  TLiteral,
  TObject,
  TProperties,
  TSchema,
  TString,
  TUnion,
  TUnsafe,
} from '@sinclair/typebox';

export const amount = Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$', description: 'fen (分) as a digit string' });
/** A signed amount of fen (history entries: + in, - out). */
export const signedAmount = Type.String({ pattern: '^-?(0|[1-9][0-9]{0,17})$', description: 'signed fen' });
export const id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' });
export const handle = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'member handle mspId:name',
});
export const mspId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$' });
export const hex = Type.String({ pattern: '^([0-9a-f]{2})+$', maxLength: 4096 });
/** Non-empty text of at most `maxLength` characters. */
export const text = (maxLength = 256): TString => Type.String({ minLength: 1, maxLength });
/** Non-negative integer in a query string or path (those are strings; no type coercion). */
export const uint = (maxDigits = 12): TString => Type.String({ pattern: `^[0-9]{1,${maxDigits}}$` });
/** Text in a response (no pattern: the chain already checked it). */
export const str = Type.String();
/** One of these strings (an enum in the published schema). */
export function literals<T extends string>(values: readonly T[]): TUnion<Array<TLiteral<T>>> {
  return Type.Union(values.map((value) => Type.Literal(value)));
}
export const int = Type.Integer();

/** An object with exactly these properties: requests refuse others, responses carry no others. */
export function record<T extends TProperties>(properties: T, options: ObjectOptions = {}): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A named component: `record(properties)` under `$id` (its name in components.schemas). */
export function named<T extends TProperties>(name: string, properties: T, options: ObjectOptions = {}): TObject<T> {
  return record(properties, { ...options, $id: name });
}

/** A reference to a named component, typed as the component. */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (!schema.$id) throw new Error('ref() needs a named schema');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

/** Path parameters: each an id unless given otherwise. */
export function params<K extends string>(...names: K[]): TObject<Record<K, TString>> {
  return record(Object.fromEntries(names.map((name) => [name, id])) as Record<K, TString>);
}

/** An empty request body. */
export const Empty = named('Empty', {}, { description: 'no properties' });

export const ErrorBody = named(
  'Error',
  { code: str, message: str, field: Type.Optional(str) },
  { description: 'every 4xx/5xx: a stable code, a message for people, the offending field' },
);

/** The response map of a route: its success shape at `okStatus`, the error shape otherwise. */
export function responses<T extends TSchema>(
  ok: T,
  okStatus: 200 | 201 = 200,
): { 200?: T; 201?: T; '4xx': TUnsafe<Static<typeof ErrorBody>>; '5xx': TUnsafe<Static<typeof ErrorBody>> } {
  return { [okStatus]: ok, '4xx': ref(ErrorBody), '5xx': ref(ErrorBody) };
}
