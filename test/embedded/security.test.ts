import { expect } from 'chai';
import { ClientIdentity } from 'fabric-shim';
import { verify } from '../../chaincode/lib/gm';
import { createCa, issueCertificate, parseCertificate, publicKeyOfCertificate } from '../../network/embedded/ca';
import { makeClient, openTestEngine, proposal } from './fixtures';

describe('embedded engine: submitters and certificates', function () {
  this.timeout(20000);

  it('issues SM2 certificates that fabric-shim ClientIdentity parses', () => {
    const ca = createCa('Org2MSP');
    const c = makeClient(ca, '张三', 'admin');
    const stub = {
      getCreator: () => ({ mspid: 'Org2MSP', idBytes: Buffer.from(c.certPem) }),
      getChannelID: () => 'ch',
      getTxID: () => 'tx',
    };
    const id = new ClientIdentity(stub as never);
    expect(id.getID()).to.equal('x509::/CN=张三/OU=admin/O=Org2MSP::/CN=ca.Org2MSP/O=Org2MSP');
    expect(publicKeyOfCertificate(c.certPem)).to.equal(c.publicKey);
    const info = parseCertificate(c.certPem);
    expect(verify(ca.publicKey, info.tbs, info.signature)).to.equal(true);
    const caInfo = parseCertificate(ca.certPem);
    expect(caInfo.id).to.equal('x509::/CN=ca.Org2MSP/O=Org2MSP::/CN=ca.Org2MSP/O=Org2MSP');
    expect(() => issueCertificate(ca, { name: 'x', ou: 'client', publicKey: 'zz' })).to.throw(/public key/);
  });

  it('refuses a submitter whose certificate no channel CA issued (401 UNKNOWN_ORG)', async () => {
    const { engine, alice } = await openTestEngine();
    try {
      const rogueCa = createCa('Org1MSP'); // same name, different key: not the channel's CA
      const mallory = makeClient(rogueCa, 'alice');
      expect(await engine.submit(proposal(mallory, 'TestBank:open', ['a', '1'])).catch((e) => e)).to.include({
        code: 'UNKNOWN_ORG',
        status: 401,
      });
      const stranger = makeClient(createCa('Org9MSP'), 'bob');
      expect(await engine.evaluate(proposal(stranger, 'TestBank:balance', ['a'])).catch((e) => e)).to.include({
        code: 'UNKNOWN_ORG',
        status: 401,
      });
      // A valid cert of Org1 claimed under another MSP id is also unknown.
      const org2 = createCa('Org2MSP');
      await engine.addOrg(org2);
      const claim = proposal({ ...alice, mspId: 'Org2MSP' }, 'TestBank:open', ['a', '1']);
      expect(await engine.submit(claim).catch((e) => e)).to.include({ code: 'UNKNOWN_ORG' });
      expect(engine.height()).to.equal(0);
      expect((await engine.submit(proposal(alice, 'TestBank:open', ['a', '1']))).status).to.equal('VALID');
    } finally {
      await engine.close();
    }
  });

  it('rejects a duplicate txId, pending or committed', async () => {
    const { engine, alice } = await openTestEngine({ blockTimeoutMs: 50 });
    try {
      const p = proposal(alice, 'TestBank:open', ['a', '1']);
      const first = engine.submit(p);
      const again = await engine.submit(p).catch((e) => e);
      expect(again).to.include({ code: 'DUPLICATE_TXID', status: 409 });
      expect((await first).status).to.equal('VALID');
      expect(await engine.submit(p).catch((e) => e)).to.include({ code: 'DUPLICATE_TXID' });
      // The same nonce with other args is still the same txId.
      const replay = proposal(alice, 'TestBank:open', ['z', '1'], { nonce: p.nonce });
      expect(await engine.submit(replay).catch((e) => e)).to.include({ code: 'DUPLICATE_TXID' });
    } finally {
      await engine.close();
    }
  });

  it('persists orgs and the chain across reopen, and still checks certificates', async () => {
    const { engine, alice, dataDir } = await openTestEngine();
    await engine.submit(proposal(alice, 'TestBank:open', ['a', '5']));
    await engine.close();
    const { EmbeddedEngine } = await import('../../network/embedded/engine');
    const { TestBank } = await import('./fixtures');
    const e2 = await EmbeddedEngine.open({
      dataDir,
      contracts: [TestBank],
      verifierThreads: 0,
      syncWrites: false,
    });
    try {
      expect(e2.height()).to.equal(1);
      const r = await e2.submit(proposal(alice, 'TestBank:open', ['b', '6']));
      expect(r).to.include({ status: 'VALID', blockNumber: 1 });
      const stranger = makeClient(createCa('Org9MSP'), 'bob');
      expect(await e2.submit(proposal(stranger, 'TestBank:open', ['a', '1'])).catch((e) => e)).to.include({
        code: 'UNKNOWN_ORG',
      });
    } finally {
      await e2.close();
    }
  });
});
