// What people read instead of codes: Chinese first, English beside. Unknown codes fall back to
// a readable form of the code (never a camelCase field name).

const L = (zh, en) => ({ zh, en });

export const ROLE = {
  regulator: L('监管机构', 'Regulator'),
  auditor: L('审计', 'Auditor'),
  bank: L('银行', 'Bank'),
  enterprise: L('企业', 'Enterprise'),
  merchant: L('商户', 'Merchant'),
  consumer: L('消费者', 'Consumer'),
  oracle: L('预言机', 'Oracle'),
  court: L('法院', 'Court'),
};

export const ACCOUNT_KIND = {
  supervised: L('监管户', 'Supervised'),
  settlement: L('结算户', 'Settlement'),
  wallet: L('钱包', 'Wallet'),
  escrow: L('托管户', 'Escrow'),
  wage: L('工资专户', 'Wage account'),
  deposit: L('保证金户', 'Deposit'),
  payout: L('待付户', 'Payout pending'),
  general: L('一般户', 'General'),
};

export const STATUS = {
  active: L('正常', 'Active'),
  frozen: L('冻结', 'Frozen'),
  closed: L('已关闭', 'Closed'),
  draft: L('草稿', 'Draft'),
  suspended: L('暂停', 'Suspended'),
  pending_approval: L('待审批', 'Awaiting approval'),
  rejected: L('已驳回', 'Rejected'),
  instructed: L('已指令', 'Instructed'),
  settled: L('已结算', 'Settled'),
  failed: L('失败', 'Failed'),
  partial: L('部分结算', 'Partly settled'),
  approved: L('已核准', 'Approved'),
  pending: L('待审核', 'Pending'),
  completed: L('已履约', 'Completed'),
  refunded: L('已退款', 'Refunded'),
  withdrawn: L('已下架', 'Withdrawn'),
  open: L('未结', 'Open'),
  resolved: L('已结', 'Resolved'),
  registered: L('已登记', 'Registered'),
  accepted: L('已承兑', 'Accepted'),
  issued: L('已出票', 'Issued'),
  refused: L('拒绝承兑', 'Refused'),
  cancelled: L('已撤票', 'Cancelled'),
  held: L('持有', 'Held'),
  pledged: L('质押', 'Pledged'),
  dishonored: L('拒付', 'Dishonored'),
  paid: L('已付款', 'Paid'),
  VALID: L('有效', 'Valid'),
};

export const SCENARIO = {
  presale_housing: L('商品房预售资金', 'Pre-sale housing'),
  migrant_wages: L('农民工工资', 'Migrant wages'),
  prepaid_education: L('教培预收费', 'Prepaid education'),
  infrastructure: L('基建项目', 'Infrastructure'),
  rental: L('住房租赁', 'Rental'),
  generic: L('通用监管', 'General supervision'),
};

export const RAIL = {
  bank: L('银行转账', 'Bank transfer'),
  ecny: L('数字人民币', 'e-CNY wallet'),
  hw_wallet: L('硬件钱包', 'Hardware wallet'),
};

export const INSTRUCTION_KIND = {
  release: L('用款拨付', 'Release'),
  wages: L('工资发放', 'Wages'),
  refund: L('强制退款', 'Forced refund'),
  arrears: L('欠薪垫付', 'Arrears'),
  deposit: L('保证金返还', 'Deposit return'),
};

export const ALERT = {
  PAYEE_NOT_WHITELISTED: L('收款人不在白名单', 'Payee not on the whitelist'),
  PERSONAL_LIMIT: L('公转私超限', 'Payment to a person over the limit'),
  MILESTONE_CAP: L('超节点拨付上限', 'Above the milestone cap'),
  STRUCTURING: L('疑似拆分支付', 'Possible structuring'),
  WAGES_MISSING: L('工资未按月发放', 'Wages not paid for a month'),
  INSUFFICIENT_FUNDS: L('余额不足', 'Insufficient funds'),
  SWEEP_REFUND_SKIPPED: L('退款跳过', 'Refund skipped'),
  RECON_BREAK: L('对账差错', 'Reconciliation break'),
};

export const WAGE_MONTH = {
  paid: L('已发放', 'Paid'),
  pending: L('发放中', 'In progress'),
  missing: L('欠薪', 'In arrears'),
  unpaid: L('未发放', 'Missing'),
  not_due: L('未到期', 'Not due'),
};

export const BREAK_CLASS = {
  missing_on_chain: L('链上缺失', 'Missing on chain'),
  missing_off_chain: L('账面缺失', 'Missing in the books'),
  amount_mismatch: L('金额不符', 'Amount mismatch'),
  duplicate: L('重复记账', 'Duplicate'),
  balance_mismatch: L('余额不符', 'Balance mismatch'),
};

export const RESOLUTION = {
  corrected_off_chain: L('已更正账面', 'Corrected in the books'),
  compensating_mirror: L('链上冲正', 'Compensating entry on chain'),
  accepted: L('确认无误', 'Accepted as is'),
};

export const BILL_OP = {
  accept: L('提示承兑', 'Acceptance'),
  receive: L('提示收票', 'Receipt'),
  endorse: L('背书', 'Endorsement'),
  pledge: L('质押', 'Pledge'),
  discount: L('贴现', 'Discount'),
  guarantee: L('保证', 'Guarantee'),
  pay: L('提示付款', 'Payment'),
  recourse: L('追索', 'Recourse'),
};

export const BILL_EVENT = {
  BillRegistered: L('出票登记', 'Registered'),
  BillPresentedForAcceptance: L('提示承兑', 'Presented for acceptance'),
  BillAcceptSigned: L('承兑签收', 'Accepted'),
  BillAcceptRejected: L('拒绝承兑', 'Acceptance refused'),
  BillPresentedForReceipt: L('提示收票', 'Presented for receipt'),
  BillReceiveSigned: L('收票签收', 'Received'),
  BillReceiveRejected: L('驳回收票', 'Receipt refused'),
  BillEndorseRequested: L('背书申请', 'Endorsement asked'),
  BillEndorseSigned: L('背书签收', 'Endorsement signed'),
  BillEndorseRejected: L('拒绝背书', 'Endorsement refused'),
  BillEndorseRevoked: L('撤回背书', 'Endorsement withdrawn'),
  BillPledgeRequested: L('质押申请', 'Pledge asked'),
  BillPledgeSigned: L('质押签收', 'Pledge signed'),
  BillPledgeReleased: L('解除质押', 'Pledge released'),
  BillDiscountRequested: L('贴现申请', 'Discount asked'),
  BillDiscountSigned: L('贴现签收', 'Discounted'),
  BillGuaranteeRequested: L('保证申请', 'Guarantee asked'),
  BillGuaranteeSigned: L('保证签收', 'Guaranteed'),
  BillPresentedForPayment: L('提示付款', 'Presented for payment'),
  BillPaySigned: L('付款签收', 'Payment signed'),
  BillPaid: L('已付款', 'Paid'),
  BillDishonored: L('拒付', 'Dishonored'),
  BillRecourseClaimed: L('追索', 'Recourse claimed'),
  BillRecourseSettled: L('清偿', 'Recourse settled'),
  BillCancelled: L('撤票', 'Cancelled'),
  BillFrozen: L('冻结', 'Frozen'),
  BillUnfrozen: L('解冻', 'Unfrozen'),
};

export const PREPAID_CATEGORY = {
  training: L('教育培训', 'Training'),
  fitness: L('健身', 'Fitness'),
  beauty: L('美容美发', 'Beauty'),
  services: L('生活服务', 'Services'),
};

export const RELEASE_MODE = {
  per_use: L('按次核销', 'Per use'),
  progress: L('按进度', 'By progress'),
  time_linear: L('按日摊销', 'By day'),
};

export const REGION = {
  guangdong: L('广东', 'Guangdong'),
  beijing: L('北京', 'Beijing'),
  jiangsu: L('江苏', 'Jiangsu'),
};

export const FN = {
  'Money:openAccount': L('开户', 'Open account'),
  'Money:transfer': L('转账', 'Transfer'),
  'Money:mirrorDeposit': L('存入映射', 'Deposit mirrored'),
  'Money:mirrorWithdrawal': L('支取映射', 'Withdrawal mirrored'),
  'Money:setAccountStatus': L('账户冻结/解冻', 'Account status'),
  'Money:closeAccount': L('销户', 'Close account'),
  'Identity:registerOrg': L('机构注册', 'Org registered'),
  'Identity:registerMember': L('成员注册', 'Member registered'),
  'Identity:revokeMember': L('成员注销', 'Member revoked'),
  'Audit:anchor': L('对账根上链', 'Report root anchored'),
  'Supervision:createProgram': L('创建监管项目', 'Program created'),
  'Supervision:attachAccount': L('绑定监管账户', 'Account attached'),
  'Supervision:setBudgetLine': L('设置预算科目', 'Budget line set'),
  'Supervision:activate': L('启用监管', 'Program activated'),
  'Supervision:attestMilestone': L('节点确认', 'Milestone attested'),
  'Supervision:requestPayment': L('用款申请', 'Payment request'),
  'Supervision:approve': L('审批同意', 'Approval'),
  'Supervision:reject': L('审批驳回', 'Rejection'),
  'Supervision:confirmPayout': L('拨付到账', 'Payout confirmed'),
  'Supervision:failPayout': L('拨付失败', 'Payout failed'),
  'Supervision:submitWageSheet': L('工资表报送', 'Wage sheet'),
  'Supervision:checkWages': L('工资核查', 'Wage check'),
  'Supervision:freeze': L('冻结项目', 'Program frozen'),
  'Supervision:unfreeze': L('解冻项目', 'Program unfrozen'),
  'Bills:register': L('出票登记', 'Bill registered'),
  'Bills:presentAcceptance': L('提示承兑', 'Presented for acceptance'),
  'Bills:presentReceipt': L('提示收票', 'Presented for receipt'),
  'Bills:sign': L('票据签收', 'Bill signed'),
  'Bills:endorse': L('背书', 'Endorsement'),
  'Prepaid:applyMerchant': L('商户入驻申请', 'Merchant application'),
  'Prepaid:reviewMerchant': L('商户审核', 'Merchant review'),
  'Prepaid:createPlan': L('发布预付方案', 'Plan published'),
  'Prepaid:purchase': L('购买预付卡', 'Prepaid purchase'),
  'Prepaid:setWalletTier': L('钱包等级', 'Wallet tier'),
  'Prepaid:freezeMerchant': L('冻结商户', 'Merchant frozen'),
  'Prepaid:refundMerchant': L('批量退款', 'Mass refund'),
  'Prepaid:refund': L('退款', 'Refund'),
};

export const EVENT = {
  Transferred: L('转账', 'Transfer'),
  Deposited: L('存入', 'Deposit'),
  Withdrawn: L('支取', 'Withdrawal'),
  AccountOpened: L('开户', 'Account opened'),
  AccountClosed: L('销户', 'Account closed'),
  AccountAttached: L('绑定监管账户', 'Account attached'),
  ReportAnchored: L('对账根上链', 'Root anchored'),
  ProgramCreated: L('创建监管项目', 'Program created'),
  ProgramStatusChanged: L('项目状态变更', 'Program status changed'),
  BudgetLineSet: L('设置预算科目', 'Budget line set'),
  MilestoneAttested: L('节点确认', 'Milestone attested'),
  PaymentRequested: L('用款申请', 'Payment requested'),
  PaymentApproved: L('审批同意', 'Approved'),
  PaymentRejected: L('审批驳回', 'Rejected'),
  PayoutInstructed: L('拨付指令', 'Payout instructed'),
  PayoutSettled: L('拨付到账', 'Payout settled'),
  PayoutFailed: L('拨付失败', 'Payout failed'),
  RefundForced: L('强制退款', 'Forced refund'),
  Alert: L('预警', 'Alert'),
  MerchantApplied: L('商户入驻申请', 'Merchant applied'),
  MerchantFrozen: L('商户冻结', 'Merchant frozen'),
  MerchantApproved: L('商户核准', 'Merchant approved'),
  MerchantRejected: L('商户驳回', 'Merchant rejected'),
  BillEndorseRequested: L('背书申请', 'Endorsement asked'),
  MerchantRefundBatch: L('批量退款', 'Refund batch'),
  PlanCreated: L('发布方案', 'Plan published'),
  PlanWithdrawn: L('方案下架', 'Plan withdrawn'),
  PrepaidPurchased: L('购买预付', 'Prepaid purchase'),
  PrepaidReleased: L('预付资金拨付', 'Prepaid released'),
  PrepaidRefunded: L('预付退款', 'Prepaid refund'),
  WalletTierSet: L('钱包等级', 'Wallet tier set'),
  CardRegistered: L('硬件钱包登记', 'Card registered'),
  CardPaymentAccepted: L('卡支付入账', 'Card payment accepted'),
  CardPaymentRejected: L('卡支付拒绝', 'Card payment refused'),
  MemberRegistered: L('成员注册', 'Member registered'),
  MemberRevoked: L('成员注销', 'Member revoked'),
  OrgRegistered: L('机构注册', 'Org registered'),
};

/** Words from a code: PAYEE_NOT_WHITELISTED → 'Payee not whitelisted', camelCase → 'camel case'. */
export function words(code) {
  const text = String(code ?? '')
    .replace(/^[A-Za-z]+:/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** [zh, en] for a code in one of the tables above. */
export function label(table, code) {
  const l = table[code];
  return l ? [l.zh, l.en] : [words(code), ''];
}
/** "中文 English" as one string (for charts and tooltips). */
export const text = (table, code) => label(table, code).filter(Boolean).join(' ');

const ERRORS = {
  ROLE_REQUIRED: L('您的角色不能执行此操作', 'Your role may not do this'),
  BAD_SIGNATURE: L('签名无效', 'The signature does not verify'),
  UNKNOWN_KEY: L('未注册的密钥', 'This key is not registered'),
  KEY_REVOKED: L('密钥已注销', 'This key was revoked'),
  SIGNED_OUT: L('请先登录', 'Sign in first'),
  RECON_NO_RUN: L('尚未对账', 'No reconciliation has run yet'),
  INSUFFICIENT_FUNDS: L('余额不足', 'Insufficient funds'),
  NOT_PROGRAM_READER: L('无权查看该项目', 'You may not read this program'),
  NOT_ACCOUNT_READER: L('无权查看该账户', 'You may not read this account'),
  NOT_TX_READER: L('无权查看该交易的签名请求', 'You may not read this transaction’s request'),
  MERCHANT_NOT_FROZEN: L('需先冻结商户', 'Freeze the merchant first'),
  NOTHING_PENDING: L('没有待签收的请求', 'Nothing waits for you here'),
};

/** [zh, en] for an error (ApiError or other). */
export function errorText(err) {
  const code = err?.code;
  const message = String(err?.message ?? err ?? '').replace(/^[A-Z_]+: /, '');
  const known = code ? ERRORS[code] : undefined;
  if (known) return [known.zh, `${known.en}. ${message}`];
  return [code ? `出错了 (${words(code)})` : '出错了', message];
}
