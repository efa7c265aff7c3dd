/**
 * fabric-contract-api logs every decorator at 'info' while classes load; imported first by
 * chaincode/index.ts so the default is quieter. CORE_CHAINCODE_LOGGING_LEVEL still wins.
 */
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'warning';
