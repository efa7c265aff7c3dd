/**
 * Violations the access matrix still finds, all of them the chaincode's: its reads and writes
 * check the caller's party and org after looking the record up (403 NOT_* for someone else's id,
 * 404 *_NOT_FOUND for a missing one), a few check business state first (422), and some are not
 * scoped at all yet (a second bank opens accounts for Org1's customers, traces its deposits and
 * reads card payments). That is issue 14 item 1's on-chain part, in progress in
 * chaincode/. The lead empties this list as that work merges: the matrix fails on a violation
 * that is not listed here, and on a listed one that no longer happens.
 * Keys: `<kind> <METHOD /route>`, with the callers it happens to.
 */
export const KNOWN: Record<string, string[]> = {
  // Org1's id: 403 NOT_ACCOUNT_READER, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak GET /v1/accounts/{id}': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_ACCOUNT_READER, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak GET /v1/accounts/{id}/balance': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_ACCOUNT_READER, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak GET /v1/accounts/{id}/history': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_ACCOUNT_READER, a missing id: 422 TRANSFER_NOT_FOUND
  'existence-leak GET /v1/transfers/{id}': [
    'Org1MSP:consumer1',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_ACCOUNT_READER, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak GET /v1/trace/backward/{account}': [
    'Org1MSP:consumer1',
    'Org1MSP:ent1',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // 200
  'non-party-allowed GET /v1/trace/forward/{bank}/{offTxId}': ['Org3MSP:bank2'],
  // Org1's id: 200, a missing id: 404 DEPOSIT_NOT_FOUND
  'existence-leak GET /v1/trace/forward/{bank}/{offTxId}': ['Org3MSP:bank2'],
  // shows demo-bill-1
  'non-party-sees GET /v1/bills': ['Org2MSP:court1'],
  // Org1's id: 403 NOT_BILL_PARTY, a missing id: 404 BILL_NOT_FOUND
  'existence-leak GET /v1/bills/{pkg}': [
    'Org1MSP:bank1',
    'Org1MSP:consumer1',
    'Org1MSP:merchant1',
    'Org1MSP:oracle1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_BILL_PARTY, a missing id: 404 BILL_NOT_FOUND
  'existence-leak GET /v1/bills/{pkg}/ranges': [
    'Org1MSP:bank1',
    'Org1MSP:consumer1',
    'Org1MSP:merchant1',
    'Org1MSP:oracle1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_BILL_PARTY, a missing id: 404 BILL_NOT_FOUND
  'existence-leak GET /v1/bills/{pkg}/lineage/{ticket}': [
    'Org1MSP:bank1',
    'Org1MSP:consumer1',
    'Org1MSP:merchant1',
    'Org1MSP:oracle1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_BILL_PARTY, a missing id: 404 BILL_NOT_FOUND
  'existence-leak GET /v1/bills/{pkg}/liable/{ticket}': [
    'Org1MSP:bank1',
    'Org1MSP:consumer1',
    'Org1MSP:merchant1',
    'Org1MSP:oracle1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // 200
  'non-party-allowed GET /v1/prepaid/cards/{card}/payments/{counter}': ['Org3MSP:bank2'],
  // Org1's id: 200, a missing id: 422 CARD_PAYMENT_NOT_FOUND
  'existence-leak GET /v1/prepaid/cards/{card}/payments/{counter}': ['Org3MSP:bank2'],
  // Org1's id: 403 NOT_CONTRACT_PARTY, a missing id: 404 CONTRACT_NOT_FOUND
  'existence-leak GET /v1/prepaid/contracts/{id}': ['Org3MSP:consumer3'],
  // Org1's id: 403 NOT_CONTRACT_PARTY, a missing id: 404 CONTRACT_NOT_FOUND
  'existence-leak GET /v1/prepaid/contracts/{id}/refund-quote': ['Org3MSP:consumer3'],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}/requests': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}/requests/{request}': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 INSTRUCTION_NOT_FOUND
  'existence-leak GET /v1/supervision/instructions/{id}': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}/instructions': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}/alerts': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}/report': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}/holders': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_READER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak GET /v1/supervision/programs/{id}/wage-months': [
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // 201
  'non-party-allowed POST /v1/accounts': ['Org3MSP:bank2'],
  // Org1's id: 201, a missing id: 404 MEMBER_NOT_FOUND
  'existence-leak POST /v1/accounts': ['Org3MSP:bank2'],
  // Org1's id: 403 NOT_ACCOUNT_OWNER, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/transfers': [
    'Org1MSP:bank1',
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org2MSP:regulator1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
  ],
  // Org1's id: 403 ORACLE_NOT_FOR_BANK, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/mirror/deposits': ['Org3MSP:oracle2'],
  // Org1's id: 403 ORACLE_NOT_FOR_BANK, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/mirror/withdrawals': ['Org3MSP:oracle2'],
  // Org1's id: 403 NOT_ACCOUNT_OWNER, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/bills': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // 422 NOT_DRAWER
  'non-party-answer POST /v1/bills/{pkg}/present-acceptance': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_DRAWER, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/present-acceptance': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // 422 NOT_DRAWER
  'non-party-answer POST /v1/bills/{pkg}/present-receipt': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_DRAWER, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/present-receipt': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // 422 NOT_DRAWER
  'non-party-answer POST /v1/bills/{pkg}/cancel': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_DRAWER, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/cancel': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // 422 NOT_HOLDER
  'non-party-answer POST /v1/bills/{pkg}/endorse': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_HOLDER, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/endorse': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // 422 NOT_HOLDER
  'non-party-answer POST /v1/bills/{pkg}/pledge': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_HOLDER, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/pledge': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // 422 NOT_HOLDER
  'non-party-answer POST /v1/bills/{pkg}/discount': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_HOLDER, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/discount': ['Org1MSP:ent2', 'Org3MSP:ent4'],
  // 422 NOT_HOLDER
  'non-party-answer POST /v1/bills/{pkg}/guarantee': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_HOLDER, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/guarantee': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // 422 NOTHING_PENDING
  'non-party-answer POST /v1/bills/{pkg}/sign': ['Org1MSP:bank1', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOTHING_PENDING, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/sign': ['Org1MSP:bank1', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // 422 NOTHING_PENDING
  'non-party-answer POST /v1/bills/{pkg}/reject': ['Org1MSP:bank1', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOTHING_PENDING, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/reject': ['Org1MSP:bank1', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // 422 NOT_PLEDGEE
  'non-party-answer POST /v1/bills/{pkg}/release': ['Org1MSP:bank1', 'Org3MSP:bank2'],
  // Org1's id: 422 NOT_PLEDGEE, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/release': ['Org1MSP:bank1', 'Org3MSP:bank2'],
  // 422 NOT_YET_DUE
  'non-party-answer POST /v1/bills/{pkg}/present-payment': [
    'Org1MSP:bank1',
    'Org1MSP:ent2',
    'Org3MSP:bank2',
    'Org3MSP:ent4',
  ],
  // Org1's id: 422 NOT_YET_DUE, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/present-payment': [
    'Org1MSP:bank1',
    'Org1MSP:ent2',
    'Org3MSP:bank2',
    'Org3MSP:ent4',
  ],
  // 422 NOT_CREDITOR
  'non-party-answer POST /v1/bills/{pkg}/recourse': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOT_CREDITOR, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/recourse': ['Org1MSP:bank1', 'Org1MSP:ent2', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 403 NOT_ACCOUNT_OWNER, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/prepaid/contracts': ['Org3MSP:consumer3'],
  // Org1's id: 403 NOT_ACCOUNT_BANK, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/prepaid/wallets/{account}/tier': ['Org3MSP:bank2'],
  // Org1's id: 403 NOT_ACCOUNT_BANK, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/prepaid/cards': ['Org3MSP:bank2'],
  // 422 WRONG_RELEASE_MODE
  'non-party-answer POST /v1/prepaid/contracts/{id}/progress': ['Org3MSP:oracle2'],
  // Org1's id: 422 WRONG_RELEASE_MODE, a missing id: 404 CONTRACT_NOT_FOUND
  'existence-leak POST /v1/prepaid/contracts/{id}/progress': ['Org3MSP:oracle2'],
  // Org1's id: 403 NOT_CONTRACT_CONSUMER, a missing id: 404 CONTRACT_NOT_FOUND
  'existence-leak POST /v1/prepaid/contracts/{id}/refund': ['Org3MSP:consumer3'],
  // Org1's id: 403 NOT_PROGRAM_REGULATOR, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak POST /v1/supervision/programs/{id}/accounts': ['Org3MSP:bank2'],
  // Org1's id: 403 NOT_ATTESTER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak POST /v1/supervision/programs/{id}/milestones/{milestone}/attest': ['Org3MSP:oracle2'],
  // Org1's id: 403 NOT_PROGRAM_PARTY, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak POST /v1/supervision/programs/{id}/requests': [
    'Org1MSP:bank1',
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
  ],
  // Org1's id: 403 NOT_APPROVER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak POST /v1/supervision/programs/{id}/requests/{request}/approve': [
    'Org1MSP:consumer1',
    'Org1MSP:ent1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org1MSP:oracle1',
    'Org2MSP:auditor1',
    'Org2MSP:court1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_APPROVER, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak POST /v1/supervision/programs/{id}/requests/{request}/reject': [
    'Org1MSP:consumer1',
    'Org1MSP:ent1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org1MSP:oracle1',
    'Org2MSP:auditor1',
    'Org2MSP:court1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
    'Org3MSP:oracle2',
  ],
  // Org1's id: 403 NOT_PROGRAM_PARTY, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak POST /v1/supervision/programs/{id}/wage-sheets': [
    'Org1MSP:bank1',
    'Org1MSP:consumer1',
    'Org1MSP:ent2',
    'Org1MSP:merchant1',
    'Org3MSP:bank2',
    'Org3MSP:consumer3',
    'Org3MSP:ent4',
  ],
  // 422 NO_WAGE_ACCOUNT
  'non-party-answer POST /v1/supervision/programs/{id}/wage-checks': ['Org3MSP:oracle2'],
  // Org1's id: 422 NO_WAGE_ACCOUNT, a missing id: 404 PROGRAM_NOT_FOUND
  'existence-leak POST /v1/supervision/programs/{id}/wage-checks': ['Org3MSP:oracle2'],
  // Org1's id: 403 ORACLE_NOT_FOR_BANK, a missing id: 404 INSTRUCTION_NOT_FOUND
  'existence-leak POST /v1/supervision/instructions/{id}/confirm': ['Org3MSP:oracle2'],
  // Org1's id: 403 ORACLE_NOT_FOR_BANK, a missing id: 404 INSTRUCTION_NOT_FOUND
  'existence-leak POST /v1/supervision/instructions/{id}/fail': ['Org3MSP:oracle2'],
  // Org1's id: 403 NOT_ACCOUNT_BANK, a missing id: 404 ACCOUNT_NOT_FOUND
  'existence-leak POST /v1/accounts/{id}/close': ['Org3MSP:bank2'],
  // 422 NOTHING_PENDING
  'non-party-answer POST /v1/bills/{pkg}/revoke': ['Org1MSP:bank1', 'Org3MSP:bank2', 'Org3MSP:ent4'],
  // Org1's id: 422 NOTHING_PENDING, a missing id: 404 BILL_NOT_FOUND
  'existence-leak POST /v1/bills/{pkg}/revoke': ['Org1MSP:bank1', 'Org3MSP:bank2', 'Org3MSP:ent4'],
};

/** `<kind> <METHOD /route> <caller>`, one per violation. */
export const KNOWN_VIOLATIONS: string[] = Object.entries(KNOWN).flatMap(([key, callers]) =>
  callers.map((caller) => `${key} ${caller}`),
);
