/**
 * What the core transactions return, as fabric-contract-api objects: the contract metadata
 * (org.hyperledger.fabric:GetMetadata) names each transaction's answer by these classes. Each
 * class implements the record it describes, so the compiler keeps the two in step.
 */
import '../logging';
import { Object as FabricObject, Property } from 'fabric-contract-api';
import type { Account, AccountKind, AccountStatus, Freeze, HistoryEntry, Leg } from './account';
import type { Member, Role } from './member';
import type { Transfer } from './transfer';

@FabricObject()
export class FreezeRecord implements Freeze {
  @Property() order!: string;
  @Property() by!: string;
  @Property('authority', 'string') authority!: 'court' | 'regulator';
  @Property() reason!: string;
  @Property() since!: string;
  @Property() txId!: string;
}

@FabricObject()
export class AccountRecord implements Account {
  @Property() id!: string;
  @Property('kind', 'string') kind!: AccountKind;
  @Property() owner!: string;
  @Property() holderName!: string;
  @Property() holderOrg!: string;
  @Property() bank!: string;
  @Property() offChainRef!: string;
  @Property('status', 'string') status!: AccountStatus;
  @Property('freezes', 'FreezeRecord[]') freezes?: Freeze[];
  @Property('lifted', 'string[]') lifted?: string[];
  @Property() balance!: string;
  @Property() lotSeq!: number;
  @Property() histSeq!: number;
  @Property() openedTx!: string;
  @Property() program?: string;
}

@FabricObject()
export class LegRecord implements Leg {
  @Property() color!: string;
  @Property() from!: string;
  @Property() to!: string;
  @Property() amount!: string;
}

@FabricObject()
export class TransferRecord implements Transfer {
  @Property() id!: string;
  @Property() from!: string;
  @Property() to!: string;
  @Property() amount!: string;
  @Property() purpose!: string;
  @Property() ref!: string;
  @Property('legs', 'LegRecord[]') legs!: Leg[];
  @Property() txId!: string;
  @Property() time!: string;
  @Property() by!: string;
}

/** A mirrored deposit or withdrawal (chaincode/core/mirror.ts). */
@FabricObject()
export class MirrorRecord {
  @Property() kind!: string;
  @Property() bank!: string;
  @Property() account!: string;
  @Property() offTxId!: string;
  @Property() amount!: string;
  @Property() color!: string;
  @Property() txId!: string;
  @Property('legs', 'LegRecord[]') legs!: Leg[];
}

/** One color's part of a balance: the lot that holds it. */
@FabricObject()
export class ColorBalance {
  @Property() color!: string;
  @Property() amount!: string;
  @Property() lot!: string;
}

/** Balance in total and by color (Money:balance). */
@FabricObject()
export class BalanceView {
  @Property() account!: string;
  @Property() holderName!: string;
  @Property() holderOrg!: string;
  @Property() status!: string;
  @Property() total!: string;
  @Property('byColor', 'ColorBalance[]') byColor!: ColorBalance[];
}

@FabricObject()
export class HistoryEntryRecord implements HistoryEntry {
  @Property() seq!: number;
  @Property() txId!: string;
  @Property() time!: string;
  @Property() kind!: string;
  @Property() amount!: string;
  @Property() balance!: string;
  @Property() counterparty?: string;
  @Property() ref?: string;
  @Property() color?: string;
}

/** A page of an account's history (Money:history); `nextAfterSeq` absent on the last page. */
@FabricObject()
export class HistoryPageView {
  @Property('items', 'HistoryEntryRecord[]') items!: HistoryEntry[];
  @Property() nextAfterSeq?: number;
}

/** The conservation check (Money:totals). */
@FabricObject()
export class TotalsView {
  @Property() accounts!: number;
  @Property() balances!: string;
  @Property() deposits!: string;
  @Property() withdrawals!: string;
  @Property() conserved!: boolean;
}

/** A wallet's declared e-CNY tier. */
@FabricObject()
export class TierRecordView {
  @Property() account!: string;
  @Property() tier!: number;
  @Property() setBy!: string;
}

/** Where money came from (Trace:backward) or went (Trace:forward); paths and names in the JSON. */
@FabricObject()
export class TraceView {
  @Property() account!: string;
  @Property() amount!: string;
}

@FabricObject()
export class MemberRecord implements Member {
  @Property() handle!: string;
  @Property() mspId!: string;
  @Property() name!: string;
  @Property('roles', 'string[]') roles!: Role[];
  @Property() publicKey!: string;
  @Property() admin!: boolean;
  @Property('status', 'string') status!: 'active' | 'revoked';
  @Property() validUntil?: string;
  @Property() displayName?: string;
  @Property() registeredTx!: string;
  @Property() revokedTx?: string;
  @Property() revokedReason?: string;
}

@FabricObject()
export class OrgRecord {
  @Property() mspId!: string;
  @Property() name!: string;
  @Property('roles', 'string[]') roles!: Role[];
}

/** A reconciliation report root anchored for a day (Audit:anchor). */
@FabricObject()
export class AnchorRecord {
  @Property() org!: string;
  @Property() day!: string;
  @Property() root!: string;
  @Property() by!: string;
  @Property() txId!: string;
  @Property() time!: string;
}

/** Whether a member lets a bank's org open its accounts without asking (Money:authorizeBank). */
@FabricObject()
export class BankAuthorizationView {
  @Property() owner!: string;
  @Property() bank!: string;
  @Property() allowed!: boolean;
}
