/**
 * Who is party to the businesses' routes (bills, prepaid, supervision), for Org1's data: the
 * demo's bill demo-bill-1, prepaid contract demo-c1 and supervision program demo-licheng-garden.
 * Same shape as routes.ts.
 */
import { sm3 } from '../../chaincode/lib/gm';
import {
  accountOf,
  anyone,
  BANK1,
  CON1,
  Context,
  COURT,
  ENT1,
  ENT2,
  get,
  is,
  mandate,
  MER1,
  MISSING,
  noOrg1Data,
  or,
  ORACLE1,
  post,
  REG,
  RouteCase,
  withRole,
} from './parties';
import type { Who } from './world';

export function businessCases(c: Context): Record<string, RouteCase> {
  const { ids, fresh } = c;
  const day = (months: number): string => {
    const d = new Date(Date.now() + 8 * 3600_000);
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.toISOString().slice(0, 10);
  };
  const programReaders = or(is(ENT1, BANK1, ORACLE1), mandate);
  // Courts read bills: they freeze ranges in proceedings (chaincode/bills).
  const billMembers = or(is(ENT1, ENT2, COURT), mandate);
  const bill = (action: string, body: Record<string, unknown>) => ({
    readers: billMembers,
    real: post(`/v1/bills/demo-bill-1/${action}`, body),
    missing: post(`/v1/bills/${MISSING}/${action}`, body),
  });
  const program = (suffix: string, body?: unknown) => ({
    readers: programReaders,
    real: () => ({ url: `/v1/supervision/programs/demo-licheng-garden${suffix}`, body }),
    missing: () => ({ url: `/v1/supervision/programs/${MISSING}${suffix}`, body }),
  });
  const contractParties = or(is(CON1, MER1), mandate);
  const hash = sm3('evidence');
  /** A bill the caller draws on ent1's account (payee: someone other than the caller). */
  const newBill = (w: Who, drawerAccount: string): Record<string, unknown> => ({
    pkg: fresh('mx-bill'),
    acceptor: ENT1,
    acceptorKind: 'enterprise',
    payee: w.handle === ENT2 ? ENT1 : ENT2,
    amount: '100',
    issueDate: day(0),
    maturity: day(6),
    drawerAccount,
  });
  const reason = { reason: 'matrix' };

  return {
    // ---- bills: ent1 drew demo-bill-1 on itself to ent2, who endorsed [1, 20000000] back to ent1
    'POST /v1/bills': {
      parties: is(ENT1),
      readers: accountOf(ENT1), // of the drawer's account
      real: (w) => ({ url: '/v1/bills', body: newBill(w, 'demo-ent1-main') }),
      missing: (w) => ({ url: '/v1/bills', body: newBill(w, MISSING) }),
    },
    'GET /v1/bills': {
      parties: or(is(ENT1, COURT), mandate), // courts read bills by office (they freeze ranges)
      real: get(`/v1/bills?holder=${ENT1}`),
      missing: get('/v1/bills?holder=Org1MSP:nobody'),
      view: noOrg1Data,
    },
    'POST /v1/bills/{pkg}/present-acceptance': { parties: is(ENT1), ...bill('present-acceptance', {}) },
    'POST /v1/bills/{pkg}/present-receipt': { parties: is(ENT1), ...bill('present-receipt', {}) },
    'POST /v1/bills/{pkg}/cancel': { parties: is(ENT1), ...bill('cancel', reason) },
    'POST /v1/bills/{pkg}/endorse': {
      parties: is(ENT1),
      ...bill('endorse', { from: '1', to: '100', endorsee: ENT2 }),
    },
    'POST /v1/bills/{pkg}/pledge': { parties: is(ENT1), ...bill('pledge', { from: '1', to: '100', bank: BANK1 }) },
    'POST /v1/bills/{pkg}/discount': {
      parties: is(ENT1),
      ...bill('discount', { from: '1', to: '100', bank: BANK1, rateBp: '300' }),
    },
    'POST /v1/bills/{pkg}/guarantee': {
      parties: is(ENT1),
      ...bill('guarantee', { from: '1', to: '100', guarantor: ENT2 }),
    },
    'POST /v1/bills/{pkg}/sign': { parties: is(ENT1, ENT2), ...bill('sign', { from: '1', op: 'endorse' }) },
    'POST /v1/bills/{pkg}/reject': {
      parties: is(ENT1, ENT2),
      ...bill('reject', { from: '1', op: 'endorse', reason: 'matrix' }),
    },
    'POST /v1/bills/{pkg}/revoke': { parties: is(ENT1, ENT2), ...bill('revoke', { from: '1', op: 'endorse' }) },
    'POST /v1/bills/{pkg}/release': { parties: is(ENT1), ...bill('release', { from: '1', to: '100' }) },
    'POST /v1/bills/{pkg}/present-payment': { parties: is(ENT1), ...bill('present-payment', { from: '1', to: '100' }) },
    'POST /v1/bills/{pkg}/recourse': {
      parties: is(ENT1),
      ...bill('recourse', { from: '1', to: '100', against: ENT2 }),
    },
    'POST /v1/bills/{pkg}/freeze': { parties: is(REG, COURT), ...bill('freeze', { from: '1', to: '100', ...reason }) },
    'POST /v1/bills/{pkg}/unfreeze': { parties: is(REG, COURT), ...bill('unfreeze', { from: '1', ...reason }) },
    'POST /v1/bills/{pkg}/present-due': { parties: anyone, ...bill('present-due', {}) },
    'GET /v1/bills/packages': { parties: billMembers, real: get('/v1/bills/packages'), view: noOrg1Data },
    'GET /v1/bills/inbox': {
      parties: or(is(ENT1), mandate),
      real: get(`/v1/bills/inbox?member=${ENT1}`),
      missing: get('/v1/bills/inbox?member=Org1MSP:nobody'),
      view: noOrg1Data,
    },
    'GET /v1/bills/{pkg}': {
      parties: billMembers,
      real: get('/v1/bills/demo-bill-1'),
      missing: get(`/v1/bills/${MISSING}`),
    },
    'GET /v1/bills/{pkg}/ranges': {
      parties: billMembers,
      real: get('/v1/bills/demo-bill-1/ranges'),
      missing: get(`/v1/bills/${MISSING}/ranges`),
    },
    'GET /v1/bills/{pkg}/lineage/{ticket}': {
      parties: billMembers,
      real: get('/v1/bills/demo-bill-1/lineage/1'),
      missing: get(`/v1/bills/${MISSING}/lineage/1`),
    },
    'GET /v1/bills/{pkg}/liable/{ticket}': {
      parties: billMembers,
      real: get('/v1/bills/demo-bill-1/liable/1'),
      missing: get(`/v1/bills/${MISSING}/liable/1`),
    },

    // ---- prepaid: merchant1's demo-m1 sells demo-plan-fit20; consumer1 bought demo-c1
    'POST /v1/prepaid/merchants': {
      parties: is(MER1),
      real: () => ({
        url: '/v1/prepaid/merchants',
        body: {
          id: fresh('mx-m'),
          name: 'matrix',
          category: 'fitness',
          region: 'guangdong',
          account: 'demo-merchant1-shop',
        },
      }),
    },
    'POST /v1/prepaid/merchants/{id}/review': {
      parties: is(REG),
      real: post('/v1/prepaid/merchants/demo-m1/review', { decision: 'reject', reason: 'matrix' }),
      missing: post(`/v1/prepaid/merchants/${MISSING}/review`, { decision: 'reject', reason: 'matrix' }),
    },
    'POST /v1/prepaid/merchants/{id}/freeze': {
      parties: is(REG),
      real: post('/v1/prepaid/merchants/demo-m1/freeze', reason),
      missing: post(`/v1/prepaid/merchants/${MISSING}/freeze`, reason),
    },
    'POST /v1/prepaid/merchants/{id}/refund-all': {
      parties: is(REG),
      real: post('/v1/prepaid/merchants/demo-m1/refund-all', {}),
      missing: post(`/v1/prepaid/merchants/${MISSING}/refund-all`, {}),
    },
    // Approved merchants and their plans are the catalogue consumers shop from.
    'POST /v1/prepaid/merchants/{id}/refund-all/resolve': {
      parties: is(REG),
      real: post('/v1/prepaid/merchants/demo-m1/refund-all/resolve', { contract: 'demo-c1', note: 'matrix' }),
      missing: post(`/v1/prepaid/merchants/${MISSING}/refund-all/resolve`, { contract: 'demo-c1', note: 'matrix' }),
    },
    'GET /v1/prepaid/merchants/{id}': {
      parties: withRole('regulator', 'auditor', 'merchant', 'consumer', 'bank'),
      real: get('/v1/prepaid/merchants/demo-m1'),
    },
    'GET /v1/prepaid/merchants': {
      parties: withRole('regulator', 'auditor', 'merchant', 'consumer', 'bank'),
      real: get('/v1/prepaid/merchants'),
      view: noOrg1Data,
    },
    'GET /v1/prepaid/contracts': { parties: contractParties, real: get('/v1/prepaid/contracts'), view: noOrg1Data },
    'POST /v1/prepaid/plans': {
      parties: is(MER1),
      real: () => ({
        url: '/v1/prepaid/plans',
        body: {
          id: fresh('mx-plan'),
          merchant: 'demo-m1',
          name: 'matrix',
          mode: 'per_use',
          unitPrice: '100',
          units: 2,
          days: 30,
          coolingOffDays: 7,
        },
      }),
    },
    'POST /v1/prepaid/plans/{id}/withdraw': {
      parties: is(MER1),
      real: post('/v1/prepaid/plans/demo-plan-fit20/withdraw'),
      missing: post(`/v1/prepaid/plans/${MISSING}/withdraw`),
    },
    'GET /v1/prepaid/plans/{id}': {
      parties: withRole('regulator', 'auditor', 'merchant', 'consumer', 'bank'),
      real: get('/v1/prepaid/plans/demo-plan-fit20'),
    },
    'POST /v1/prepaid/wallets/{account}/tier': {
      parties: is(BANK1),
      real: post('/v1/prepaid/wallets/demo-consumer1-wallet/tier', { tier: 2 }),
      missing: post(`/v1/prepaid/wallets/${MISSING}/tier`, { tier: 2 }),
    },
    'POST /v1/prepaid/cards': {
      parties: is(BANK1),
      real: () => ({
        url: '/v1/prepaid/cards',
        body: { card: fresh('mx-card'), account: 'demo-consumer1-wallet', publicKey: c.key(CON1).sm2.publicKey },
      }),
      missing: () => ({
        url: '/v1/prepaid/cards',
        body: { card: fresh('mx-card'), account: MISSING, publicKey: c.key(CON1).sm2.publicKey },
      }),
    },
    'POST /v1/prepaid/card-payments/sync': {
      parties: is(MER1),
      real: () => ({
        url: '/v1/prepaid/card-payments/sync',
        body: {
          payments: [
            {
              card: 'demo-card-1',
              payee: 'demo-merchant1-shop',
              amount: '1',
              counter: 2,
              time: new Date().toISOString(),
              signature: '00',
            },
          ],
        },
      }),
    },
    // The card's holder, the payee merchant and the card's bank.
    'GET /v1/prepaid/cards/{card}/payments/{counter}': {
      parties: or(is(CON1, MER1, BANK1), mandate),
      real: get('/v1/prepaid/cards/demo-card-1/payments/1'),
      missing: get(`/v1/prepaid/cards/${MISSING}/payments/1`),
    },
    'POST /v1/prepaid/contracts': {
      parties: is(CON1),
      real: () => ({
        url: '/v1/prepaid/contracts',
        body: {
          id: fresh('mx-c'),
          plan: 'demo-plan-fit20',
          wallet: 'demo-consumer1-wallet',
          escrow: 'demo-consumer1-escrow',
        },
      }),
      missing: () => ({
        url: '/v1/prepaid/contracts',
        body: { id: fresh('mx-c'), plan: 'demo-plan-fit20', wallet: MISSING, escrow: 'demo-consumer1-escrow' },
      }),
    },
    'GET /v1/prepaid/contracts/{id}': {
      parties: or(contractParties, is(BANK1)), // and the bank that keeps the escrow account
      real: get('/v1/prepaid/contracts/demo-c1'),
      missing: get(`/v1/prepaid/contracts/${MISSING}`),
    },
    'GET /v1/prepaid/contracts/{id}/refund-quote': {
      parties: or(contractParties, is(BANK1)), // and the bank that keeps the escrow account
      real: get('/v1/prepaid/contracts/demo-c1/refund-quote'),
      missing: get(`/v1/prepaid/contracts/${MISSING}/refund-quote`),
    },
    'POST /v1/prepaid/contracts/{id}/uses': {
      parties: is(MER1),
      real: post('/v1/prepaid/contracts/demo-c1/uses', { seq: 1, time: new Date().toISOString(), signature: '00' }),
      missing: post(`/v1/prepaid/contracts/${MISSING}/uses`, {
        seq: 1,
        time: new Date().toISOString(),
        signature: '00',
      }),
    },
    'POST /v1/prepaid/contracts/{id}/progress': {
      parties: is(REG, ORACLE1),
      real: post('/v1/prepaid/contracts/demo-c1/progress', { attestation: 'matrix', progressBp: 100 }),
      missing: post(`/v1/prepaid/contracts/${MISSING}/progress`, { attestation: 'matrix', progressBp: 100 }),
    },
    'POST /v1/prepaid/contracts/{id}/claim': {
      parties: is(MER1),
      real: post('/v1/prepaid/contracts/demo-c1/claim'),
      missing: post(`/v1/prepaid/contracts/${MISSING}/claim`),
    },
    'POST /v1/prepaid/contracts/{id}/refund': {
      parties: is(CON1),
      real: post('/v1/prepaid/contracts/demo-c1/refund'),
      missing: post(`/v1/prepaid/contracts/${MISSING}/refund`),
    },
    'GET /v1/prepaid/holdings': {
      parties: or(is(CON1, BANK1), mandate),
      real: get(`/v1/prepaid/holdings?consumer=${CON1}`),
      missing: get('/v1/prepaid/holdings?consumer=Org1MSP:nobody'),
      view: noOrg1Data,
    },

    // ---- supervision: regulator1's demo-licheng-garden, ent1 the supervised party, bank1 custodian
    'POST /v1/supervision/programs': {
      parties: is(REG),
      real: () => ({
        url: '/v1/supervision/programs',
        body: {
          id: fresh('mx-prog'),
          scenario: 'generic',
          title: 'matrix',
          party: ENT1,
          bank: 'Org1MSP',
          keyAmount: '100',
          policy: { approvers: [REG], required: 1 },
        },
      }),
    },
    'GET /v1/supervision/programs': {
      parties: programReaders,
      real: get('/v1/supervision/programs'),
      view: noOrg1Data,
    },
    'GET /v1/supervision/programs/{id}': { parties: programReaders, ...program('') },
    'GET /v1/supervision/programs/{id}/holders': { parties: programReaders, ...program('/holders') },
    'GET /v1/supervision/programs/{id}/wage-months': { parties: programReaders, ...program('/wage-months') },
    'POST /v1/supervision/programs/{id}/accounts': {
      parties: is(BANK1, REG),
      ...program('/accounts', { account: 'demo-ent2-main', role: 'deposit' }),
    },
    'POST /v1/supervision/programs/{id}/lines': {
      parties: is(REG),
      ...program('/lines', { line: 'mx-line', category: 'matrix', cap: '100', payees: ['demo-ent2-main'] }),
    },
    'POST /v1/supervision/programs/{id}/activate': { parties: is(REG), ...program('/activate', {}) },
    'POST /v1/supervision/programs/{id}/milestones/{milestone}/attest': {
      parties: is(REG, ORACLE1),
      ...program('/milestones/completion_filing/attest', { evidenceHash: hash }),
    },
    'POST /v1/supervision/programs/{id}/freeze': { parties: is(REG), ...program('/freeze', reason) },
    'POST /v1/supervision/programs/{id}/unfreeze': { parties: is(REG), ...program('/unfreeze', reason) },
    'POST /v1/supervision/programs/{id}/suspend': { parties: is(REG), ...program('/suspend', reason) },
    'POST /v1/supervision/programs/{id}/resume': { parties: is(REG), ...program('/resume', reason) },
    'POST /v1/supervision/programs/{id}/refunds': {
      parties: is(REG),
      ...program('/refunds', { reason: 'matrix', refunds: [{ account: 'demo-ent2-main', amount: '1' }] }),
    },
    'POST /v1/supervision/programs/{id}/close': { parties: is(REG), ...program('/close', { reportHash: hash }) },
    'POST /v1/supervision/programs/{id}/requests': {
      parties: is(ENT1),
      ...program('/requests', { line: 'construction', payee: 'demo-ent2-main', amount: '1', purpose: 'matrix' }),
    },
    'GET /v1/supervision/programs/{id}/requests': { parties: programReaders, ...program('/requests') },
    'GET /v1/supervision/programs/{id}/requests/{request}': {
      parties: programReaders,
      ...program('/requests/demo-req-1'),
    },
    'POST /v1/supervision/programs/{id}/requests/{request}/approve': {
      parties: is(REG, BANK1),
      ...program('/requests/demo-req-1/approve', { comment: 'matrix' }),
    },
    'POST /v1/supervision/programs/{id}/requests/{request}/reject': {
      parties: is(REG, BANK1),
      ...program('/requests/demo-req-1/reject', { comment: 'matrix' }),
    },
    'POST /v1/supervision/programs/{id}/requests/{request}/hold': {
      parties: is(REG),
      ...program('/requests/demo-req-1/hold', { decision: 'reject', comment: 'matrix' }),
    },
    'GET /v1/supervision/programs/{id}/off-chain-debits': { parties: programReaders, ...program('/off-chain-debits') },
    'POST /v1/supervision/programs/{id}/off-chain-debits/{entry}/resolve': {
      parties: is(REG),
      ...program(`/off-chain-debits/${MISSING}/resolve`, { note: 'matrix' }),
    },
    'POST /v1/supervision/programs/{id}/wage-sheets': {
      parties: is(ENT1),
      ...program('/wage-sheets', {
        month: '2026-01',
        sheetHash: hash,
        rows: [{ worker: hash, account: 'demo-ent2-main', amount: '1' }],
      }),
    },
    'POST /v1/supervision/programs/{id}/wage-checks': {
      parties: is(REG, ORACLE1),
      ...program('/wage-checks', { month: '2026-01' }),
    },
    'POST /v1/supervision/programs/{id}/arrears': {
      parties: is(REG),
      ...program('/arrears', { rows: [{ worker: hash, account: 'demo-ent2-main', amount: '1' }] }),
    },
    'POST /v1/supervision/programs/{id}/wage-deposit/release': {
      parties: is(REG),
      ...program('/wage-deposit/release', { toAccount: 'demo-ent1-main' }),
    },
    'POST /v1/supervision/instructions/{id}/confirm': {
      parties: is(ORACLE1),
      real: () => ({ url: `/v1/supervision/instructions/${ids.instruction}/confirm`, body: { railRef: 'matrix' } }),
      missing: post(`/v1/supervision/instructions/${MISSING}/confirm`, { railRef: 'matrix' }),
    },
    'POST /v1/supervision/instructions/{id}/fail': {
      parties: is(ORACLE1),
      real: () => ({ url: `/v1/supervision/instructions/${ids.instruction}/fail`, body: reason }),
      missing: post(`/v1/supervision/instructions/${MISSING}/fail`, reason),
    },
    'GET /v1/supervision/instructions/{id}': {
      parties: programReaders,
      real: () => ({ url: `/v1/supervision/instructions/${ids.instruction}` }),
      missing: get(`/v1/supervision/instructions/${MISSING}`),
    },
    'GET /v1/supervision/programs/{id}/instructions': { parties: programReaders, ...program('/instructions') },
    'GET /v1/supervision/programs/{id}/alerts': { parties: programReaders, ...program('/alerts') },
    'GET /v1/supervision/programs/{id}/report': { parties: programReaders, ...program('/report') },
    'GET /v1/supervision/report': {
      parties: mandate,
      real: get(`/v1/supervision/report?regulator=${REG}`),
      view: noOrg1Data,
    },
  };
}
