/** Demo step: merchant1's prepaid plan, approved by the regulator and bought by consumer1. */
import { CONSUMER, DEMO_PREPAID, MERCHANT, REGULATOR } from './story';
import { DemoSession, yuan } from './session';

export async function sellPlan(s: DemoSession): Promise<void> {
  let writes = 0;
  const { merchant, plan, contract } = DEMO_PREPAID;
  let m = await s.find<{ status: string }>(MERCHANT, `/v1/prepaid/merchants/${merchant}`);
  if (!m) {
    const body = {
      id: merchant,
      name: '悦动健身 Yuedong Fitness',
      category: 'fitness',
      region: 'guangdong',
      account: 'demo-merchant1-shop',
    };
    m = await s.post<{ status: string }>(MERCHANT, '/v1/prepaid/merchants', body, `demo-merchant-${merchant}`);
    writes++;
  }
  if (m.status !== 'approved') {
    await s.post(
      REGULATOR,
      `/v1/prepaid/merchants/${merchant}/review`,
      { decision: 'approve' },
      `demo-review-${merchant}`,
    );
    writes++;
  }
  if (!(await s.find(MERCHANT, `/v1/prepaid/plans/${plan}`))) {
    const body = {
      id: plan,
      merchant,
      name: '20次私教课 20 personal-training sessions',
      mode: 'per_use',
      unitPrice: '15000',
      units: 20,
      days: 180,
      coolingOffDays: 7,
    };
    await s.post(MERCHANT, '/v1/prepaid/plans', body, `demo-plan-${plan}`);
    writes++;
  }
  if (!(await s.find(CONSUMER, `/v1/prepaid/contracts/${contract}`))) {
    const body = { id: contract, plan, wallet: 'demo-consumer1-wallet', escrow: 'demo-consumer1-escrow' };
    await s.post(CONSUMER, '/v1/prepaid/contracts', body, `demo-contract-${contract}`);
    writes++;
  }
  s.done(
    `prepaid: merchant1's plan ${plan} (20 sessions × ¥150.00) approved and bought by consumer1 (contract ${contract}, ${yuan(DEMO_PREPAID.price)} locked in escrow)`,
    writes,
  );
}
