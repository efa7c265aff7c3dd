/**
 * fabric-contract-api logs every decorator at 'info' while contract classes load. Unless the
 * operator chose a level (CORE_CHAINCODE_LOGGING_LEVEL, as a Fabric peer sets it), those
 * class-loading loggers stay silent. Imported by core/context.ts, which every contract imports.
 */
import { createRequire } from 'node:module';

/** fabric-contract-api's logger module: internal, untyped, loaded by path. */
interface ContractLoggers {
  getLogger(name: string): { silent: boolean };
}

if (process.env.CORE_CHAINCODE_LOGGING_LEVEL === undefined) {
  const api = createRequire(__filename)('fabric-contract-api/lib/logger') as ContractLoggers;
  for (const name of ['default', 'info', 'object', 'transaction'])
    api.getLogger(`./lib/annotations/${name}.js`).silent = true;
}
