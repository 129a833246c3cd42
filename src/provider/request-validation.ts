import type { FaultName } from './faults';
import { normalizeAllowedIp } from './ip-allowlist';
import {
  ProviderError,
  tokenNotWritable,
  validationFailed,
  ValidationProblem,
} from './jsonapi-errors';

/** Longest accepted name, in Unicode characters (code points), not bytes. */
export const MAX_NAME_LENGTH = 255;

export type WriteOperation = 'create' | 'rotate' | 'update';

/** What a valid create, rotate or update body asks for (undefined: leave as is). */
export interface KeyInput {
  name?: string;
  readOnly?: boolean;
  allowedIps?: string[];
  /** Only under the token-writable fault. */
  token?: string;
}

export type ValidationResult = { ok: true; input: KeyInput } | { ok: false; error: ProviderError };

/** Thrown on purpose by the faults that answer 500 for certain input. */
export class SimulatedCrash extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Checks a create (`create_api_key`) or rotate/update (`update_api_key`) body the way the API does:
 * 400 for writing the token, 422 VALIDATION_ERROR (every problem found, each with its pointer)
 * for the rest.
 */
export function validateKeyBody(
  body: unknown,
  op: WriteOperation,
  pathId: string | undefined,
  faults: ReadonlySet<FaultName>,
): ValidationResult {
  const problems: ValidationProblem[] = [];
  const fail = (pointer: string, attribute: string, message: string) =>
    problems.push({ pointer, attribute, message });

  if (!isObject(body) || !has(body, 'data')) {
    fail('/data', 'data', "can't be blank");
    return { ok: false, error: validationFailed(problems) };
  }
  const data = body.data;
  if (!isObject(data)) {
    fail('/data', 'data', 'must be an object');
    return { ok: false, error: validationFailed(problems) };
  }

  const attrs = has(data, 'attributes') ? data.attributes : undefined;
  if (attrs !== undefined && !isObject(attrs)) {
    fail('/data/attributes', 'attributes', 'must be an object');
    return { ok: false, error: validationFailed(problems) };
  }
  const attributes: Record<string, unknown> = attrs ?? {};
  const input: KeyInput = {};

  if (has(attributes, 'token')) {
    if (!faults.has('token-writable')) return { ok: false, error: tokenNotWritable() };
    if (typeof attributes.token === 'string' && attributes.token.length > 0) {
      input.token = attributes.token;
    }
  }

  if (!has(data, 'type') || data.type === null || data.type === '') {
    fail('/data/type', 'type', "can't be blank");
  } else if (data.type !== 'api_keys' && !(op === 'create' && faults.has('accepts-wrong-type'))) {
    fail('/data/type', 'type', 'must be api_keys');
  }

  if (op !== 'create' && has(data, 'id') && data.id !== pathId) {
    fail('/data/id', 'id', 'must match the id in the URL');
  }

  const name = attributes.name;
  const nameRequired = op === 'create' && !faults.has('accepts-missing-name');
  if (name === undefined || name === null) {
    if (nameRequired) fail('/data/attributes/name', 'name', "can't be blank");
    else if (op === 'create') input.name = '';
  } else if (typeof name !== 'string') {
    fail('/data/attributes/name', 'name', 'must be a string');
  } else if (name.trim().length === 0 && !faults.has('accepts-missing-name')) {
    fail('/data/attributes/name', 'name', "can't be blank");
  } else {
    if (faults.has('non-ascii-500') && /[^\p{ASCII}]/u.test(name)) {
      throw new SimulatedCrash('non-ASCII name (non-ascii-500 fault)');
    }
    if ([...name].length > MAX_NAME_LENGTH) {
      if (faults.has('long-name-500')) throw new SimulatedCrash('long name (long-name-500 fault)');
      fail(
        '/data/attributes/name',
        'name',
        `is too long (maximum is ${MAX_NAME_LENGTH} characters)`,
      );
    } else {
      input.name = name;
    }
  }

  if (has(attributes, 'read_only')) {
    if (typeof attributes.read_only !== 'boolean') {
      fail('/data/attributes/read_only', 'read_only', 'must be true or false');
    } else {
      input.readOnly = attributes.read_only;
    }
  }

  if (has(attributes, 'allowed_ips')) {
    const ips = attributes.allowed_ips;
    if (!Array.isArray(ips)) {
      fail(
        '/data/attributes/allowed_ips',
        'allowed_ips',
        'must be an array of IP addresses or CIDR ranges',
      );
    } else {
      const stored: string[] = [];
      ips.forEach((entry, i) => {
        const normalized = typeof entry === 'string' ? normalizeAllowedIp(entry) : undefined;
        if (normalized) stored.push(normalized);
        else if (faults.has('accepts-invalid-ips') && typeof entry === 'string') stored.push(entry);
        else {
          fail(
            `/data/attributes/allowed_ips/${i}`,
            'allowed_ips',
            `${JSON.stringify(entry)} is not an IP address or CIDR range`,
          );
        }
      });
      input.allowedIps = [...new Set(stored)];
    }
  }

  if (problems.length > 0) return { ok: false, error: validationFailed(problems) };
  return { ok: true, input };
}
