import type { Finding } from '../findings';
import { isKnownFakeToken } from '../pact/fake-tokens';
import { redactToken, SecretScrubber, SECRET_KEY_PATTERN } from '../redact';
import type { SpecEngine } from '../spec';
import { select } from './json-path';
import type { MatcherRule, PactFile, PactInteraction } from './pact-file';
import { findContractSecrets } from './secrets';

/**
 * A contract against the spec: every interaction a pact asks for must be one the spec lets the
 * provider honour. Each rule is a small function; every finding names its pact file, the
 * interaction and (where the rule lives in the spec) the spec location.
 */
export interface ContractFinding extends Finding {
  file: string;
  interaction: string;
}

export interface InteractionResult {
  file: string;
  interaction: string;
  /** `POST /auth/api_keys → 201`, as the pact asks. */
  exchange: string;
  operation?: string;
  findings: ContractFinding[];
  /**
   * Request-schema violations of an interaction answered with a 4xx: a contract that shows how
   * the provider rejects bad input must send bad input, so these are reported, not counted.
   */
  intendedRequestViolations: ContractFinding[];
}

export interface ContractsReport {
  spec: { source: string; version: string };
  files: Array<{ source: string; consumer: string; provider: string; skipped: string[] }>;
  interactions: InteractionResult[];
  findings: ContractFinding[];
}

const TITLES = {
  'contract.operation.unknown': 'The spec has no operation for this method and path',
  'contract.matcher.regex_example': 'A matcher example does not satisfy its own regex',
  'contract.matcher.regex_invalid': 'A matcher regex cannot be compiled',
  'contract.matcher.path_unresolved': 'A matcher path selects nothing in the example',
} as const;

/** Method and path exist in the spec. */
function operationExists(engine: SpecEngine, interaction: PactInteraction) {
  const { method, path } = interaction.request;
  const match = engine.matchOperation(method, path.split('?')[0]);
  if (match) return { operationId: match.operation.operationId, findings: [] as Finding[] };
  const documented = engine
    .operations()
    .map((o) => `${o.method} ${o.pathTemplate}`)
    .join(', ');
  const finding: Finding = {
    code: 'contract.operation.unknown',
    title: TITLES['contract.operation.unknown'],
    operation: '-',
    pointer: '',
    expected: documented,
    received: `${method} ${path}`,
    message: `Received ${method} ${path}; documented: ${documented}.`,
    specLocation: '#/paths',
  };
  return { operationId: undefined, findings: [finding] };
}

/** The request body (and its media type) satisfies the request schema. */
function requestMatchesSchema(engine: SpecEngine, operationId: string, i: PactInteraction) {
  return engine.validateRequest(operationId, withBodyType(i.request), i.request.body);
}

/**
 * The status is documented, or it is an error status (>= 400) and the body is a JSON:API
 * error_object (the provider documents no errors at all); the body satisfies its schema.
 */
function responseMatchesSchema(engine: SpecEngine, operationId: string, i: PactInteraction) {
  return engine.validateResponse(
    operationId,
    i.response.status,
    withBodyType(i.response),
    i.response.body,
    { undocumentedErrors: true },
  );
}

/** The pact's recorded media type counts when no Content-Type header is given. */
function withBodyType(message: PactInteraction['request'] | PactInteraction['response']) {
  const headers: Record<string, string | string[]> = { ...message.headers };
  const hasHeader = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (!hasHeader && message.body !== undefined && message.contentType) {
    headers['Content-Type'] = message.contentType;
  }
  return headers;
}

/** Every regex matcher's example (the value the pact holds at that place) satisfies the regex. */
function matcherExamplesSatisfyRegex(
  side: 'request' | 'response',
  message: PactInteraction['request'] | PactInteraction['response'],
  operation: string,
): Finding[] {
  const findings: Finding[] = [];
  let body: unknown;
  try {
    body = message.body === undefined ? undefined : JSON.parse(message.body);
  } catch {
    body = undefined;
  }
  for (const rule of message.rules) {
    for (const matcher of rule.matchers) {
      if (matcher.match !== 'regex' || typeof matcher.regex !== 'string') continue;
      const where = ruleLocation(side, rule);
      let regex: RegExp;
      try {
        regex = new RegExp(matcher.regex, 'u');
      } catch (err) {
        findings.push({
          code: 'contract.matcher.regex_invalid',
          title: TITLES['contract.matcher.regex_invalid'],
          operation,
          pointer: where,
          expected: 'a regular expression',
          received: matcher.regex,
          message: `The regex ${JSON.stringify(matcher.regex)} at ${where} does not compile: ${(err as Error).message}.`,
        });
        continue;
      }
      const examples = examplesFor(rule, message, body);
      if (examples === undefined) {
        findings.push({
          code: 'contract.matcher.path_unresolved',
          title: TITLES['contract.matcher.path_unresolved'],
          operation,
          pointer: where,
          expected: `a value at ${rule.expression || 'the path'}`,
          received: null,
          message: `The matcher at ${where} selects nothing in the pact's example, so its regex is never shown to hold.`,
        });
        continue;
      }
      for (const example of examples) {
        if (typeof example.value === 'string' && regex.test(example.value)) continue;
        // An example under Authorization or a token-like key is a credential: never shown whole.
        const shown =
          typeof example.value === 'string' && isSecretPlace(rule, example.pointer)
            ? redactToken(example.value)
            : example.value;
        findings.push({
          code: 'contract.matcher.regex_example',
          title: TITLES['contract.matcher.regex_example'],
          operation,
          pointer: `${where}${example.pointer}`,
          expected: matcher.regex,
          received: shown,
          message: `Received example ${JSON.stringify(shown)}; its matcher requires /${matcher.regex}/.`,
        });
      }
    }
  }
  return findings;
}

/** True when the value a rule selects sits under Authorization or a token-like key. */
function isSecretPlace(rule: MatcherRule, pointer: string): boolean {
  if (rule.category === 'path') return false;
  if (rule.category === 'header' || rule.category === 'query') {
    return SECRET_KEY_PATTERN.test(rule.expression);
  }
  const keys = [...rule.expression.split(/[.[\]'"]+/), ...pointer.split('/')].filter(Boolean);
  return keys.some((k) => SECRET_KEY_PATTERN.test(k));
}

function ruleLocation(side: string, rule: MatcherRule): string {
  if (rule.category === 'body') return `${side}.body`;
  if (rule.category === 'path') return `${side}.path`;
  return `${side}.${rule.category}.${rule.expression}`;
}

function examplesFor(
  rule: MatcherRule,
  message: PactInteraction['request'] | PactInteraction['response'],
  body: unknown,
): Array<{ pointer: string; value: unknown }> | undefined {
  switch (rule.category) {
    case 'body': {
      const selected = body === undefined ? [] : (select(body, rule.expression) ?? []);
      return selected.length ? selected : undefined;
    }
    case 'header': {
      const name = rule.expression.toLowerCase();
      const entry = Object.entries(message.headers).find(([k]) => k.toLowerCase() === name);
      if (!entry) return undefined;
      const values = Array.isArray(entry[1]) ? entry[1] : [entry[1]];
      return values.map((value, i) => ({ pointer: values.length > 1 ? `/${i}` : '', value }));
    }
    case 'path':
      return 'path' in message ? [{ pointer: '', value: message.path }] : undefined;
    case 'query': {
      if (!('path' in message)) return undefined;
      const query = new URLSearchParams(message.path.split('?')[1] ?? '');
      const values = query.getAll(rule.expression);
      return values.length ? values.map((value) => ({ pointer: '', value })) : undefined;
    }
  }
}

export function checkInteraction(
  engine: SpecEngine,
  file: string,
  interaction: PactInteraction,
): InteractionResult {
  const { method, path } = interaction.request;
  const exchange = `${method} ${path} → ${interaction.response.status}`;
  const found = operationExists(engine, interaction);
  const raw: Finding[] = [...found.findings];
  let requestFindings: Finding[] = [];
  const operation = found.operationId ?? '-';
  if (found.operationId) {
    requestFindings = requestMatchesSchema(engine, found.operationId, interaction);
    raw.push(...responseMatchesSchema(engine, found.operationId, interaction));
  }
  const rejected = interaction.response.status >= 400 && interaction.response.status < 500;
  if (!rejected) raw.push(...requestFindings);
  raw.push(...matcherExamplesSatisfyRegex('request', interaction.request, operation));
  raw.push(...matcherExamplesSatisfyRegex('response', interaction.response, operation));
  const named = (f: Finding): ContractFinding => ({
    ...f,
    file,
    interaction: interaction.description,
  });
  return {
    file,
    interaction: interaction.description,
    exchange,
    operation: found.operationId,
    findings: raw.map(named),
    intendedRequestViolations: rejected ? requestFindings.map(named) : [],
  };
}

/**
 * A scrubber that knows every credential the publish guard would flag in these pacts (Authorization
 * values, `token` attributes, Bearer credentials, long hex runs that are not known fakes), besides
 * the shapes every SecretScrubber recognises.
 */
export function contractScrubber(pacts: PactFile[]): SecretScrubber {
  const scrubber = new SecretScrubber();
  const texts: string[] = [];
  for (const pact of pacts) {
    for (const i of pact.interactions) {
      texts.push(JSON.stringify(i));
      // Values under a token-like query or header name, whatever their shape.
      const query = new URLSearchParams(i.request.path.split('?')[1] ?? '');
      for (const [name, value] of query) {
        if (!SECRET_KEY_PATTERN.test(name)) continue;
        scrubber.add(value);
        scrubber.add(encodeURIComponent(value));
      }
      for (const m of [i.request, i.response]) {
        for (const [name, value] of Object.entries(m.headers)) {
          if (!SECRET_KEY_PATTERN.test(name)) continue;
          for (const v of Array.isArray(value) ? value : [value]) {
            if (!isKnownFakeToken(v)) scrubber.add(v);
          }
        }
      }
      for (const m of [i.request, i.response]) if (m.body !== undefined) texts.push(m.body);
    }
  }
  for (const text of texts) {
    for (const s of findContractSecrets(text)) {
      if (isKnownFakeToken(s.value)) continue;
      scrubber.add(s.value);
      scrubber.add(s.value.replace(/^(bearer|basic|token)\s+/i, ''));
    }
  }
  return scrubber;
}

/** Checks every interaction; the report is scrubbed of every credential the pacts hold. */
export function checkContracts(engine: SpecEngine, pacts: PactFile[]): ContractsReport {
  return contractScrubber(pacts).scrubValue(checkUnscrubbed(engine, pacts));
}

function checkUnscrubbed(engine: SpecEngine, pacts: PactFile[]): ContractsReport {
  const interactions = pacts.flatMap((pact) =>
    pact.interactions.map((i) => checkInteraction(engine, pact.source, i)),
  );
  return {
    spec: { source: engine.spec.source, version: engine.version },
    files: pacts.map((p) => ({
      source: p.source,
      consumer: p.consumer,
      provider: p.provider,
      skipped: p.skipped,
    })),
    interactions,
    findings: interactions.flatMap((i) => i.findings),
  };
}
