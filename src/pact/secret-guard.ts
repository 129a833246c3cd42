import { InputError } from '../errors';
import { findContractSecrets, type ContractSecret } from '../contracts/secrets';
import { jsonPointer } from '../findings';
import { redactToken } from '../redact';
import { isKnownFakeToken } from './fake-tokens';

/**
 * The last check before a contract leaves the machine: a published pact is readable by everyone
 * with access to the broker, so it may hold only visibly fake credentials (src/pact/fake-tokens.ts)
 * and never the token this suite runs with.
 */

export type SecretCode =
  | 'secret.authorization'
  | 'secret.token'
  | 'secret.bearer'
  | 'secret.hex'
  | 'secret.latitude-api-token';

/** One credential found in a contract. `received` is redacted; the value itself is never kept. */
export interface SecretFinding {
  code: SecretCode;
  title: string;
  file: string;
  /** JSON path of the value in the pact file (`$.interactions[0].request.headers.Authorization[0]`). */
  path: string;
  received: string;
}

export interface ContractText {
  /** The file as the user names it (relative to the working directory). */
  file: string;
  text: string;
}

const titles: Record<SecretCode, string> = {
  'secret.authorization': 'Authorization value that is not a known fake example',
  'secret.token': 'token attribute that is not a known fake example',
  'secret.bearer': 'Bearer credential that is not a known fake example',
  'secret.hex': 'token-shaped value (a long hex run) that is not a known fake example',
  'secret.latitude-api-token': 'the value of LATITUDE_API_TOKEN',
};

/** Every credential in the contracts that must not be published; empty when all are fake. */
export function findPublishBlockers(
  contracts: ContractText[],
  latitudeToken: string | undefined,
): SecretFinding[] {
  // A fake LATITUDE_API_TOKEN (the embedded provider's) is no secret, and the contract may use it.
  const configured = latitudeToken && !isKnownFakeToken(latitudeToken) ? latitudeToken : undefined;
  const findings: SecretFinding[] = [];
  for (const { file, text } of contracts) {
    const seen = new Set<string>();
    const add = (code: SecretCode, pointer: string, value: string) => {
      const path = pointerToPath(pointer);
      if (seen.has(path)) return; // one finding per value: a header can match several shapes
      seen.add(path);
      findings.push({ code, title: titles[code], file, path, received: redactToken(value) });
    };
    if (configured) {
      for (const pointer of pointersContaining(text, configured)) {
        add('secret.latitude-api-token', pointer, configured);
      }
    }
    for (const s of candidates(text)) {
      if (!isKnownFakeToken(s.value)) add(`secret.${s.kind}`, s.where, s.value);
    }
  }
  return findings;
}

/** Refusal to publish: exit 2, naming every file and path, never the secret itself. */
export class SecretInContractError extends InputError {
  constructor(readonly findings: SecretFinding[]) {
    const lines = findings.map((f) => `  ${f.file} ${f.path}: ${f.title} (${f.received})`);
    super(
      [
        `refusing to publish: ${findings.length} credential(s) in the contracts would become readable by everyone with access to the broker:`,
        ...lines,
        'Use visibly fake tokens in the consumer tests (see src/pact/fake-tokens.ts for the rule), regenerate the contracts, and publish again.',
      ].join('\n'),
    );
  }
}

export function assertPublishable(
  contracts: ContractText[],
  latitudeToken: string | undefined,
): void {
  const findings = findPublishBlockers(contracts, latitudeToken);
  if (findings.length) throw new SecretInContractError(findings);
}

/** The shared contract scanner, also run over base64-encoded bodies (pact v4 `encoded` content). */
function candidates(text: string): ContractSecret[] {
  const found = findContractSecrets(text);
  for (const { pointer, decoded } of encodedBodies(text)) {
    for (const s of findContractSecrets(decoded)) found.push({ ...s, where: pointer });
  }
  return found;
}

function encodedBodies(text: string): { pointer: string; decoded: string }[] {
  const out: { pointer: string; decoded: string }[] = [];
  walk(parse(text), '', (pointer, value, parent) => {
    if (
      typeof value === 'string' &&
      pointer.endsWith('/content') &&
      parent &&
      (parent as { encoded?: unknown }).encoded === 'base64'
    ) {
      out.push({ pointer, decoded: Buffer.from(value, 'base64').toString('utf8') });
    }
  });
  return out;
}

/** JSON pointers of every key or string (decoded, also inside base64 bodies) holding `secret`. */
function pointersContaining(text: string, secret: string): string[] {
  const out: string[] = [];
  const doc = parse(text);
  if (doc === undefined) return text.includes(secret) ? [''] : [];
  walk(doc, '', (pointer, value, parent, key) => {
    if (key !== undefined && key.includes(secret)) out.push(pointer);
    else if (typeof value === 'string') {
      const encoded = (parent as { encoded?: unknown } | undefined)?.encoded === 'base64';
      const plain = encoded ? Buffer.from(value, 'base64').toString('utf8') : value;
      if (value.includes(secret) || plain.includes(secret)) out.push(pointer);
    }
  });
  // Escapes JSON.parse undoes are covered above; anything else still in the raw text is caught here.
  if (!out.length && text.includes(secret)) out.push('');
  return out;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Visit = (pointer: string, value: unknown, parent: unknown, key: string | undefined) => void;

function walk(value: unknown, pointer: string, visit: Visit, parent?: unknown, key?: string) {
  visit(pointer, value, parent, key);
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${pointer}/${i}`, visit, value));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      walk(v, pointer + jsonPointer([k]), visit, value, k);
    }
  }
}

/** `/interactions/0/request/headers/Authorization` → `$.interactions[0].request.headers.Authorization`. */
export function pointerToPath(pointer: string): string {
  if (!pointer.startsWith('/')) return pointer || '$';
  return (
    '$' +
    pointer
      .slice(1)
      .split('/')
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((k) =>
        /^\d+$/.test(k)
          ? `[${k}]`
          : /^[A-Za-z_$][\w$-]*$/.test(k)
            ? `.${k}`
            : `['${k.replace(/'/g, "\\'")}']`,
      )
      .join('')
  );
}
