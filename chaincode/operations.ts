/**
 * Every REST write and the transaction it runs, in one table: the gateway registers routes from
 * it and the chaincode checks each member's signed request against it (core/context.ts).
 */
import { billOperations } from './bills/operations';
import type { Operation } from './core/operation';
import { coreOperations } from './core/operations';
import { prepaidOperations } from './prepaid/operations';
import { supervisionOperations } from './supervision/operations';

export const OPERATIONS: Operation[] = [
  ...Object.values(coreOperations),
  ...Object.values(billOperations),
  ...Object.values(prepaidOperations),
  ...Object.values(supervisionOperations),
];

const byFn = new Map<string, Operation[]>();
for (const op of OPERATIONS) byFn.set(op.fn, [...(byFn.get(op.fn) ?? []), op]);

/** The operations that run `fn` ('Contract:function'). */
export const operationsOf = (fn: string): Operation[] => byFn.get(fn) ?? [];
