/** Demo step: a bill issued by ent1 to ent2, accepted and received, partly endorsed back to ent1. */
import { DEMO_BILL, ENT1, ENT2 } from './story';
import { chinaDay, DemoSession, yuan } from './session';

const B = `/v1/bills/${DEMO_BILL.pkg}`;

interface RangeMap {
  ranges: Array<{ start: number; end: number; holder: string }>;
}

interface Inbox {
  items: Array<{ pkg: string; op: string }>;
}

export async function issueBill(s: DemoSession): Promise<void> {
  let writes = 0;
  if (!(await s.find(ENT1, B))) {
    const body = {
      pkg: DEMO_BILL.pkg,
      acceptor: ENT1,
      acceptorKind: 'enterprise',
      payee: ENT2,
      amount: DEMO_BILL.amount,
      issueDate: chinaDay(),
      maturity: chinaDay(6),
      drawerAccount: 'demo-ent1-main',
    };
    await s.post(ENT1, '/v1/bills', body, 'demo-bill-register');
    writes++;
  }
  const act = async (who: string, action: string, body: { op?: string; [k: string]: unknown }): Promise<void> => {
    await s.post(who, `${B}/${action}`, body, `demo-bill-${action}-${body.op ?? ''}-${who}`);
    writes++;
  };
  // Each step runs only while the range map shows it has not happened yet.
  let map = await s.as(ENT1).get<RangeMap>(`${B}/ranges`);
  const ent2Holds = (): boolean => map.ranges.some((r) => r.holder === ENT2);
  const ent1HoldsEndorsed = (): boolean =>
    map.ranges.some((r) => r.holder === ENT1 && Number(r.start) === 1 && Number(r.end) === Number(DEMO_BILL.endorsed));
  if (!ent2Holds() && !ent1HoldsEndorsed()) {
    await act(ENT1, 'present-acceptance', {});
    await act(ENT1, 'sign', { from: '1', op: 'accept', account: 'demo-ent1-main' });
    await act(ENT1, 'present-receipt', {});
    await act(ENT2, 'sign', { from: '1', op: 'receive', account: 'demo-ent2-main' });
    map = await s.as(ENT1).get<RangeMap>(`${B}/ranges`);
  }
  if (!ent1HoldsEndorsed()) {
    const inbox = await s.as(ENT1).get<Inbox>('/v1/bills/inbox');
    const pending = inbox.items.some((i) => i.pkg === DEMO_BILL.pkg && i.op === 'endorse');
    if (!pending) await act(ENT2, 'endorse', { from: '1', to: DEMO_BILL.endorsed, endorsee: ENT1 });
    await act(ENT1, 'sign', { from: '1', op: 'endorse', account: 'demo-ent1-main' });
  }
  s.done(
    `bill ${DEMO_BILL.pkg}: ${yuan(DEMO_BILL.amount)} issued by ent1, accepted, received by ent2; ent2 endorsed ${yuan(DEMO_BILL.endorsed)} of it on (to ent1, 回头背书)`,
    writes,
  );
}
