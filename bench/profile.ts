/** CPU profiles of measured runs (BENCH_PROFILE), to find where a transaction's time goes. */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

/**
 * BENCH_PROFILE=<dir>: `<dir>/<name>.cpuprofile`, a CPU profile of the event loop (not the verifier workers) during the
 * measured run, for Chrome DevTools or `node --cpu-prof`-style analysis.
 */
export async function profileTo(dir: string | undefined, name: string): Promise<() => Promise<void>> {
  if (!dir) return () => Promise.resolve();
  const file = path.join(dir, `${name}.cpuprofile`);
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
