/** Input checks shared by every contract: each names the field at fault. */
import { invalid } from './errors';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Business ids (accounts, programs, bills, request ids): no separators, bounded length. */
export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_RE.test(value)) {
    throw invalid(field, `${field} must be 1-64 characters of letters, digits, '.', '_', ':' or '-'`, 'INVALID_ID');
  }
  return value;
}

export function requireText(value: unknown, field: string, max = 256, optional = false): string {
  if (optional && (value === undefined || value === null || value === '')) return '';
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(field, `${field} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function parseJson<T>(text: unknown, field: string): T {
  if (typeof text !== 'string') throw invalid(field, `${field} must be a JSON string`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw invalid(field, `${field} is not valid JSON`);
  }
}

export function requireHex(value: unknown, field: string, bytes?: number): string {
  const re = bytes ? new RegExp(`^[0-9a-f]{${bytes * 2}}$`) : /^([0-9a-f]{2})+$/;
  if (typeof value !== 'string' || !re.test(value))
    throw invalid(field, `${field} must be lowercase hex${bytes ? ` of ${bytes} bytes` : ''}`, 'INVALID_HEX');
  return value;
}

/** Non-negative safe integer from a string or number (counts, limits, page sizes). */
export function requireInt(value: unknown, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw invalid(field, `${field} must be an integer between ${min} and ${max}`);
  }
  return n;
}
