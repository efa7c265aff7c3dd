/**
 * The web console at /console: static files from gateway/console/ (tsc does not copy them into
 * dist/, so they are served from the source folder), plus sm-crypto-v2's and Apache ECharts'
 * browser builds at /console/vendor/. Public (no signature): the browser signs its API calls itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

// Scripts only from here, API calls only to here, no framing: the page holds a private key.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** The console's folder: next to this file when run from source, else the source folder from dist/. */
export function consoleDir(): string {
  const candidates = [
    process.env.LJ_CONSOLE_DIR,
    path.resolve(__dirname, '../console'),
    path.resolve(__dirname, '../../../gateway/console'),
    path.resolve(process.cwd(), 'gateway/console'),
  ].filter((d): d is string => !!d);
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[candidates.length - 1];
}

/** Apache ECharts' browser build (plain script; sets globalThis.echarts), served from node_modules: no CDN. */
export function echartsFile(): string {
  return path.join(path.dirname(require.resolve('echarts')), 'echarts.min.js');
}

/** sm-crypto-v2's UMD build (plain script; sets globalThis.SmCryptoV2). */
export function smCryptoFile(): string {
  return path.join(path.dirname(require.resolve('sm-crypto-v2')), 'index.umd.js');
}

const FILE_RE = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*\.[a-z]{2,4}$/;

export default function consoleRoutes(app: FastifyInstance): Promise<void> {
  const dir = consoleDir();
  const vendor = smCryptoFile();
  const charts = echartsFile();
  const send = (reply: FastifyReply, file: string) => {
    const type = TYPES[path.extname(file)];
    if (!type || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return reply.code(404).send({ code: 'NOT_FOUND', message: 'no such console file' });
    }
    return reply
      .header('content-type', type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('content-security-policy', CSP)
      .send(fs.createReadStream(file));
  };
  const opts = { config: { public: true }, schema: { hide: true } };

  app.get('/console', opts, async (_req, reply) => reply.redirect('/console/'));
  app.get('/console/', opts, async (_req, reply) => send(reply, path.join(dir, 'index.html')));
  app.get('/console/vendor/sm-crypto.js', opts, async (_req, reply) => send(reply, vendor));
  app.get('/console/vendor/echarts.js', opts, async (_req, reply) => send(reply, charts));
  app.get<{ Params: { '*': string } }>('/console/*', opts, async (req, reply) => {
    const rel = req.params['*'];
    // Names only (no '..', no dot-files): nothing outside the console folder can be named.
    if (!FILE_RE.test(rel)) return reply.code(404).send({ code: 'NOT_FOUND', message: 'no such console file' });
    return send(reply, path.join(dir, rel));
  });
  return Promise.resolve();
}
