/**
 * Runs contract classes through fabric-shim's own ChaincodeFromContract, the same routing,
 * argument marshalling and context creation Fabric's node chaincode runtime uses.
 */
import { createRequire } from 'node:module';
import type { Contract } from 'fabric-contract-api';
import { LedgerError } from '../../chaincode/lib/errors';

/** fabric-shim's and fabric-contract-api's internals are untyped CommonJS, loaded by path. */
const load = createRequire(__filename);

// winston formats every debug line before its transport drops it (~7% of a tx), and chaincode
// errors are business outcomes returned to the caller: silence the per-tx loggers unless the
// operator set CORE_CHAINCODE_LOGGING_LEVEL.
const quiet = process.env.CORE_CHAINCODE_LOGGING_LEVEL === undefined;
function silenceLoggers(): void {
  if (!quiet) return;
  const shim = load('fabric-shim/lib/logger') as { getLogger(n: string): { silent: boolean } };
  const api = load('fabric-contract-api/lib/logger') as { getLogger(n: string): { silent: boolean } };
  for (const n of ['contracts-spi/chaincodefromcontract.js', 'contracts-spi/datamarshall.js', 'lib/chaincode.js'])
    shim.getLogger(n).silent = true;
  for (const n of ['./lib/contract.js', './lib/jsontransactionserializer.js']) api.getLogger(n).silent = true;
}

const ChaincodeFromContract = load('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (
  contracts: (typeof Contract)[],
  serializers: unknown,
  metadata: unknown,
  title: string,
  version: string,
) => { invokeFunctionality(stub: unknown): Promise<{ status: number; message?: string; payload?: Buffer }> };
const { JSONSerializer } = load('fabric-contract-api') as { JSONSerializer: unknown };

/**
 * ClientIdentity re-parses the creator's X.509 certificate on every tx (~0.1 ms of ASN.1); the
 * same few certificates recur, so memoize @fidm/x509's fromPEM by PEM text. Parsing is pure and
 * ClientIdentity only reads the result, so behaviour is unchanged.
 */
function memoizeCertificateParsing(): void {
  const x509 = load('@fidm/x509') as { Certificate: { fromPEM(d: Buffer | string): unknown; __ljMemo?: boolean } };
  const C = x509.Certificate;
  if (C.__ljMemo) return;
  const parse = C.fromPEM.bind(C);
  const cache = new Map<string, unknown>();
  C.fromPEM = (d: Buffer | string) => {
    const key = typeof d === 'string' ? d : d.toString('latin1');
    let c = cache.get(key);
    if (!c) {
      c = parse(d);
      if (cache.size >= 2000) cache.delete(cache.keys().next().value as string);
      cache.set(key, c);
    }
    return c;
  };
  C.__ljMemo = true;
}

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
  silenceLoggers();
  memoizeCertificateParsing();
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
