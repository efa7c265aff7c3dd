/** The embedded ledger engine: public API. */
export { EmbeddedEngine, EngineOptions, SubmitResult, ChainEvent, TransactionInfo, newNonce } from './engine';
export { Proposal, Creator, computeTxId, DEFAULT_CHANNEL } from './proposal';
export { createCa, issueCertificate, publicKeyOfCertificate, parseCertificate, OrgCa, Ou } from './ca';
export { verifyChain, VerifyResult } from './verify-chain';
export { Block, BlockHeader, TxRecord, ValidationCode } from './block';
export { ContractClass } from './chaincode';
