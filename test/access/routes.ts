/**
 * Who is party to each route of the API, for Org1's data (docs/access.md): one entry per
 * operation of /openapi.json, keyed `METHOD /path/{param}`. A route without an entry fails the
 * matrix, so a new route is covered the day it appears. The businesses' routes (bills, prepaid,
 * supervision) are in routes-business.ts.
 *
 * `real` names Org1's data; `missing` the same request naming ids that do not exist (a non-party
 * must get the same answer for both). `view` marks routes that answer everyone who may call them
 * with what they may see, and says what a non-party must not see.
 */
import { mirrorMessage } from '../../chaincode/core/money';
import { sign } from '../../chaincode/lib/gm';
import {
  accountOf,
  admins,
  anyone,
  BANK1,
  Context,
  COURT,
  ENT1,
  ENT2,
  get,
  is,
  mandate,
  MISSING,
  noOrg1Data,
  or,
  ORACLE1,
  ownTransactionsOnly,
  post,
  REG,
  RouteCase,
  withRole,
} from './parties';
import { businessCases } from './routes-business';
import type { Who } from './world';

export type { Context, Request, RouteCase } from './parties';

/** Org1's data: the routes and the parties to them. */
export function routeCases(c: Context): Record<string, RouteCase> {
  const { ids, fresh } = c;
  const attestation = (w: Who, kind: 'deposit' | 'withdrawal', account: string, offTxId: string): string => {
    const k = c.key(w.mspId ? w.handle : ORACLE1); // anonymous: any valid attestation
    const color = kind === 'deposit' ? `dep:${account}` : '';
    return sign(
      k.sm2.privateKey,
      mirrorMessage({ kind, bank: w.mspId, account, offTxId, amount: '1', color }),
      k.sm2.publicKey,
    );
  };
  const mirror = (kind: 'deposit' | 'withdrawal', account: string) => (w: Who) => {
    const offTxId = fresh('mx-off');
    const url = kind === 'deposit' ? '/v1/mirror/deposits' : '/v1/mirror/withdrawals';
    return { url, body: { account, amount: '1', offTxId, attestation: attestation(w, kind, account, offTxId) } };
  };
  const reason = { reason: 'matrix' };

  return {
    // ---- public
    'GET /healthz': { parties: anyone, real: get('/healthz') },
    'GET /readyz': { parties: anyone, real: get('/readyz') },
    'GET /v1/gateway-key': { parties: anyone, real: get('/v1/gateway-key') },

    // ---- accounts
    // Any bank opens an account; for another org's member it stays pending until the member consents.
    'POST /v1/accounts': {
      parties: withRole('bank'),
      real: () => ({
        url: '/v1/accounts',
        body: { id: fresh('mx-acct'), kind: 'wallet', owner: ENT1, offChainRef: 'matrix' },
      }),
      missing: () => ({
        url: '/v1/accounts',
        body: { id: fresh('mx-acct'), kind: 'wallet', owner: 'Org1MSP:nobody', offChainRef: 'matrix' },
      }),
    },
    'GET /v1/accounts': {
      parties: or(is(ENT1, BANK1), mandate),
      real: get(`/v1/accounts?owner=${ENT1}`),
      missing: get('/v1/accounts?owner=Org1MSP:nobody'),
      view: noOrg1Data,
    },
    'POST /v1/accounts/{id}/freeze': {
      parties: is(REG, COURT), // a court under its order
      real: post('/v1/accounts/demo-ent1-main/freeze', reason),
      missing: post(`/v1/accounts/${MISSING}/freeze`, reason),
    },
    'POST /v1/accounts/{id}/unfreeze': {
      parties: is(REG, COURT),
      real: post('/v1/accounts/demo-ent1-main/unfreeze', reason),
      missing: post(`/v1/accounts/${MISSING}/unfreeze`, reason),
    },
    'POST /v1/accounts/{id}/close': {
      parties: is(BANK1),
      real: post('/v1/accounts/demo-ent1-main/close'),
      missing: post(`/v1/accounts/${MISSING}/close`),
    },
    'POST /v1/accounts/{id}/consent': {
      parties: is(ENT1),
      readers: accountOf(ENT1),
      real: post('/v1/accounts/demo-ent1-main/consent', { decision: 'accept' }),
      missing: post(`/v1/accounts/${MISSING}/consent`, { decision: 'accept' }),
    },
    'GET /v1/accounts/{id}': {
      parties: accountOf(ENT1),
      real: get('/v1/accounts/demo-ent1-main'),
      missing: get(`/v1/accounts/${MISSING}`),
    },
    'GET /v1/accounts/{id}/balance': {
      parties: accountOf(ENT1),
      real: get('/v1/accounts/demo-ent1-main/balance'),
      missing: get(`/v1/accounts/${MISSING}/balance`),
    },
    'GET /v1/accounts/{id}/history': {
      parties: accountOf(ENT1),
      real: get('/v1/accounts/demo-ent1-main/history'),
      missing: get(`/v1/accounts/${MISSING}/history`),
    },

    // ---- transfers and mirrors
    'POST /v1/transfers': {
      parties: is(ENT1),
      readers: accountOf(ENT1), // of the paying account
      real: () => ({
        url: '/v1/transfers',
        body: { id: fresh('mx-tx'), from: 'demo-ent1-main', to: 'demo-ent2-main', amount: '1', purpose: 'matrix' },
      }),
      missing: () => ({
        url: '/v1/transfers',
        body: { id: fresh('mx-tx'), from: MISSING, to: 'demo-ent2-main', amount: '1', purpose: 'matrix' },
      }),
    },
    'GET /v1/transfers/{id}': {
      parties: accountOf(ENT1, ENT2),
      real: get('/v1/transfers/demo-tx-1'),
      missing: get(`/v1/transfers/${MISSING}`),
    },
    'POST /v1/mirror/deposits': {
      parties: is(ORACLE1),
      real: mirror('deposit', 'demo-ent1-main'),
      missing: mirror('deposit', MISSING),
    },
    'POST /v1/mirror/withdrawals': {
      parties: is(ORACLE1),
      real: mirror('withdrawal', 'demo-ent1-main'),
      missing: mirror('withdrawal', MISSING),
    },

    // ---- tracing and audit
    'GET /v1/trace/backward/{account}': {
      parties: accountOf(ENT2),
      real: get('/v1/trace/backward/demo-ent2-main'),
      missing: get(`/v1/trace/backward/${MISSING}`),
    },
    'GET /v1/trace/forward/{bank}/{offTxId}': {
      parties: or(is(BANK1), mandate),
      real: get('/v1/trace/forward/Org1MSP/demo-dep-ent1'),
      missing: get(`/v1/trace/forward/Org1MSP/${MISSING}`),
    },
    'GET /v1/totals': { parties: mandate, real: get('/v1/totals') },

    // ---- identity and the ledger
    'GET /v1/me': { parties: anyone, real: get('/v1/me') },
    'GET /v1/members/{handle}': { parties: anyone, real: get(`/v1/members/${ENT1}`) }, // the consortium's directory
    'GET /v1/height': { parties: anyone, real: get('/v1/height') },
    // Where the ledger is anchored on the EVM witness: a block header's hash, for every member.
    'GET /v1/witness': { parties: anyone, real: get('/v1/witness') },
    // Regulators and auditors see whole blocks; everyone else the headers and its own transactions.
    'GET /v1/blocks/{n}': {
      parties: mandate,
      real: () => ({ url: `/v1/blocks/${ids.block}` }),
      view: ownTransactionsOnly,
    },
    'GET /v1/blocks': { parties: mandate, real: get('/v1/blocks?from=0&limit=100'), view: ownTransactionsOnly },
    'GET /v1/transactions/{txId}': {
      parties: or(is(ENT1), mandate),
      real: () => ({ url: `/v1/transactions/${ids.txId}` }),
      missing: get(`/v1/transactions/${'ab'.repeat(32)}`),
    },
    'GET /v1/transactions/{txId}/intent': {
      parties: or(is(ENT1), mandate),
      real: () => ({ url: `/v1/transactions/${ids.txId}/intent` }),
      missing: get(`/v1/transactions/${'ab'.repeat(32)}/intent`),
    },
    'GET /v1/events': {
      parties: accountOf(ENT1),
      stream: true,
      real: get('/v1/events?account=demo-ent1-main'),
      missing: get(`/v1/events?account=${MISSING}`),
      view: noOrg1Data,
    },
    'POST /v1/orgs': {
      parties: is(REG),
      real: () => ({
        url: '/v1/orgs',
        body: {
          mspId: fresh('MxOrg').replace(/[^A-Za-z0-9]/g, ''),
          name: 'matrix',
          roles: ['bank'],
          admin: { name: 'admin', publicKey: c.key(ENT1).sm2.publicKey },
        },
      }),
    },
    'GET /v1/orgs': { parties: anyone, real: get('/v1/orgs') },
    'POST /v1/members': {
      parties: admins,
      real: () => ({
        url: '/v1/members',
        body: { name: fresh('mx-m'), roles: [], publicKey: c.key(ENT1).sm2.publicKey },
      }),
    },
    'POST /v1/members/{handle}/revoke': {
      parties: is('Org1MSP:admin'),
      real: post(`/v1/members/${ENT2}/revoke`, reason),
    },
    'GET /v1/orgs/{mspId}/members': {
      parties: is('Org1MSP:admin', REG),
      real: get('/v1/orgs/Org1MSP/members'),
      missing: get('/v1/orgs/Org9MSP/members'),
    },

    // ---- the bank's books and reconciliation (Org1MSP's: BOOKS_BANK)
    'POST /v1/books/accounts': {
      parties: is(BANK1),
      real: () => ({ url: '/v1/books/accounts', body: { id: fresh('mx-book'), holder: 'matrix' } }),
    },
    'GET /v1/books/accounts/{id}': {
      parties: is(BANK1),
      real: get('/v1/books/accounts/core-demo-ent1'),
      missing: get(`/v1/books/accounts/${MISSING}`),
    },
    'POST /v1/books/deposits': {
      parties: is(BANK1),
      real: () => ({ url: '/v1/books/deposits', body: { ref: fresh('mx-d'), account: 'core-demo-ent1', amount: '1' } }),
      missing: () => ({ url: '/v1/books/deposits', body: { ref: fresh('mx-d'), account: MISSING, amount: '1' } }),
    },
    'POST /v1/books/withdrawals': {
      parties: is(BANK1),
      real: () => ({
        url: '/v1/books/withdrawals',
        body: { ref: fresh('mx-w'), account: 'core-demo-ent1', amount: '1' },
      }),
      missing: () => ({ url: '/v1/books/withdrawals', body: { ref: fresh('mx-w'), account: MISSING, amount: '1' } }),
    },
    'POST /v1/books/transfers': {
      parties: is(BANK1),
      real: () => ({
        url: '/v1/books/transfers',
        body: { ref: fresh('mx-t'), from: 'core-demo-ent1', to: 'core-demo-ent2', amount: '1' },
      }),
      missing: () => ({
        url: '/v1/books/transfers',
        body: { ref: fresh('mx-t'), from: MISSING, to: 'core-demo-ent2', amount: '1' },
      }),
    },
    'GET /v1/recon/cases': { parties: or(is(BANK1), mandate), real: get('/v1/recon/cases') },
    'GET /v1/recon/runs': { parties: or(is(BANK1), mandate), real: get('/v1/recon/runs') },
    'GET /v1/recon/runs/{runId}/report': {
      parties: or(is(BANK1), mandate),
      real: () => ({ url: `/v1/recon/runs/${ids.runId}/report` }),
      missing: get('/v1/recon/runs/R20200101-000000-abcdef/report'),
    },
    'GET /v1/recon/cases/{id}': {
      parties: or(is(BANK1), mandate),
      real: () => ({ url: `/v1/recon/cases/${ids.caseId}` }),
      missing: get(`/v1/recon/cases/${'0'.repeat(64)}`),
    },
    'GET /v1/recon/anchors': {
      parties: or(is(BANK1), mandate),
      real: () => ({ url: `/v1/recon/anchors?day=${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}` }),
    },
    'GET /v1/recon/runs/latest': { parties: or(is(BANK1), mandate), real: get('/v1/recon/runs/latest') },
    'POST /v1/recon/runs': { parties: is(BANK1), real: post('/v1/recon/runs') },
    'POST /v1/recon/cases/{id}/resolve': {
      parties: is(BANK1),
      real: () => ({ url: `/v1/recon/cases/${ids.caseId}/resolve`, body: { resolution: 'accepted', note: 'matrix' } }),
      missing: post(`/v1/recon/cases/${'0'.repeat(64)}/resolve`, { resolution: 'accepted', note: 'matrix' }),
    },
    ...businessCases(c),
  };
}
