/**
 * The bench's load generator on its own thread, so the clients' TLS and parsing do not run on the
 * service's event loop (clients are elsewhere in a deployment). Sends pre-signed requests,
 * closed loop (`concurrency` clients for `seconds`) or open loop (`rate` per second).
 */
import https from 'node:https';
import { parentPort } from 'node:worker_threads';

export interface Signed {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Outcome {
  status: number;
  code?: string;
  ms: number;
}

export interface LoadJob {
  baseUrl: string;
  ca: string;
  requests: Signed[];
  /** Closed loop: clients, each sending requests k, k + clients, ... until `seconds` pass. */
  concurrency?: number;
  seconds?: number;
  /** Open loop: request n leaves at n / rate s whatever happened to the earlier ones. */
  rate?: number;
}

/** The generator's connections: keep-alive, at most this many (requests beyond wait for one). */
const SOCKETS = 512;
/** A client gives up on an answer after this long: a timeout (status 0). */
const CLIENT_TIMEOUT_MS = 10_000;

function codeOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

/** Sends one request; the time counts from when it was due, so waiting for a connection is part of it. */
function send(agent: https.Agent, baseUrl: string, r: Signed): Promise<Outcome> {
  const start = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, text = ''): void =>
      resolve({ status, code: status >= 400 ? codeOf(text) : undefined, ms: performance.now() - start });
    const req = https.request(new URL(r.url, baseUrl), {
      method: 'POST',
      headers: r.headers,
      agent,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    req.on('error', () => done(0));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => done(0));
    });
    req.end(r.body);
  });
}

async function closedLoop(agent: https.Agent, job: LoadJob): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const clients = job.concurrency ?? 1;
  const end = performance.now() + (job.seconds ?? 5) * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, k) => {
      for (let n = k; n < job.requests.length && performance.now() < end; n += clients)
        out.push(await send(agent, job.baseUrl, job.requests[n]));
    }),
  );
  return out;
}

function openLoop(agent: https.Agent, job: LoadJob): Promise<Outcome[]> {
  const start = performance.now();
  const rate = job.rate!;
  return Promise.all(
    job.requests.map(
      (r, n) =>
        new Promise<Outcome>((resolve) => {
          setTimeout(
            () => void send(agent, job.baseUrl, r).then(resolve),
            Math.max(0, (n * 1000) / rate - (performance.now() - start)),
          );
        }),
    ),
  );
}

let agent: https.Agent | undefined;
parentPort!.on('message', (job: LoadJob) => {
  agent ??= new https.Agent({ keepAlive: true, maxSockets: SOCKETS, ca: job.ca });
  const t0 = performance.now();
  void (job.rate ? openLoop(agent, job) : closedLoop(agent, job)).then((outcomes) =>
    parentPort!.postMessage({ outcomes, seconds: (performance.now() - t0) / 1000 }),
  );
});
