import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors';
import { parseMediaType } from '../spec/media-type';
import type { RecordedExchange } from './recorder';

/**
 * The request side of the Pact contract, read from contracts/*.json, and the comparison of what
 * an SDK really sent with it. A difference the contract's own matchers accept (or that the spec
 * documents as an alternative) is reported, not failed; one the contract would reject is a
 * failure of the SDK against the contract.
 */

export interface ContractInteraction {
  file: string;
  description: string;
  providerStates: string[];
  method: string;
  path: string;
  /** Lower-case header name → the contract's example value. */
  headers: Record<string, string>;
  /** Lower-case header name → regex the contract's matcher applies, when it has one. */
  headerRegex: Record<string, string>;
  status: number;
}

interface PactMatcher {
  match?: string;
  regex?: string;
}

/** A pact header value as text: V2 pacts hold strings, V3/V4 lists of strings. */
function pactHeaderText(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.map(String).join(', ');
  return v === undefined || v === null ? undefined : String(v);
}

function headerMatchers(rules: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!rules || typeof rules !== 'object') return out;
  const r = rules as Record<string, unknown>;
  // V3/V4: { header: { Name: { matchers: [...] } } }
  const v4 = r.header as Record<string, { matchers?: PactMatcher[] }> | undefined;
  for (const [name, rule] of Object.entries(v4 ?? {})) {
    const regex = rule?.matchers?.find((m) => m.match === 'regex')?.regex;
    if (regex) out[name.toLowerCase()] = regex;
  }
  // V2: { "$.headers.Name": { match: "regex", regex } }
  for (const [key, rule] of Object.entries(r)) {
    const m = /^\$\.headers\.(.+)$/.exec(key);
    const regex = (rule as PactMatcher | undefined)?.regex;
    if (m && regex) out[m[1].toLowerCase()] = regex;
  }
  return out;
}

/** Every HTTP interaction of every pact file in `dir`. */
export function loadContract(dir: string): ContractInteraction[] {
  if (!existsSync(dir)) throw new InputError(`no contracts directory at ${dir}.`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const out: ContractInteraction[] = [];
  for (const file of files) {
    let pact: { interactions?: unknown[] };
    try {
      pact = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as typeof pact;
    } catch (err) {
      throw new InputError(`${file} in ${dir} is not JSON: ${(err as Error).message}`);
    }
    for (const raw of pact.interactions ?? []) {
      const i = raw as {
        type?: string;
        description?: string;
        providerState?: string;
        providerStates?: Array<{ name: string }>;
        request?: {
          method?: string;
          path?: string;
          headers?: Record<string, unknown>;
          matchingRules?: unknown;
        };
        response?: { status?: number };
      };
      if (i.type && i.type !== 'Synchronous/HTTP') continue;
      if (!i.request?.method || !i.request.path) continue;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(i.request.headers ?? {})) {
        const value = pactHeaderText(v);
        if (value !== undefined) headers[k.toLowerCase()] = value;
      }
      out.push({
        file,
        description: i.description ?? '',
        providerStates:
          i.providerStates?.map((s) => s.name) ?? (i.providerState ? [i.providerState] : []),
        method: i.request.method.toUpperCase(),
        path: i.request.path,
        headers,
        headerRegex: headerMatchers(i.request.matchingRules),
        status: i.response?.status ?? 200,
      });
    }
  }
  if (out.length === 0) throw new InputError(`no HTTP interactions in the pact files of ${dir}.`);
  return out;
}

/** Ids the stub knows: one an interaction answers 2xx for, one it answers 404 for. */
export function contractKeyIds(interactions: ContractInteraction[]): {
  existing?: string;
  missing?: string;
} {
  const idOf = (i: ContractInteraction) => /^\/auth\/api_keys\/([^/?]+)/.exec(i.path)?.[1];
  const withId = interactions.filter((i) => idOf(i));
  return {
    existing: withId.map((i) => (i.status < 300 ? idOf(i) : undefined)).find(Boolean),
    missing: withId.map((i) => (i.status === 404 ? idOf(i) : undefined)).find(Boolean),
  };
}

export interface RequestDifference {
  step?: string;
  method: string;
  path: string;
  /** Stable code, e.g. `request.header.content-type`. */
  code: string;
  interaction: string;
  expected: string;
  received: string;
  /** Whether the contract's matchers (or its media-type comparison) accept what was sent. */
  contractAccepts: boolean;
  /**
   * Whether the provider's spec documents what was sent (a request media type it lists, an
   * Accept that admits the documented response type). A difference the spec documents is an
   * alternative the provider must serve, reported but not failed.
   */
  specDocuments: boolean;
  message: string;
}

/**
 * `type/subtype` of a Content-Type or an Accept range, parameters left out; a value that is no
 * media type at all is compared as it is.
 */
function mediaType(v: string | undefined): string | undefined {
  return v === undefined ? undefined : (parseMediaType(v)?.essence ?? v.trim().toLowerCase());
}

const COMPARED_HEADERS = ['content-type', 'accept', 'authorization'] as const;

/** The interactions describing a request with this method and path. */
export function interactionsFor(
  interactions: ContractInteraction[],
  method: string,
  requestPath: string,
): ContractInteraction[] {
  const p = requestPath.split('?')[0];
  return interactions.filter((i) => i.method === method && i.path === p);
}

/** What the spec documents for a request, looked up by method and concrete path. */
export interface SpecMediaTypes {
  request(method: string, path: string): string[] | undefined;
  response(method: string, path: string): string[] | undefined;
}

/** An Accept header admits a media type when one of its ranges covers it (`*\/*`, `type/*`). */
export function acceptAdmits(accept: string, mediaTypeName: string): boolean {
  const [type] = mediaTypeName.split('/');
  return accept
    .split(',')
    .map((r) => mediaType(r))
    .some((r) => r === '*/*' || r === `${type}/*` || r === mediaTypeName);
}

function documentedBySpec(
  name: (typeof COMPARED_HEADERS)[number],
  received: string | undefined,
  exchange: RecordedExchange,
  spec: SpecMediaTypes | undefined,
): boolean {
  if (!spec || received === undefined) return false;
  const path = exchange.path.split('?')[0];
  if (name === 'content-type') {
    return (spec.request(exchange.method, path) ?? []).includes(mediaType(received) ?? '');
  }
  if (name === 'accept') {
    const documented = spec.response(exchange.method, path) ?? [];
    return documented.length > 0 && documented.every((t) => acceptAdmits(received, t));
  }
  return false;
}

/** Differences between the headers an SDK sent and what the contract's interaction expects. */
export function compareWithContract(
  exchange: RecordedExchange,
  interactions: ContractInteraction[],
  spec?: SpecMediaTypes,
): RequestDifference[] {
  // The proxy keeps only the form of the credential; a placeholder of the same form is what the
  // contract's matcher is tried on.
  const authorizationValue =
    exchange.authorizationForm === 'bearer'
      ? 'Bearer placeholder0token'
      : exchange.authorizationForm === 'raw'
        ? 'placeholder0token'
        : undefined;
  let candidates = interactionsFor(interactions, exchange.method, exchange.path);
  if (candidates.length === 0) {
    // Compare with the operation's interactions even when the id differs (provider runs).
    const shape = exchange.path
      .split('?')[0]
      .replace(/\/auth\/api_keys\/[^/]+$/, '/auth/api_keys/{id}');
    candidates = interactions.filter(
      (i) =>
        i.method === exchange.method &&
        i.path.replace(/\/auth\/api_keys\/[^/]+$/, '/auth/api_keys/{id}') === shape &&
        i.status < 300,
    );
  }
  const interaction = candidates.find((i) => i.status < 300) ?? candidates[0];
  if (!interaction) return [];
  const sent: Record<string, string | undefined> = {
    'content-type': exchange.contentType,
    accept: exchange.accept,
    authorization: authorizationValue,
  };
  const out: RequestDifference[] = [];
  for (const name of COMPARED_HEADERS) {
    const expected = interaction.headers[name];
    if (expected === undefined) continue;
    const regex = interaction.headerRegex[name];
    if (name === 'authorization') {
      const expectedForm = /^bearer\s/i.test(expected) ? 'bearer' : 'raw';
      if (exchange.authorizationForm === expectedForm) continue;
      const accepts =
        exchange.authorizationForm !== 'absent' &&
        (regex && authorizationValue !== undefined
          ? new RegExp(regex).test(authorizationValue)
          : false);
      out.push({
        step: exchange.step,
        method: exchange.method,
        path: exchange.path,
        code: 'request.header.authorization.form',
        interaction: interaction.description,
        expected: expectedForm === 'bearer' ? 'Bearer <token>' : '<token>',
        received:
          exchange.authorizationForm === 'bearer'
            ? 'Bearer <token>'
            : exchange.authorizationForm === 'raw'
              ? '<token> (raw, no scheme)'
              : exchange.authorizationForm,
        contractAccepts: accepts,
        specDocuments: false,
        message: accepts
          ? `the contract's example sends ${expectedForm === 'bearer' ? 'Bearer' : 'a raw token'}; the SDK sends ${exchange.authorizationForm}, which the contract's matcher (${regex}) accepts`
          : `the SDK sends ${exchange.authorizationForm} Authorization, which the contract does not accept`,
      });
      continue;
    }
    const received = sent[name];
    const same = mediaType(received) === mediaType(expected);
    if (same) continue;
    const accepts =
      regex !== undefined && received !== undefined && new RegExp(regex).test(received);
    const documented = documentedBySpec(name, received, exchange, spec);
    out.push({
      step: exchange.step,
      method: exchange.method,
      path: exchange.path,
      code: `request.header.${name}`,
      interaction: interaction.description,
      expected: regex ? `${expected} (matcher ${regex})` : expected,
      received: received ?? '(absent)',
      contractAccepts: accepts,
      specDocuments: documented,
      message: accepts
        ? `${name} differs from the contract's example but its matcher accepts it`
        : `the contract expects ${name} ${expected}; the SDK sends ${received ?? 'none'}` +
          (documented ? ', which the spec documents as an alternative' : ''),
    });
  }
  return out;
}
