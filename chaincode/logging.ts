/**
 * fabric-contract-api logs every decorator at 'info' while contract classes load. Unless the
 * operator chose a level (CORE_CHAINCODE_LOGGING_LEVEL, as a Fabric peer sets it), those
 * class-loading loggers stay silent. Imported by core/context.ts, which every contract imports.
 */
if (process.env.CORE_CHAINCODE_LOGGING_LEVEL === undefined) {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const api = require('fabric-contract-api/lib/logger') as { getLogger(name: string): { silent: boolean } };
  for (const name of ['default', 'info', 'object', 'transaction'])
    api.getLogger(`./lib/annotations/${name}.js`).silent = true;
}
