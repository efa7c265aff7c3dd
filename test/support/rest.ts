/** Short REST calls for route tests over the gateway harness (signed inject). */
import { expect } from 'chai';
import type { Harness } from '../gateway/helpers';

/** An error body as the gateway sends it. */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

/** A JSON body as tests read it: fields are read freely and checked by the assertions. */
type Body = any;

export interface Rest {
  /** Calls `method url` as `who`; expects `status` (default 200) and returns the body. */
  ok: <T = Body>(who: string, method: string, url: string, body?: unknown, status?: number) => Promise<T>;
  /** Calls and expects the error `[status, code]`; returns the error body. */
  refused: (who: string, method: string, url: string, body: unknown, error: [number, string]) => Promise<ErrorBody>;
}

/** REST helpers over the harness `get()` returns (set in a `before` hook). */
export function rest(get: () => Harness): Rest {
  return {
    async ok<T>(who: string, method: string, url: string, body?: unknown, status = 200): Promise<T> {
      const r = await get().call(who, method, url, body);
      expect(r.statusCode, `${who} ${method} ${url}: ${r.body}`).to.equal(status);
      return r.json<T>();
    },
    async refused(
      who: string,
      method: string,
      url: string,
      body: unknown,
      error: [number, string],
    ): Promise<ErrorBody> {
      const r = await get().call(who, method, url, body);
      const e = r.json<ErrorBody>();
      expect([r.statusCode, e.code], `${who} ${method} ${url}: ${r.body}`).to.deep.equal(error);
      return e;
    },
  };
}
