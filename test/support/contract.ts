/**
 * The API contract in tests: every JSON answer a route gives is checked against the route's
 * response schema before it is serialized (fast-json-stringify would silently drop a field the
 * schema does not name), so a chaincode result that drifts from gateway/schemas fails the test.
 */
import { isDeepStrictEqual } from 'node:util';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { ResponseSample } from '../../gateway/app';
import { NAMED_SCHEMAS } from '../../gateway/schemas';

const ajv = new Ajv({ strict: false, allErrors: true });
for (const schema of NAMED_SCHEMAS) ajv.addSchema(schema);
const compiled = new WeakMap<object, ValidateFunction>();

/** Every answer that did not match its schema (also thrown, so the request fails with a 500). */
export const contractViolations: string[] = [];

/**
 * Throws when `answer` does not match the route's response schema for its status.
 * @throws Error naming the route, the status and the mismatches
 */
export function checkResponse(answer: ResponseSample): void {
  if (typeof answer.schema !== 'object' || answer.schema === null) return;
  let validate = compiled.get(answer.schema);
  if (!validate) {
    validate = ajv.compile(answer.schema);
    compiled.set(answer.schema, validate);
  }
  // What the handler returned, as JSON would carry it (no undefined, no class instances).
  const payload: unknown = answer.payload === undefined ? undefined : JSON.parse(JSON.stringify(answer.payload));
  if (!validate(payload)) {
    const problems = (validate.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
      .join('; ');
    refuse(`${answer.method} ${answer.url} ${answer.status} answered off its schema: ${problems}`);
  }
  if (answer.serialized !== undefined && !isDeepStrictEqual(JSON.parse(answer.serialized), payload)) {
    refuse(`${answer.method} ${answer.url} ${answer.status} lost data in serialization: ${answer.serialized}`);
  }
}

/** @throws Error with `line`, after recording it. */
function refuse(line: string): never {
  contractViolations.push(line);
  process.stderr.write(`contract: ${line}\n`);
  throw new Error(line);
}
