/**
 * The API contract: every named request and response schema, registered once with
 * `app.addSchema` so /openapi.json lists them in components.schemas and routes `ref()` them.
 */
import type { TSchema } from '@sinclair/typebox';
import * as bills from './bills';
import * as books from './books';
import * as common from './common';
import * as core from './core';
import * as identity from './identity';
import * as ops from './ops';
import * as prepaid from './prepaid';
import * as supervision from './supervision';

export * from './common';
export { bills, books, core, identity, ops, prepaid, supervision };

const isNamed = (value: unknown): value is TSchema & { $id: string } =>
  typeof value === 'object' && value !== null && typeof (value as { $id?: unknown }).$id === 'string';

/** Every named schema of the contract. */
export const NAMED_SCHEMAS: Array<TSchema & { $id: string }> = [];
for (const area of [common, core, identity, ops, prepaid, supervision, books, bills, bills.BILL_ACTION_REQUESTS]) {
  for (const value of Object.values(area) as unknown[]) if (isNamed(value)) NAMED_SCHEMAS.push(value);
}
