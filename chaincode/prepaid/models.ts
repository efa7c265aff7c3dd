/**
 * What the prepaid transactions return, as fabric-contract-api objects for the contract
 * metadata. Each class implements the record it describes, so the compiler keeps the two in step.
 */
import '../logging';
import { Object as FabricObject, Property } from 'fabric-contract-api';
import type { Category } from './policy';
import type { ReleaseMode } from './rules';
import type { Sweep } from './sweep';
import type {
  Card,
  CardPaymentRecord,
  ContractStatus,
  Merchant,
  MerchantStatus,
  Plan,
  PrepaidContractRecord,
} from './types';

@FabricObject()
export class MerchantRecord implements Merchant {
  @Property() id!: string;
  @Property() member!: string;
  @Property() name!: string;
  @Property('category', 'string') category!: Category;
  @Property() region!: string;
  @Property() account!: string;
  @Property('status', 'string') status!: MerchantStatus;
  @Property() appliedTx!: string;
  @Property() reviewedBy?: string;
  @Property() reason?: string;
}

@FabricObject()
export class MerchantWithPlansView extends MerchantRecord {
  @Property('plans', 'PlanRecord[]') plans!: Plan[];
}

@FabricObject()
export class PlanRecord implements Plan {
  @Property() id!: string;
  @Property() merchant!: string;
  @Property() name!: string;
  @Property('category', 'string') category!: Category;
  @Property('mode', 'string') mode!: ReleaseMode;
  @Property() unitPrice!: string;
  @Property() units?: number;
  @Property() days?: number;
  @Property() price!: string;
  @Property() coolingOffDays!: number;
  @Property() nonRefundableBp!: number;
  @Property('status', 'string') status!: Plan['status'];
  @Property() createdTx!: string;
}

@FabricObject()
export class PrepaidContractModel implements PrepaidContractRecord {
  @Property() id!: string;
  @Property() plan!: string;
  @Property() merchant!: string;
  @Property() consumer!: string;
  @Property() wallet!: string;
  @Property() escrow!: string;
  @Property('category', 'string') category!: Category;
  @Property('mode', 'string') mode!: ReleaseMode;
  @Property() unitPrice!: string;
  @Property() units?: number;
  @Property() days?: number;
  @Property() price!: string;
  @Property() coolingOffDays!: number;
  @Property() nonRefundableBp!: number;
  @Property() purchasedAt!: string;
  @Property() coolingOffUntil!: string;
  @Property() usedUnits!: number;
  @Property() progressBp!: number;
  @Property() released!: string;
  @Property() refunded!: string;
  @Property() fee!: string;
  @Property('status', 'string') status!: ContractStatus;
  @Property() txId!: string;
  @Property() closedTx?: string;
  @Property() closedBy?: string;
}

@FabricObject()
export class CardRecord implements Card {
  @Property() id!: string;
  @Property() account!: string;
  @Property() owner!: string;
  @Property() publicKey!: string;
  @Property() registeredBy!: string;
}

@FabricObject()
export class CardPaymentModel implements CardPaymentRecord {
  @Property() card!: string;
  @Property() counter!: number;
  @Property() payee!: string;
  @Property() amount!: string;
  @Property() time!: string;
  @Property() hash!: string;
  @Property('status', 'string') status!: CardPaymentRecord['status'];
  @Property() code?: string;
  @Property() detail?: string;
  @Property() syncedBy!: string;
  @Property() txId!: string;
}

@FabricObject()
export class SweepRecord implements Partial<Sweep> {
  @Property() merchant!: string;
  @Property() after!: string;
  @Property() visited!: number;
  @Property() refunded!: number;
  @Property() amount!: string;
  @Property('skipped', 'string[]') skipped!: string[];
  @Property() done!: boolean;
  @Property() batches!: number;
}

/** What a refund asked for now returns (Prepaid:refundQuote). */
@FabricObject()
export class RefundQuoteView {
  @Property() contract!: string;
  @Property() status!: string;
  @Property() full!: boolean;
  @Property() refund!: string;
  @Property() fee!: string;
}

/** A batch of offline card payments: how many were accepted (the rest answer their codes). */
@FabricObject()
export class CardPaymentsResultView {
  @Property() accepted!: number;
}

/** A consumer's money: available in wallets, locked in prepaid contracts (Prepaid:holdings). */
@FabricObject()
export class PrepaidHoldingsView {
  @Property() consumer!: string;
  @Property() available!: string;
  @Property() locked!: string;
}

/** A contract with what a list shows of it (Prepaid:listContracts). */
@FabricObject()
export class PrepaidContractView extends PrepaidContractModel {
  @Property() merchantName!: string;
  @Property() merchantStatus!: string;
  @Property() planName!: string;
  @Property() escrowBalance!: string;
}
