/**
 * A real EVM JSON-RPC node for tests: `hardhat node` as a child process on a free port, a proxy in
 * front of it that can play "node down", and deployment of the product contracts from the
 * committed artifacts (ledger/evm/artifacts, written by `npx hardhat evm-artifacts`), so nothing
 * needs a compiler at test time.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BaseContract, ContractFactory, JsonRpcProvider, Network, Wallet } from 'ethers';
import { ROOT } from './cli';

export interface EvmNode {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** The node's funded development accounts' private keys (0x hex), account #0 first. */
  keys: string[];
  /** Stops the node (SIGTERM, then SIGKILL after 5 s); resolves when it exited. */
  stop(): Promise<void>;
}

/** Options of {@link startEvmNode}. */
export interface StartEvmNodeOptions {
  /** How long to wait for the node to answer, in ms (default 60 s: hardhat loads slowly on a busy machine). */
  timeoutMs?: number;
}

/**
 * Starts `hardhat node` on a free port of 127.0.0.1 and resolves once it answers `eth_chainId`.
 * @throws Error when the node exits or does not answer within `timeoutMs`.
 */
export async function startEvmNode(options: StartEvmNodeOptions = {}): Promise<EvmNode> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/hardhat/internal/cli/cli.js'), 'node', '--hostname', '127.0.0.1', '--port', '0'],
    { cwd: ROOT, env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = (): Promise<void> => stopChild(child);
  try {
    const { url, keys } = await waitForBanner(child, timeoutMs);
    await waitForRpc(url, timeoutMs);
    return { url, keys, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function waitForBanner(child: ChildProcess, timeoutMs: number): Promise<{ url: string; keys: string[] }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let url: string | undefined;
    const timer = setTimeout(
      () => reject(new Error(`hardhat node did not start within ${timeoutMs} ms: ${out}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      url ??= /JSON-RPC server at (http:\/\/\S+?)\/?\s/.exec(out)?.[1];
      const keys = [...out.matchAll(/Private Key: (0x[0-9a-fA-F]{64})/g)].map((m) => m[1]);
      // The banner lists 20 accounts; the first few are all tests need.
      if (url && keys.length >= 5) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining the node's log so it never blocks on a full pipe
        resolve({ url, keys });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with ${code}: ${out}`));
    });
  });
}

async function waitForRpc(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`no JSON-RPC answer from ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface RpcProxy {
  /** The proxy's URL: use it instead of the node's. */
  url: string;
  /** Closes the port and drops open connections: clients see ECONNREFUSED, as with a node that is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An HTTP proxy in front of a JSON-RPC node that can be switched off and on without losing the
 * node's state (a restarted dev node would start a new chain).
 * @throws Error when it cannot listen.
 */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}/`,
    down: close,
    up: async () => void (await listen(port)),
    stop: close,
  };
}

/** The contracts whose ABI and bytecode are committed in ledger/evm/artifacts. */
export type ExportedContract = 'Witness' | 'MoneyCore' | 'Forwarder';

/** Reads a committed artifact: the ABI and creation bytecode. */
export function readArtifact(name: ExportedContract): { abi: object[]; bytecode: string } {
  const file = path.join(ROOT, 'ledger/evm/artifacts', `${name}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { abi: object[]; bytecode: string };
}

/** Options of {@link deployContract}. */
export interface DeployOptions {
  url: string;
  /** The deployer's private key (0x hex). */
  key: string;
  name: ExportedContract;
  args: unknown[];
}

/**
 * Deploys a product contract from its committed artifact through ethers; resolves once mined.
 * @throws Error when the deployment fails or reverts.
 */
export async function deployContract(options: DeployOptions): Promise<{ address: string; contract: BaseContract }> {
  const provider = await providerFor(options.url);
  const { abi, bytecode } = readArtifact(options.name);
  const factory = new ContractFactory(abi, bytecode, new Wallet(options.key, provider));
  const contract = await factory.deploy(...options.args);
  await contract.waitForDeployment();
  return { address: await contract.getAddress(), contract };
}

/** An ethers provider pinned to the node's chain (no background network detection). */
export async function providerFor(url: string): Promise<JsonRpcProvider> {
  const probe = new JsonRpcProvider(url);
  const network = await probe.getNetwork();
  probe.destroy();
  const pinned = Network.from(network.chainId);
  const provider = new JsonRpcProvider(url, pinned, { staticNetwork: pinned, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return provider;
}

/** Writes `key` to a fresh file (mode 0600) in a temporary directory, as EVM_KEY_FILE expects. */
export function writeKeyFile(key: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianjian-evm-key-'));
  const file = path.join(dir, 'evm.key');
  fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  return file;
}
