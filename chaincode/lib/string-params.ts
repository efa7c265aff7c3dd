/**
 * fabric-shim 2.5.8 checks each transaction parameter against a JSON schema that embeds every
 * `@Object` model of the contract's metadata, and stringifies that whole schema on every call (a
 * debug line built even when debug is off, and ajv's cache key): about 1.5 ms per transfer here.
 * A parameter whose schema is a plain `{type: 'string'}` can never fail that check and arrives as
 * its UTF-8 text either way, so such calls skip it; every other call goes through fabric-shim as
 * before. Lianjian's transactions take plain strings and check their content themselves.
 */
import { createRequire } from 'node:module';

interface ParameterMetadata {
  schema?: Record<string, unknown>;
}
type HandleParameters = (fn: { parameters?: ParameterMetadata[] }, parameters: Buffer[], prefix: string) => unknown[];

const isPlainString = (p: ParameterMetadata): boolean =>
  !!p.schema && p.schema.type === 'string' && Object.keys(p.schema).length === 1;

const shim = createRequire(require.resolve('fabric-shim/package.json'));
const DataMarshall = shim('./lib/contract-spi/datamarshall.js') as {
  prototype: { handleParameters: HandleParameters };
};
const checked = DataMarshall.prototype.handleParameters;

DataMarshall.prototype.handleParameters = function (this: unknown, fn, parameters, prefix) {
  const expected = fn.parameters;
  if (expected && expected.length === parameters.length && expected.every(isPlainString))
    return parameters.map((p) => p.toString('utf8'));
  return checked.call(this, fn, parameters, prefix);
};
