/**
 * What the bill transactions return, as fabric-contract-api objects for the contract metadata.
 * Each class implements the record it describes, so the compiler keeps the two in step.
 */
import '../logging';
import { Object as FabricObject, Property } from 'fabric-contract-api';
import type { AcceptorKind, BillPackage, PackageStatus, Pending, PendingOp, RangeState } from './model';

@FabricObject()
export class BillPackageRecord implements BillPackage {
  @Property() pkg!: string;
  @Property() drawer!: string;
  @Property() drawerAccount!: string;
  @Property() acceptor!: string;
  @Property('acceptorKind', 'string') acceptorKind!: AcceptorKind;
  @Property() acceptorAccount?: string;
  @Property() payee!: string;
  @Property() amount!: string;
  @Property() issueDate!: string;
  @Property() maturity!: string;
  @Property() nonTransferable!: boolean;
  @Property() splittable!: boolean;
  @Property('status', 'string') status!: PackageStatus;
  @Property() registeredTx!: string;
}

@FabricObject()
export class BillPendingRecord implements Pending {
  @Property('op', 'string') op!: PendingOp;
  @Property() to!: string;
  @Property() by!: string;
  @Property() since!: string;
  @Property() rateBp?: number;
  @Property() deadline?: string;
  @Property() payTo?: string;
  @Property() payToAccount?: string;
  @Property() group?: string;
  @Property() noFurther?: boolean;
}

/** The range an action left (the first one when a request covered several, all of them in `ranges`). */
@FabricObject()
export class BillRangeResult {
  @Property() pkg!: string;
  @Property() from!: number;
  @Property() to!: number;
  @Property() holder!: string;
  @Property('state', 'string') state!: RangeState;
  @Property('pending', 'BillPendingRecord') pending?: Pending;
  @Property('ranges', 'BillRangeResult[]') ranges?: BillRangeResult[];
  @Property() interest?: string;
  @Property() proceeds?: string;
  @Property() days?: number;
}

/** 自动提示付款: ranges presented and presentments marked dishonored. */
@FabricObject()
export class PresentDueResultView {
  @Property() pkg!: string;
  @Property() day!: string;
  @Property() presented!: number;
  @Property() dishonored!: number;
}

/** A package with the face by state and the caller's part (Bills:listPackages). */
@FabricObject()
export class BillPackageSummaryView extends BillPackageRecord {
  @Property() mine!: string;
  @Property() waitingForMe!: number;
}

/** A package and its full range map (Bills:packageMap); `coverProblem` null when the ranges cover it. */
@FabricObject()
export class BillPackageMapView {
  @Property('package', 'BillPackageRecord') package!: BillPackage;
  @Property() coverProblem?: string;
}

/** A page of a member's live holdings (Bills:holdings); the totals on the first page only. */
@FabricObject()
export class BillHoldingsView {
  @Property() holder!: string;
  @Property() count?: number;
  @Property() total?: string;
  @Property() bookmark!: string;
}

/** Who held one sub-ticket and every action that carried it (Bills:lineage). */
@FabricObject()
export class BillLineageView {
  @Property() pkg!: string;
  @Property() ticket!: number;
  @Property('holders', 'string[]') holders!: string[];
}

/** Requests waiting for a member's answer (Bills:inbox). */
@FabricObject()
export class BillInboxView {
  @Property() member!: string;
  @Property() count!: number;
}

/** Whom a dishonored range may claim recourse against (Bills:liable). */
@FabricObject()
export class BillLiableView {
  @Property() pkg!: string;
  @Property() from!: number;
  @Property() to!: number;
  @Property('state', 'string') state!: RangeState;
  @Property('liable', 'string[]') liable!: string[];
}
