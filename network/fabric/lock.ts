/** One fabric:up/stop/down at a time per build folder. */
import * as fs from 'fs';
import * as path from 'path';
import { Layout } from './layout';

function holderPid(lockFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Run `work` holding the build folder's lock; throws at once if another live command holds it. */
export async function withLock<T>(layout: Layout, work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(layout.lockFile), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(layout.lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = holderPid(layout.lockFile);
      if (holder !== undefined)
        throw new Error(`another fabric command (pid ${holder}) is working on ${layout.buildDir}`, { cause: error });
      fs.rmSync(layout.lockFile, { force: true }); // left by a command that died
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(layout.lockFile, { force: true });
  }
}
