/**
 * Acting on a set of ranges at once (16.5): the ranges a request names may lie in several of the
 * caller's holdings, adjacent or not (after splits a holder often has [1, 100] and [101, 200]).
 * `claim` finds every holding a range touches before anything is written, cuts the requested
 * parts out of each, and checks each holding; the caller then writes them in one transaction, so
 * the request applies to all the ranges or to none.
 */
import type { LianjianContext } from '../core/context';
import { sm3 } from '../lib/gm';
import { BillPackage, BillRange } from './model';
import { carveMany, Piece, Span } from './ranges';
import { findHolding, putPieces } from './store';

export interface Claim {
  holding: BillRange;
  pieces: Array<Piece<BillRange>>;
}

/**
 * The holdings covering `spans` (in ticket order) and the pieces each is cut into. Reads only:
 * every holding is found before the transaction writes anything (findHolding scans committed state).
 */
export async function claim(ctx: LianjianContext, pkg: BillPackage, spans: Span[]): Promise<Claim[]> {
  const found: Array<{ holding: BillRange; parts: Span[] }> = [];
  for (const s of spans) {
    for (let t = s.start; t <= s.end;) {
      let entry = found.find((f) => f.holding.start <= t && t <= f.holding.end);
      if (!entry) found.push((entry = { holding: await findHolding(ctx, pkg.pkg, t), parts: [] }));
      const end = Math.min(s.end, entry.holding.end);
      entry.parts.push({ start: t, end });
      t = end + 1;
    }
  }
  return found
    .sort((a, b) => a.holding.start - b.holding.start)
    .map((f) => ({ holding: f.holding, pieces: carveMany(f.holding, f.parts, pkg.splittable) }));
}

/** The parts acted on, in ticket order. */
export const partsOf = (claims: Claim[]): BillRange[] =>
  claims.flatMap((c) => c.pieces.filter((p) => p.part).map((p) => p.range));

/** Writes every holding's pieces, the parts changed by `change`; returns the parts as written. */
export async function applyClaims(
  ctx: LianjianContext,
  claims: Claim[],
  change: (part: BillRange) => BillRange,
): Promise<BillRange[]> {
  const written: BillRange[] = [];
  for (const c of claims) {
    const ranges = c.pieces.map((p) => (p.part ? change(p.range) : p.range));
    await putPieces(ctx, c.holding, ranges);
    c.pieces.forEach((p, i) => {
      if (p.part) written.push(ranges[i]);
    });
  }
  return written;
}

/** The group id of a request covering several ranges: answering one of them answers all. */
export const groupOf = (by: string, requestId: string): string => sm3(`${by}|${requestId}`).slice(0, 32);
