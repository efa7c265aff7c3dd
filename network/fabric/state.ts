/** Which setup steps are done (net/state.json): `up` after a crash or a stop skips them. */
import * as fs from 'fs';
import * as path from 'path';
import { Layout, PeerMspId } from './layout';

export interface NetworkState {
  /** Orderers that joined the channel (process names). */
  orderersJoined: string[];
  /** Orgs whose peer joined the channel. */
  peersJoined: PeerMspId[];
  /** Package id installed on each org's peer. */
  installed: Partial<Record<PeerMspId, string>>;
  /** Orgs that approved the chaincode definition. */
  approved: PeerMspId[];
  committed: boolean;
  /** When `up` last proved a cross-org endorsement. */
  readyAt?: string;
}

function stateFile(layout: Layout): string {
  return path.join(layout.netDir, 'state.json');
}

/** The saved state, or an empty one. */
export function readState(layout: Layout): NetworkState {
  try {
    return JSON.parse(fs.readFileSync(stateFile(layout), 'utf8')) as NetworkState;
  } catch {
    return { orderersJoined: [], peersJoined: [], installed: {}, approved: [], committed: false };
  }
}

/** Save the state (atomically). */
export function writeState(layout: Layout, state: NetworkState): void {
  fs.mkdirSync(layout.netDir, { recursive: true });
  const temporary = `${stateFile(layout)}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state, null, 2) + '\n');
  fs.renameSync(temporary, stateFile(layout));
}
