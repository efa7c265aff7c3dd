// The fake peer drives fabric-shim's own untyped protobuf classes (@hyperledger/fabric-protos, no typings).
/**
 * Chaincode-as-a-service pieces of network/fabric that run without a live network: each org's
 * deterministic ccaas package, Fabric's own ccaas builder (when Fabric is unpacked or FABRIC_HOME is
 * set), network.json and its loader, and the fabric-shim chaincode server driven over gRPC by a
 * minimal fake peer that speaks the peer<->chaincode protocol (REGISTER/REGISTERED/READY/TRANSACTION,
 * GET_STATE/PUT_STATE, COMPLETED).
 */
import { expect } from 'chai';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { findFabricHome } from '../../network/fabric/binaries';
import { buildPackage, connectionJson, packageFile } from '../../network/fabric/chaincode';
import { describeNetwork, writeNetworkFile } from '../../network/fabric/description';
import { FabricNetworkFileError, loadFabricNetwork } from '../../network/fabric/env';
import { CHAINCODE, Layout, PeerMspId, createLayout, layoutOptionsFromEnv } from '../../network/fabric/layout';

// the protobuf classes fabric-shim itself uses
const protos: any = createRequire(require.resolve('fabric-shim/package.json'))('@hyperledger/fabric-protos');
const { peer, common, msp } = protos;
const T = peer.ChaincodeMessage.Type;

describe('fabric: chaincode as a service (no live network needed)', function () {
  this.timeout(60_000);
  let scratch: string;
  let layout: Layout;
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lianjian-fabric-'));
    layout = createLayout({ buildDir: scratch });
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  describe('ccaas packages', () => {
    it('are byte-identical on every build, so each package id is stable', async () => {
      for (const org of layout.orgs) {
        const first = await buildPackage(layout, org);
        const bytes = fs.readFileSync(packageFile(layout, org));
        expect(await buildPackage(layout, org)).to.equal(first);
        expect(fs.readFileSync(packageFile(layout, org)).equals(bytes)).to.equal(true);
        expect(first).to.match(new RegExp(`^${CHAINCODE.label}:[0-9a-f]{64}$`));
      }
    });

    it('point each org at its own chaincode server, hence one package id per org', async () => {
      const ids = new Set<string>();
      for (const org of layout.orgs) {
        ids.add(await buildPackage(layout, org));
        const file = packageFile(layout, org);
        const list = execFileSync('tar', ['-tzf', file]).toString().trim().split('\n').sort();
        expect(list).to.deep.equal(['code.tar.gz', 'metadata.json']);
        const meta = JSON.parse(execFileSync('tar', ['-xzOf', file, 'metadata.json']).toString());
        expect(meta).to.deep.equal({ type: 'ccaas', label: CHAINCODE.label });
        const code = execFileSync('tar', ['-xzOf', file, 'code.tar.gz']);
        const conn = JSON.parse(execFileSync('tar', ['-xzOf', '-', 'connection.json'], { input: code }).toString());
        expect(conn).to.deep.equal(connectionJson(org));
        expect(conn.address).to.equal(`127.0.0.1:${org.chaincodeServerPort}`);
      }
      expect(ids.size).to.equal(3);
    });
  });

  describe("Fabric's ccaas external builder", () => {
    let dir: string;
    let builderBin: string;
    before(function () {
      const home = findFabricHome(createLayout(layoutOptionsFromEnv()));
      if (!home) this.skip(); // Fabric not unpacked yet (npm run fabric:up does it) and no FABRIC_HOME
      builderBin = path.join(home.ccaasBuilderDir, 'bin');
    });
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccaas-builder-'));
      for (const d of ['src', 'meta', 'out', 'rel']) fs.mkdirSync(path.join(dir, d));
      fs.writeFileSync(path.join(dir, 'src', 'connection.json'), JSON.stringify(connectionJson(layout.orgs[0])));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const sh = (script: string, ...args: string[]): Buffer =>
      execFileSync(
        path.join(builderBin, script),
        args.map((a) => path.join(dir, a)),
        { stdio: 'pipe' },
      );

    it('detects ccaas packages and only those', () => {
      fs.writeFileSync(path.join(dir, 'meta', 'metadata.json'), '{ "type" : "ccaas", "label": "x" }');
      expect(() => sh('detect', 'src', 'meta')).not.to.throw();
      fs.writeFileSync(path.join(dir, 'meta', 'metadata.json'), '{"type":"node","label":"x"}');
      expect(() => sh('detect', 'src', 'meta')).to.throw();
    });

    it("build + release hand the org's connection.json to the peer", () => {
      fs.writeFileSync(path.join(dir, 'meta', 'metadata.json'), '{"type":"ccaas","label":"x"}');
      sh('build', 'src', 'meta', 'out');
      sh('release', 'out', 'rel');
      const released = JSON.parse(
        fs.readFileSync(path.join(dir, 'rel', 'chaincode', 'server', 'connection.json'), 'utf8'),
      );
      expect(released.address).to.equal(`127.0.0.1:${layout.orgs[0].chaincodeServerPort}`);
    });

    it('build fails without connection.json', () => {
      fs.writeFileSync(path.join(dir, 'meta', 'metadata.json'), '{"type":"ccaas","label":"x"}');
      fs.rmSync(path.join(dir, 'src', 'connection.json'));
      expect(() => sh('build', 'src', 'meta', 'out')).to.throw(/connection\.json/);
    });
  });

  describe('network.json and env.ts', () => {
    const packageIds: Record<PeerMspId, string> = { Org1MSP: 'p:1', Org2MSP: 'p:2', Org3MSP: 'p:3' };
    const home = {
      dir: '/opt/fabric',
      source: 'FABRIC_HOME' as const,
      configDir: '/opt/fabric/config',
      ccaasBuilderDir: '/x',
    };

    it('round-trips: three orgs with their CA, admin and peer TLS CA paths, three orderers', () => {
      writeNetworkFile(layout, describeNetwork({ layout, home, packageIds }));
      const network = loadFabricNetwork({ file: layout.networkFile, checkFiles: false });
      expect(network.channel).to.equal('lianjian');
      expect(network.chaincode.endorsementPolicy).to.equal("AND('Org2MSP.peer', OR('Org1MSP.peer','Org3MSP.peer'))");
      expect(network.orgs.Org1MSP.role).to.equal('custodian-bank');
      expect(network.orgs.Org2MSP.role).to.equal('regulator');
      expect(network.orgs.Org3MSP.role).to.equal('second-bank');
      expect(network.orgs.Org3MSP.chaincode.packageId).to.equal('p:3');
      expect(network.orgs.Org2MSP.ca.keyPath).to.match(/peerOrganizations\/org2\.lianjian\.local\/ca\/priv_sk$/);
      expect(network.orgs.Org1MSP.admin.certPath).to.match(/users\/Admin@org1\.lianjian\.local\/msp\/signcerts\//);
      expect(network.orgs.Org1MSP.peer.hostnameOverride).to.equal('peer0.org1.lianjian.local');
      expect(network.orderers.map((o) => o.endpoint)).to.have.length(3);
      const endpoints = [
        ...Object.values(network.orgs).map((o) => o.peer.endpoint),
        ...network.orderers.map((o) => o.endpoint),
      ];
      expect(new Set(endpoints).size).to.equal(6);
      expect(network.peerCli.bin).to.equal('/opt/fabric/bin/peer');
    });

    it('says to run fabric:up when network.json is missing, broken or names missing files', () => {
      expect(() => loadFabricNetwork({ file: path.join(scratch, 'nope.json') })).to.throw(
        FabricNetworkFileError,
        /fabric:up/,
      );
      fs.writeFileSync(path.join(scratch, 'bad.json'), '{"formatVersion":1,"channel":"lianjian"}');
      expect(() => loadFabricNetwork({ file: path.join(scratch, 'bad.json') })).to.throw(
        FabricNetworkFileError,
        /fabric:up/,
      );
      writeNetworkFile(layout, describeNetwork({ layout, home, packageIds }));
      expect(() => loadFabricNetwork({ file: layout.networkFile })).to.throw(FabricNetworkFileError, /missing files/);
    });
  });

  describe('chaincode server (fabric-shim server mode) with a fake peer', () => {
    let server: ChildProcess | undefined;
    let work: string;
    let port: number;
    let certPem: string;

    before(async () => {
      port = await freePort();
      work = path.join(scratch, 'ccserver');
      fs.mkdirSync(path.join(work, 'module'), { recursive: true });
      // same shape as the generated module folder: package.json main -> contract file
      fs.writeFileSync(
        path.join(work, 'kv.js'),
        `'use strict';
const { Contract } = require(${JSON.stringify(require.resolve('fabric-contract-api'))});
class Kv extends Contract {
  constructor() { super('kv'); }
  async put(ctx, k, v) { await ctx.stub.putState(k, Buffer.from(v)); return ctx.clientIdentity.getMSPID() + ':' + v; }
  async get(ctx, k) { const b = await ctx.stub.getState(k); return b.toString(); }
}
module.exports.contracts = [Kv];
`,
      );
      fs.writeFileSync(
        path.join(work, 'module', 'package.json'),
        JSON.stringify({ name: 'lianjian', version: '1.0.0', main: path.join(work, 'kv.js') }),
      );
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-subj',
          '/CN=User1@org1.lianjian.local/OU=client',
          '-days',
          '1',
          '-keyout',
          path.join(work, 'key.pem'),
          '-out',
          path.join(work, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      certPem = fs.readFileSync(path.join(work, 'cert.pem'), 'utf8');
      server = spawn(
        process.execPath,
        [
          path.join(layout.root, 'node_modules', 'fabric-shim', 'cli.js'),
          'server',
          '--chaincode-address',
          `127.0.0.1:${port}`,
          '--chaincode-id',
          `${CHAINCODE.label}:test`,
          '--module-path',
          path.join(work, 'module'),
        ],
        { stdio: 'ignore', cwd: layout.root },
      );
      const end = Date.now() + 20_000;
      while (!(await portOpen(port))) {
        if (Date.now() > end || server.exitCode !== null) throw new Error('chaincode server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    after(() => {
      if (server && server.exitCode === null) server.kill('SIGKILL');
      fs.rmSync(work, { recursive: true, force: true });
    });

    it('answers the contract API metadata call (needs class-transformer with classToPlain)', async function () {
      // fabric-contract-api 2.5.8 serializes object results with class-transformer's classToPlain;
      // class-transformer 0.4.1 (what ^0.4.0 resolves to) shipped 0.5's renames and lacks it.
      const ct = createRequire(require.resolve('fabric-contract-api/package.json'))('class-transformer');
      if (typeof ct.classToPlain !== 'function') this.skip();
      const peerConn = await FakePeer.connect(port, certPem);
      try {
        const md = await peerConn.invoke(['org.hyperledger.fabric:GetMetadata']);
        expect(md.status, md.message).to.equal(200);
        expect(JSON.parse(md.payload).contracts).to.have.property('kv');
      } finally {
        peerConn.close();
      }
    });

    it('registers, then endorses put/get with state served by the peer', async () => {
      const peerConn = await FakePeer.connect(port, certPem);
      try {
        expect(peerConn.registeredAs).to.equal(`${CHAINCODE.label}:test`);
        const put = await peerConn.invoke(['kv:put', 'acct-1', '100']);
        expect(put.status).to.equal(200);
        expect(put.payload).to.equal('Org1MSP:100');
        expect(peerConn.state.get('acct-1')).to.equal('100');
        const get = await peerConn.invoke(['kv:get', 'acct-1']);
        expect(get.payload).to.equal('100');
      } finally {
        peerConn.close();
      }
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Just enough of a peer to drive a chaincode server: it holds world state in a Map. */
class FakePeer {
  readonly state = new Map<string, string>();
  registeredAs = '';
  private waiting = new Map<string, (r: { status: number; payload: string; message: string }) => void>();
  private constructor(
    private readonly client: any,
    private readonly stream: any,
    private readonly certPem: string,
  ) {}

  static connect(port: number, certPem: string): Promise<FakePeer> {
    const client = new peer.ChaincodeClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const stream = client.connect();
    const fp = new FakePeer(client, stream, certPem);
    return new Promise((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', (m: any) => {
        const type = m.getType();
        if (type === T.REGISTER) {
          fp.registeredAs = peer.ChaincodeID.deserializeBinary(m.getPayload_asU8()).getName();
          fp.send(T.REGISTERED, new Uint8Array(), '', '');
          fp.send(T.READY, new Uint8Array(), '', '');
          resolve(fp);
        } else fp.onMessage(m);
      });
    });
  }

  private send(type: number, payload: Uint8Array, txid: string, channel: string): void {
    const m = new peer.ChaincodeMessage();
    m.setType(type);
    m.setPayload(payload);
    m.setTxid(txid);
    m.setChannelId(channel);
    this.stream.write(m);
  }

  private onMessage(m: any): void {
    const type = m.getType();
    const txid = m.getTxid();
    const ch = m.getChannelId();
    if (type === T.PUT_STATE) {
      const ps = peer.PutState.deserializeBinary(m.getPayload_asU8());
      this.state.set(ps.getKey(), Buffer.from(ps.getValue_asU8()).toString());
      this.send(T.RESPONSE, new Uint8Array(), txid, ch);
    } else if (type === T.GET_STATE) {
      const gs = peer.GetState.deserializeBinary(m.getPayload_asU8());
      this.send(T.RESPONSE, Buffer.from(this.state.get(gs.getKey()) ?? ''), txid, ch);
    } else if (type === T.COMPLETED || type === T.ERROR) {
      const done = this.waiting.get(txid);
      this.waiting.delete(txid);
      if (type === T.ERROR) done?.({ status: 500, payload: '', message: Buffer.from(m.getPayload_asU8()).toString() });
      else {
        const r = peer.Response.deserializeBinary(m.getPayload_asU8());
        done?.({
          status: r.getStatus(),
          payload: Buffer.from(r.getPayload_asU8()).toString(),
          message: r.getMessage(),
        });
      }
    } else {
      this.send(T.ERROR, Buffer.from(`fake peer: unsupported message ${type}`), txid, ch);
    }
  }

  invoke(args: string[]): Promise<{ status: number; payload: string; message: string }> {
    const txid = randomBytes(16).toString('hex');
    const input = new peer.ChaincodeInput();
    input.setArgsList(args.map((a) => Buffer.from(a)));
    const m = new peer.ChaincodeMessage();
    m.setType(T.TRANSACTION);
    m.setPayload(input.serializeBinary());
    m.setTxid(txid);
    m.setChannelId('lianjian');
    m.setProposal(this.signedProposal(txid, input));
    return new Promise((resolve) => {
      this.waiting.set(txid, resolve);
      this.stream.write(m);
    });
  }

  private signedProposal(txid: string, input: any): any {
    const creator = new msp.SerializedIdentity();
    creator.setMspid('Org1MSP');
    creator.setIdBytes(Buffer.from(this.certPem));
    const sh = new common.SignatureHeader();
    sh.setCreator(creator.serializeBinary());
    sh.setNonce(randomBytes(24));
    const chh = new common.ChannelHeader();
    chh.setType(common.HeaderType.ENDORSER_TRANSACTION);
    chh.setChannelId('lianjian');
    chh.setTxId(txid);
    const header = new common.Header();
    header.setChannelHeader(chh.serializeBinary());
    header.setSignatureHeader(sh.serializeBinary());
    const spec = new peer.ChaincodeSpec();
    spec.setInput(input);
    const cis = new peer.ChaincodeInvocationSpec();
    cis.setChaincodeSpec(spec);
    const ccpp = new peer.ChaincodeProposalPayload();
    ccpp.setInput(cis.serializeBinary());
    const proposal = new peer.Proposal();
    proposal.setHeader(header.serializeBinary());
    proposal.setPayload(ccpp.serializeBinary());
    const sp = new peer.SignedProposal();
    sp.setProposalBytes(proposal.serializeBinary());
    sp.setSignature(randomBytes(64));
    return sp;
  }

  close(): void {
    this.stream.end();
    this.client.close();
  }
}
