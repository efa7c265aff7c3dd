/**
 * What the supervision transactions return, as fabric-contract-api objects for the contract
 * metadata. Each class implements the record it describes, so the compiler keeps the two in step.
 */
import '../logging';
import { Object as FabricObject, Property } from 'fabric-contract-api';
import type { Alert, BudgetLine, Instruction, InstructionKind, PaymentRequest, Program, Rail } from './types';
import type { OffChainDebit } from './off-chain';
import type { Refund } from './refund';
import type { WageCheck } from './wage-checks';

@FabricObject()
export class ProgramRecord implements Partial<Program> {
  @Property() id!: string;
  @Property('scenario', 'string') scenario!: Program['scenario'];
  @Property() title!: string;
  @Property() party!: string;
  @Property() bank!: string;
  @Property() keyAmount!: string;
  @Property() retentionBp!: number;
  @Property() contractValue?: string;
  @Property() depositBp?: number;
  @Property() regulator!: string;
  @Property() regulatorOrg!: string;
  @Property('status', 'string') status!: Program['status'];
  @Property('attested', 'string[]') attested!: string[];
  @Property() alertSeq!: number;
  @Property() actionSeq!: number;
  @Property() reportHash?: string;
  @Property() activatedAt?: string;
  @Property() createdTx!: string;
  @Property() createdAt!: string;
}

@FabricObject()
export class BudgetLineRecord implements BudgetLine {
  @Property() program!: string;
  @Property() id!: string;
  @Property() category!: string;
  @Property() cap!: string;
  @Property('payees', 'string[]') payees!: string[];
  @Property() used!: string;
}

@FabricObject()
export class PaymentRequestRecord implements Partial<PaymentRequest> {
  @Property() program!: string;
  @Property() id!: string;
  @Property('kind', 'string') kind!: PaymentRequest['kind'];
  @Property() line!: string;
  @Property() payee!: string;
  @Property() amount!: string;
  @Property() purpose!: string;
  @Property('rail', 'string') rail!: Rail;
  @Property() requestedBy!: string;
  @Property() requestedAt!: string;
  @Property() required!: number;
  @Property('status', 'string') status!: PaymentRequest['status'];
  @Property('instructions', 'string[]') instructions!: string[];
  @Property() month?: string;
  @Property() sheetHash?: string;
  @Property() stage?: string;
  @Property() day?: string;
  @Property() settledAmount!: string;
  @Property() failedAmount!: string;
  @Property() txId!: string;
}

@FabricObject()
export class InstructionRecord implements Instruction {
  @Property() id!: string;
  @Property() program!: string;
  @Property('kind', 'string') kind!: InstructionKind;
  @Property() ref!: string;
  @Property() account!: string;
  @Property() source!: string;
  @Property() payee!: string;
  @Property() payeeRef!: string;
  @Property() amount!: string;
  @Property('rail', 'string') rail!: Rail;
  @Property('status', 'string') status!: Instruction['status'];
  @Property() railRef?: string;
  @Property() reason?: string;
  @Property() instructedTx!: string;
  @Property() finalTx?: string;
}

@FabricObject()
export class AlertRecord implements Alert {
  @Property() program!: string;
  @Property() seq!: number;
  @Property() alert!: string;
  @Property() request?: string;
  @Property() detail!: string;
  @Property() time!: string;
  @Property() txId!: string;
}

@FabricObject()
export class OffChainDebitRecord implements OffChainDebit {
  @Property() program!: string;
  @Property() account!: string;
  @Property() offTxId!: string;
  @Property() amount!: string;
  @Property() alert!: number;
  @Property('status', 'string') status!: OffChainDebit['status'];
  @Property() note?: string;
  @Property() resolvedBy?: string;
  @Property() time!: string;
  @Property() txId!: string;
}

@FabricObject()
export class RefundRecord implements Partial<Refund> {
  @Property() id!: string;
  @Property() program!: string;
  @Property() reason!: string;
  @Property() total!: string;
  @Property('instructions', 'string[]') instructions!: string[];
  @Property() txId!: string;
}

/** Wage arrears paid from the wage deposit: the instructions it made. */
@FabricObject()
export class ArrearsRecord {
  @Property() id!: string;
  @Property('instructions', 'string[]') instructions!: string[];
}

@FabricObject()
export class WageCheckRecord implements WageCheck {
  @Property() program!: string;
  @Property() month!: string;
  @Property('status', 'string') status!: WageCheck['status'];
  @Property() alert?: number;
}

/** A program's figures (Supervision:report): deposited, held, available, released; lines and accounts in the JSON. */
@FabricObject()
export class ProgramReportView {
  @Property() program!: string;
  @Property() status!: string;
  @Property() keyAmount!: string;
  @Property() deposited!: string;
  @Property() held!: string;
  @Property() available!: string;
  @Property() retained!: string;
  @Property() pending!: string;
  @Property() released!: string;
  @Property() refunded!: string;
  @Property() alerts!: number;
}

/** A program as a list shows it (Supervision:listPrograms). */
@FabricObject()
export class ProgramSummaryView {
  @Property() id!: string;
  @Property() title!: string;
  @Property() scenario!: string;
  @Property() status!: string;
  @Property() keyAmount!: string;
  @Property() deposited!: string;
  @Property() available!: string;
  @Property() released!: string;
  @Property() waiting!: number;
}

/** All of one regulator's programs (Supervision:regulatorReport). */
@FabricObject()
export class RegulatorReportView {
  @Property() regulator!: string;
  @Property('programs', 'ProgramReportView[]') programs!: ProgramReportView[];
}

/** A wage program as the scheduler sees it (Supervision:wagePrograms). */
@FabricObject()
export class WageProgramView {
  @Property() program!: string;
  @Property() status!: string;
  @Property() firstMonth!: string;
  @Property() graceDays!: number;
}

/** One wage month: paid, pending, missing, unpaid or not due. */
@FabricObject()
export class WageMonthView {
  @Property() month!: string;
  @Property() status!: string;
  @Property() amount?: string;
  @Property() request?: string;
  @Property() alert?: number;
}

/** A program's wage months (Supervision:wageMonths). */
@FabricObject()
export class WageMonthsView {
  @Property() program!: string;
  @Property('months', 'WageMonthView[]') months!: WageMonthView[];
}

/** The holder (户名, org) of one account a program names (Supervision:programHolders). */
@FabricObject()
export class HolderView {
  @Property() account!: string;
  @Property() name!: string;
  @Property() org!: string;
  @Property() orgName?: string;
  @Property() kind!: string;
}

/** Holders by account id and each budget line's payees (Supervision:programHolders). */
@FabricObject()
export class ProgramHoldersView {
  @Property('holders', 'Map<string, HolderView>') holders!: Record<string, HolderView>;
}
