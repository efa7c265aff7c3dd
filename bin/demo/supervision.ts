/** Demo step: a pre-sale housing program (Putian preset), one budget line, one approved and settled release. */
import { sm3 } from '../../chaincode/lib/gm';
import { BANK, DEMO_PROGRAM, DEMO_RELEASE, ENT1, REGULATOR } from './story';
import { DemoError, DemoSession, sleep, yuan } from './session';

const P = `/v1/supervision/programs/${DEMO_PROGRAM}`;

interface Program {
  status: string;
  attested: string[];
  accounts: Record<string, string[]>;
  lines?: Array<{ line: string }>;
}

interface PaymentRequest {
  status: string;
  approvals: Array<{ approver: string }>;
  reasons?: unknown;
}

async function setUpProgram(s: DemoSession): Promise<number> {
  let writes = 0;
  let program = await s.find<Program>(REGULATOR, P);
  if (!program) {
    await s.post(
      REGULATOR,
      '/v1/supervision/programs',
      {
        id: DEMO_PROGRAM,
        scenario: 'presale_housing',
        title: '荔城花园 Licheng Garden pre-sale funds (Putian)',
        party: ENT1,
        bank: 'Org1MSP',
        keyAmount: '300000000',
        policy: { approvers: [REGULATOR, BANK], required: 1, requiredAbove: 2 },
        limits: { perPayment: '100000000', perDay: '150000000', approvalThreshold: '10000000' },
        preset: 'putian2022',
      },
      `demo-${DEMO_PROGRAM}`,
    );
    writes++;
    program = await s.as(REGULATOR).get<Program>(P);
  }
  const attached = Object.values(program.accounts).flat();
  for (const [account, role] of [
    ['demo-presale', 'supervised'],
    ['demo-presale-payout', 'payout'],
  ]) {
    if (attached.includes(account)) continue;
    await s.post(BANK, `${P}/accounts`, { account, role }, `demo-attach-${account}`);
    writes++;
  }
  if (!JSON.stringify(program).includes(`"${DEMO_RELEASE.line}"`)) {
    const line = { line: DEMO_RELEASE.line, category: '建安工程 construction and materials', cap: '150000000' };
    await s.post(REGULATOR, `${P}/lines`, { ...line, payees: [DEMO_RELEASE.payee] }, `demo-line-${DEMO_RELEASE.line}`);
    writes++;
  }
  if (program.status !== 'active') {
    await s.post(REGULATOR, `${P}/activate`, {}, `demo-activate-${DEMO_PROGRAM}`);
    writes++;
  }
  if (!(await s.as(REGULATOR).get<Program>(P)).attested.includes('permit')) {
    const evidenceHash = sm3('莆田市住建局 预售许可证 莆房预许字(2024)第001号');
    await s.post(REGULATOR, `${P}/milestones/permit/attest`, { evidenceHash }, 'demo-attest-permit');
    writes++;
  }
  return writes;
}

async function release(s: DemoSession): Promise<{ writes: number; status: string }> {
  let writes = 0;
  const R = `${P}/requests/${DEMO_RELEASE.id}`;
  let req = await s.find<PaymentRequest>(ENT1, R);
  if (!req) {
    const body = {
      id: DEMO_RELEASE.id,
      line: DEMO_RELEASE.line,
      payee: DEMO_RELEASE.payee,
      amount: DEMO_RELEASE.amount,
      purpose: '1#楼主体结构钢材 steel for building 1',
      rail: 'bank',
    };
    req = await s.post<PaymentRequest>(ENT1, `${P}/requests`, body, `demo-${DEMO_RELEASE.id}`);
    writes++;
  }
  for (const who of [REGULATOR, BANK]) {
    if (req.status !== 'pending_approval') break;
    if (req.approvals.some((a) => a.approver === who)) continue;
    const key = `demo-approve-${DEMO_RELEASE.id}-${who}`;
    req = await s.post<PaymentRequest>(who, `${R}/approve`, { comment: '同意 approved' }, key);
    writes++;
  }
  if (req.status === 'rejected') {
    throw new DemoError(`release ${DEMO_RELEASE.id} was rejected by the rules: ${JSON.stringify(req.reasons)}`);
  }
  // The bank's payout executor (inside `npm start`) pays and confirms; wait for it.
  const until = Date.now() + s.options.waitMs;
  while (req.status !== 'settled' && Date.now() < until) {
    await sleep(200);
    req = await s.as(ENT1).get<PaymentRequest>(R);
  }
  if (req.status !== 'settled') {
    s.log(`  note: release ${DEMO_RELEASE.id} is '${req.status}': the payout executor has not confirmed it yet`);
  }
  return { writes, status: req.status };
}

export async function supervise(s: DemoSession): Promise<void> {
  const programWrites = await setUpProgram(s);
  s.done(
    `supervision program ${DEMO_PROGRAM} (presale_housing, Putian preset) with budget line '${DEMO_RELEASE.line}', permit milestone attested`,
    programWrites,
  );
  const { writes, status } = await release(s);
  s.done(
    `release ${DEMO_RELEASE.id}: ${yuan(DEMO_RELEASE.amount)} to ${DEMO_RELEASE.payee}, approved by regulator1 and bank1, ${status}`,
    writes,
  );
}
