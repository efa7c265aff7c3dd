/**
 * Fabric blocks as the LedgerClient shows them: Fabric's own block hash (SHA-256 of the DER
 * header, as protoutil.BlockHeaderHash), each transaction's index, id, creator MSP, validation
 * code, function, the member's intent record from the write set, and the chaincode event.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { EVENT_NAME, EventEnvelope } from '../../chaincode/core/context';
import type { IntentRecord } from '../../chaincode/core/authenticate';
import * as der from '../../network/embedded/der';
import type { BlockView, LedgerEvent, TxView } from '../types';

const CODE_NAMES = Object.fromEntries(Object.entries(peer.TxValidationCode).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;
/** The name of a transaction validation code (VALID, MVCC_READ_CONFLICT, ...). */
export const codeName = (code: number): string => CODE_NAMES[code] ?? `CODE_${code}`;
const ENDORSER_TRANSACTION = common.HeaderType.ENDORSER_TRANSACTION;
const TRANSACTIONS_FILTER = common.BlockMetadataIndex.TRANSACTIONS_FILTER;

/** One transaction of a decoded block, with what the views and the event stream need. */
export interface DecodedTx {
  view: TxView;
  record?: IntentRecord;
  event?: EventEnvelope;
}

export interface DecodedBlock {
  view: BlockView;
  txs: DecodedTx[];
}

const bytes = (value: Uint8Array | string): Uint8Array =>
  typeof value === 'string' ? Buffer.from(value, 'base64') : value;

/** Fabric's block hash: SHA-256 over ASN.1 DER SEQUENCE { number, previousHash, dataHash }. */
export function blockHeaderHash(header: common.BlockHeader): string {
  const number = BigInt(header.getNumber()).toString(16);
  const encoded = der.seq(
    der.uint(Buffer.from(number.length % 2 ? `0${number}` : number, 'hex')),
    der.octetString(Buffer.from(header.getPreviousHash_asU8())),
    der.octetString(Buffer.from(header.getDataHash_asU8())),
  );
  return createHash('sha256').update(encoded).digest('hex');
}

/** The creator's MSP and its certificate's subject (the ClientIdentity-style id). */
function creatorOf(signatureHeader: Uint8Array): { mspId: string; id?: string } {
  const creator = msp.SerializedIdentity.deserializeBinary(
    common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8(),
  );
  try {
    const cert = new X509Certificate(Buffer.from(creator.getIdBytes_asU8()));
    return { mspId: creator.getMspid(), id: cert.subject.replace(/\n/g, ',') };
  } catch {
    return { mspId: creator.getMspid() };
  }
}

/** The chaincode action of an endorser transaction: function name, write set and event. */
function actionOf(data: Uint8Array): { fn: string; writes: Map<string, Uint8Array>; event?: peer.ChaincodeEvent } {
  const action = peer.Transaction.deserializeBinary(data).getActionsList()[0];
  const writes = new Map<string, Uint8Array>();
  if (!action) return { fn: '', writes };
  const payload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const input = peer.ChaincodeInvocationSpec.deserializeBinary(
    peer.ChaincodeProposalPayload.deserializeBinary(payload.getChaincodeProposalPayload_asU8()).getInput_asU8(),
  )
    .getChaincodeSpec()
    ?.getInput()
    ?.getArgsList_asU8();
  const fn = input?.[0] ? Buffer.from(input[0]).toString('utf8') : '';
  const responsePayload = payload.getAction()?.getProposalResponsePayload_asU8();
  if (!responsePayload) return { fn, writes };
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(
    peer.ProposalResponsePayload.deserializeBinary(responsePayload).getExtension_asU8(),
  );
  const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
  for (const ns of rwset.getNsRwsetList()) {
    const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    for (const w of kv.getWritesList()) if (!w.getIsDelete()) writes.set(w.getKey(), w.getValue_asU8());
  }
  const eventBytes = chaincodeAction.getEvents_asU8();
  const event = eventBytes.length ? peer.ChaincodeEvent.deserializeBinary(eventBytes) : undefined;
  return { fn, writes, event };
}

/** The proposal time the client put in the channel header. */
function txTime(channelHeader: common.ChannelHeader): string {
  const ts = channelHeader.getTimestamp() as { getSeconds(): number; getNanos(): number } | undefined;
  return new Date((ts?.getSeconds() ?? 0) * 1000 + Math.floor((ts?.getNanos() ?? 0) / 1e6)).toISOString();
}

/** The intent record a write keeps (core/authenticate.ts) and the transaction's event envelope. */
function recordAndEvent(action: ReturnType<typeof actionOf>, valid: boolean): Omit<DecodedTx, 'view'> {
  if (!valid) return {};
  const entry = [...action.writes].find(([k]) => k.startsWith('intent~'));
  const record = entry ? (JSON.parse(Buffer.from(entry[1]).toString('utf8')) as IntentRecord) : undefined;
  const event =
    action.event?.getEventName() === EVENT_NAME
      ? (JSON.parse(Buffer.from(action.event.getPayload_asU8()).toString('utf8')) as EventEnvelope)
      : undefined;
  return { ...(record ? { record } : {}), ...(event ? { event } : {}) };
}

function decodeTx(envelopeBytes: Uint8Array, at: { blockNumber: number; txIndex: number; code: number }): DecodedTx {
  const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8());
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(header?.getChannelHeader_asU8() ?? new Uint8Array());
  const endorsed = channelHeader.getType() === ENDORSER_TRANSACTION;
  const view: TxView = {
    txId: channelHeader.getTxId(),
    blockNumber: at.blockNumber,
    txIndex: at.txIndex,
    status: codeName(at.code),
    fn: endorsed ? '' : 'config',
    creator: creatorOf(header?.getSignatureHeader_asU8() ?? new Uint8Array()),
    time: txTime(channelHeader),
  };
  if (!endorsed) return { view };
  const action = actionOf(payload.getData_asU8());
  view.fn = action.fn;
  const extra = recordAndEvent(action, at.code === peer.TxValidationCode.VALID);
  if (extra.record?.signer) view.signer = extra.record.signer;
  return { view, ...extra };
}

/** Decodes a block as qscc or the deliver service hands it. */
export function decodeBlock(block: common.Block): DecodedBlock {
  const header = block.getHeader();
  if (!header) throw new Error('a block without a header');
  const number = header.getNumber();
  const filter = bytes(block.getMetadata()?.getMetadataList()[TRANSACTIONS_FILTER] ?? new Uint8Array());
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const txs = envelopes.map((e, txIndex) =>
    decodeTx(e, { blockNumber: number, txIndex, code: filter[txIndex] ?? peer.TxValidationCode.VALID }),
  );
  return {
    txs,
    view: {
      number,
      hash: blockHeaderHash(header),
      previousHash: Buffer.from(header.getPreviousHash_asU8()).toString('hex'),
      dataHash: Buffer.from(header.getDataHash_asU8()).toString('hex'),
      ...(txs[0]?.view.time ? { time: txs[0].view.time } : {}),
      txs: txs.map((t) => t.view),
    },
  };
}

/** The Lianjian events of a decoded block, in transaction order. */
export const eventsOf = (block: DecodedBlock): LedgerEvent[] =>
  block.txs.flatMap((t) =>
    t.event ? [{ blockNumber: t.view.blockNumber, txIndex: t.view.txIndex, txId: t.view.txId, envelope: t.event }] : [],
  );
