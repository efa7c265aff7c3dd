/**
 * Runs contract classes through fabric-shim's own ChaincodeFromContract, the same routing,
 * argument marshalling and context creation Fabric's node chaincode runtime uses.
 */
import type { Contract } from 'fabric-contract-api';
import { LedgerError } from '../../chaincode/lib/errors';

// Chaincode errors are business outcomes here (e.g. insufficient funds); keep fabric-shim's
// winston loggers quiet unless the operator asked for a level.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';

/* eslint-disable @typescript-eslint/no-var-requires */
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (
  contracts: (typeof Contract)[], serializers: unknown, metadata: unknown, title: string, version: string,
) => { invokeFunctionality(stub: unknown): Promise<{ status: number; message?: string; payload?: Buffer }> };
const { JSONSerializer } = require('fabric-contract-api') as { JSONSerializer: unknown };

export type ContractClass = typeof Contract;

export interface Chaincode {
  /** Payload on success; throws LedgerError on a chaincode error. */
  invoke(stub: unknown): Promise<Buffer>;
}

export function loadChaincode(contracts: ContractClass[], title = 'lianjian', version = '0.1.0'): Chaincode {
  // Serializers as fabric-shim's bootstrap builds them when the package declares none.
  const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
  // The constructor appends the system contract to the array it is given: pass a copy.
  const cc = new ChaincodeFromContract([...contracts], serializers, {}, title, version);
  return {
    async invoke(stub) {
      const res = await cc.invokeFunctionality(stub);
      if (res.status >= 400) {
        const msg = res.message ?? 'chaincode failed';
        throw LedgerError.fromWire(msg) ?? new LedgerError('CHAINCODE_ERROR', msg, undefined, 400);
      }
      return res.payload ?? Buffer.alloc(0);
    },
  };
}
