import { AUTHORIZATION_IN_TEXT } from '../redact';
import { jsonPointer } from '../findings';

/**
 * Credential-looking values in a contract file: every Authorization header value, every `token`
 * attribute, and any `Bearer <credential>` or long hex run (Latitude.sh tokens are 36 hex
 * characters) wherever it appears. The caller decides which values are the known fake examples.
 */
export interface ContractSecret {
  kind: 'authorization' | 'token' | 'bearer' | 'hex';
  /** JSON pointer of the value, or `line N` when the file is not JSON. */
  where: string;
  value: string;
}

export { AUTHORIZATION_IN_TEXT };

const BEARER = /Bearer [A-Za-z0-9._~+/=-]{8,}/g;
// Hex runs not glued to other word characters: `fake000…` is not one, a real token is.
const HEX_RUN = /(?<![A-Za-z0-9])[0-9a-fA-F]{24,}(?![A-Za-z0-9])/g;

function scanText(text: string, where: string, out: ContractSecret[]): void {
  for (const m of text.matchAll(BEARER)) out.push({ kind: 'bearer', where, value: m[0] });
  for (const m of text.matchAll(HEX_RUN)) out.push({ kind: 'hex', where, value: m[0] });
}

function walk(value: unknown, pointer: string, key: string, out: ContractSecret[]): void {
  if (typeof value === 'string') {
    if (/^authorization$/i.test(key)) out.push({ kind: 'authorization', where: pointer, value });
    else if (key === 'token') out.push({ kind: 'token', where: pointer, value });
    scanText(value, pointer, out);
    return;
  }
  if (Array.isArray(value)) {
    // Header values are recorded as arrays: they keep the key of the header they belong to.
    value.forEach((item, i) => walk(item, `${pointer}/${i}`, key, out));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      walk(v, pointer + jsonPointer([k]), k, out);
    }
  }
}

export function findContractSecrets(text: string): ContractSecret[] {
  const out: ContractSecret[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    text.split('\n').forEach((line, i) => {
      const where = `line ${i + 1}`;
      for (const [, , scheme, credential] of line.matchAll(AUTHORIZATION_IN_TEXT)) {
        out.push({ kind: 'authorization', where, value: `${scheme ?? ''}${credential}` });
      }
      scanText(line, where, out);
    });
    return out;
  }
  walk(parsed, '', '', out);
  return out;
}
