/** The demo's story as data: members, accounts, deposits, transfers, the program, the bill, the plan. */
export const BANK = 'Org1MSP:bank1';
export const ORACLE = 'Org1MSP:oracle1';
export const ENT1 = 'Org1MSP:ent1';
export const ENT2 = 'Org1MSP:ent2';
export const MERCHANT = 'Org1MSP:merchant1';
export const CONSUMER = 'Org1MSP:consumer1';
export const REGULATOR = 'Org2MSP:regulator1';

/** Chain accounts: id, kind, owner, off-chain ref (the book account that mirrors it). */
export const DEMO_ACCOUNTS = [
  {
    id: 'demo-ent1-main',
    kind: 'settlement',
    owner: ENT1,
    book: 'core-demo-ent1',
    holder: '闽建地产 Minjian Property (ent1)',
    holderName: '闽建地产 Minjian Property',
    system: 'bank',
  },
  {
    id: 'demo-ent2-main',
    kind: 'settlement',
    owner: ENT2,
    book: 'core-demo-ent2',
    holder: '兴化建材 Xinghua Building Supplies (ent2)',
    holderName: '兴化建材 Xinghua Building Supplies',
    system: 'bank',
  },
  {
    id: 'demo-merchant1-shop',
    kind: 'settlement',
    owner: MERCHANT,
    book: 'core-demo-merchant1',
    holder: '悦动健身 Yuedong Fitness (merchant1)',
    holderName: '悦动健身 Yuedong Fitness',
    system: 'bank',
  },
  {
    id: 'demo-consumer1-wallet',
    kind: 'wallet',
    owner: CONSUMER,
    book: 'ecny-demo-consumer1',
    holder: '林女士 Ms Lin (consumer1)',
    holderName: '林女士 Ms Lin',
    system: 'ecny',
  },
  {
    id: 'demo-consumer1-escrow',
    kind: 'escrow',
    owner: CONSUMER,
    book: '',
    holder: '',
    holderName: '林女士预付托管户',
    system: '',
  },
  {
    id: 'demo-presale',
    kind: 'supervised',
    owner: ENT1,
    book: 'core-demo-presale',
    holder: '荔城花园预售监管户 Licheng Garden pre-sale (ent1)',
    holderName: '荔城花园预售监管户',
    system: 'bank',
  },
  {
    id: 'demo-presale-payout',
    kind: 'payout',
    owner: BANK,
    book: '',
    holder: '',
    holderName: '托管行监管待付户',
    system: '',
  },
] as const;

/** Deposits posted in the bank's books (fen), mirrored on chain by the oracle. */
export const DEMO_DEPOSITS = [
  {
    ref: 'demo-dep-ent1',
    account: 'demo-ent1-main',
    amount: '200000000',
    counterparty: '闽建地产 capital injection 注资',
  },
  {
    ref: 'demo-dep-ent2',
    account: 'demo-ent2-main',
    amount: '50000000',
    counterparty: '兴化建材 sales receipts 销售回款',
  },
  {
    ref: 'demo-dep-consumer1',
    account: 'demo-consumer1-wallet',
    amount: '2000000',
    counterparty: '林女士 e-CNY top-up 充值',
  },
  {
    ref: 'demo-dep-presale',
    account: 'demo-presale',
    amount: '300000000',
    counterparty: "购房人首付款 homebuyers' down payments",
  },
] as const;

export const DEMO_TRANSFERS = [
  {
    id: 'demo-tx-1',
    who: ENT1,
    from: 'demo-ent1-main',
    to: 'demo-ent2-main',
    amount: '12000000',
    purpose: '钢材货款 steel for Licheng Garden',
  },
  {
    id: 'demo-tx-2',
    who: ENT2,
    from: 'demo-ent2-main',
    to: 'demo-merchant1-shop',
    amount: '345678',
    purpose: '员工健身福利 staff fitness benefit',
  },
  {
    id: 'demo-tx-3',
    who: ENT2,
    from: 'demo-ent2-main',
    to: 'demo-ent1-main',
    amount: '1500000',
    purpose: '退还投标保证金 bid bond returned',
  },
] as const;

export const DEMO_PROGRAM = 'demo-licheng-garden';
export const DEMO_RELEASE = {
  id: 'demo-req-1',
  line: 'construction',
  payee: 'demo-ent2-main',
  amount: '80000000',
} as const;
export const DEMO_BILL = { pkg: 'demo-bill-1', amount: '50000000', endorsed: '20000000' } as const;
export const DEMO_PREPAID = {
  merchant: 'demo-m1',
  plan: 'demo-plan-fit20',
  contract: 'demo-c1',
  price: '300000',
} as const;
/** The account to trace in the console: its money comes from three deposits and a supervised release. */
export const TRACE_ACCOUNT = 'demo-ent2-main';
