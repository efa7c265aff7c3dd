/**
 * The engine benchmark on the real chaincode: `Money:transfer` between two accounts per client,
 * with the identity registry, accounts and mirrored deposits set up through the chaincode first.
 */
import { contracts } from '../chaincode';
import { mirrorMessage } from '../chaincode/core/money';
import { sign } from '../chaincode/lib/gm';
import type { OrgCa } from '../network/embedded/ca';
import type { EmbeddedEngine } from '../network/embedded/engine';
import type { Proposal } from '../network/embedded/proposal';
import { Client, makeClient, memberProposal, proposal } from '../test/embedded/fixtures';
import { benchEngine, BenchEngineOptions } from './engine';
import type { Report } from './report';

function moneyWorkload(clients: number): Required<Pick<BenchEngineOptions, 'setup' | 'makeProposal' | 'contracts'>> {
  let users: Client[] = [];
  const ok = async (engine: EmbeddedEngine, p: Proposal): Promise<void> => {
    const r = await engine.submit(p);
    if (r.status !== 'VALID') throw new Error(`setup ${p.fn} was ${r.status}`);
  };
  return {
    contracts,
    setup: async (engine, ca: OrgCa) => {
      const admin = makeClient(ca, 'admin', 'admin');
      const bank = makeClient(ca, 'bank1');
      const oracle = makeClient(ca, 'oracle1');
      users = Array.from({ length: clients }, (_, k) => makeClient(ca, `ent${k}`));
      const roles = JSON.stringify(['bank', 'oracle', 'enterprise']);
      await ok(
        engine,
        proposal(admin, 'Identity:registerOrg', ['Org1MSP', 'Bench Bank', roles, 'admin', admin.publicKey]),
      );
      const register = (c: Client, name: string, role: string): Promise<void> =>
        ok(
          engine,
          memberProposal(admin, 'Org1MSP:admin', 'Identity:registerMember', [
            name,
            JSON.stringify([role]),
            c.publicKey,
            'false',
            '',
            '',
          ]),
        );
      await register(bank, 'bank1', 'bank');
      await register(oracle, 'oracle1', 'oracle');
      await Promise.all(users.map((u, k) => register(u, `ent${k}`, 'enterprise')));
      await Promise.all(
        users.flatMap((_, k) =>
          ['x', 'y'].map((s) =>
            ok(
              engine,
              memberProposal(bank, 'Org1MSP:bank1', 'Money:openAccount', [
                `b${k}${s}`,
                'settlement',
                `Org1MSP:ent${k}`,
                `622${k}${s}`,
                '',
              ]),
            ),
          ),
        ),
      );
      await Promise.all(
        users.map((_, k) => {
          const msg = mirrorMessage({
            kind: 'deposit',
            bank: 'Org1MSP',
            account: `b${k}x`,
            offTxId: `seed${k}`,
            amount: '100000000',
            color: `dep:b${k}x`,
          });
          return ok(
            engine,
            memberProposal(oracle, 'Org1MSP:oracle1', 'Money:mirrorDeposit', [
              `b${k}x`,
              '100000000',
              `seed${k}`,
              '',
              sign(oracle.privateKey, msg, oracle.publicKey),
            ]),
          );
        }),
      );
    },
    makeProposal: (i: number): Proposal => {
      const k = i % clients;
      const flip = Math.floor(i / clients) % 2 === 1;
      const [from, to] = flip ? [`b${k}y`, `b${k}x`] : [`b${k}x`, `b${k}y`];
      return memberProposal(users[k], `Org1MSP:ent${k}`, 'Money:transfer', [`t${i}`, from, to, '1', 'bench', '']);
    },
  };
}

export async function benchMoney(report: Report): Promise<void> {
  const clients = 64;
  await benchEngine(report, { clients, txs: Number(process.env.BENCH_TXS ?? 4000), ...moneyWorkload(clients) });
}
