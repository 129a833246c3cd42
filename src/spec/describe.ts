import type { ErrorObject } from 'ajv';
import { Finding, jsonPointer } from '../findings';
import { redactToken, SECRET_KEY_PATTERN, SecretScrubber } from '../redact';
import { FORBIDDEN_KEYWORD } from './convert';
import { valueAtPointer } from './refs';

export interface DescribeContext {
  code: string;
  title: string;
  operation: string;
  /** Used when an error's schema cannot be mapped back to a spec location. */
  fallbackLocation: string;
  locations: WeakMap<object, string>;
  formatRules: Map<string, string>;
  direction: 'request' | 'response';
  /** A validator shared between identical inline schemas: rewrite `from…` locations to `to…`. */
  relocate?: { from: string; to: string };
}

// No configured secrets here: it still redacts Authorization values and token-shaped strings.
const scrubber = new SecretScrubber();

export { SECRET_KEY_PATTERN };

/**
 * Turns ajv errors into findings: the JSON pointer of the offending value (of the missing or
 * extra property for `required` / `additionalProperties`), the rule as a person reads it, the
 * received value (redacted when it sits under a credential key) and the spec location of the rule.
 */
export function describeErrors(
  errors: ErrorObject[],
  data: unknown,
  ctx: DescribeContext,
): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let pointer = e.instancePath;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') pointer += jsonPointer([String(params.missingProperty)]);
    if (e.keyword === 'additionalProperties') {
      pointer += jsonPointer([String(params.additionalProperty)]);
    }
    const expected = ruleOf(e, ctx);
    const dedupeKey = `${pointer}\u0000${expected}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    const raw = e.keyword === 'required' ? undefined : valueAtPointer(data, pointer);
    const received = redactAt(pointer, raw);
    const parent = e.parentSchema as object | undefined;
    const base = (parent && ctx.locations.get(parent)) || ctx.fallbackLocation;
    let specLocation =
      e.keyword === FORBIDDEN_KEYWORD ? String(params.specLocation) : `${base}/${e.keyword}`;
    const move = ctx.relocate;
    if (move && (specLocation === move.from || specLocation.startsWith(move.from + '/'))) {
      specLocation = move.to + specLocation.slice(move.from.length);
    }
    out.push({
      code: ctx.code,
      title: ctx.title,
      operation: ctx.operation,
      pointer,
      expected,
      received,
      message: `Received ${received === undefined ? 'nothing' : show(received)} at ${pointer || '(root)'}; documented: ${expected}.`,
      specLocation,
    });
  }
  return out;
}

function ruleOf(e: ErrorObject, ctx: DescribeContext): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const types = Array.isArray(p.type) ? p.type : String(p.type).split(',');
      const nonNull = types.filter((t) => t !== 'null');
      return nonNull.length < types.length
        ? `type ${nonNull.join(' or ')} or null`
        : `type ${types.join(' or ')}`;
    }
    case 'format':
      return ctx.formatRules.get(String(p.format)) ?? `format ${String(p.format)}`;
    case 'enum':
      return `one of ${JSON.stringify(p.allowedValues)}`;
    case 'const':
      return `the constant ${JSON.stringify(p.allowedValue)}`;
    case 'required':
      return `required property "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `no property "${String(p.additionalProperty)}" (additionalProperties: false)`;
    case FORBIDDEN_KEYWORD:
      return p.rule === 'readOnly'
        ? 'absent: the property is readOnly, not allowed in a request body'
        : 'absent: the property is writeOnly, not allowed in a response body';
    case 'pattern':
      return `pattern ${String(p.pattern)}`;
    case 'anyOf':
      return 'a match for at least one anyOf alternative';
    case 'oneOf':
      return 'a match for exactly one oneOf alternative';
    case 'not':
      return 'no match for the "not" schema';
    case 'false schema':
      return 'absent (the schema allows nothing here)';
    default: {
      const limit = p.limit ?? p.comparison ?? e.schema;
      return `${e.keyword} ${JSON.stringify(limit)}`;
    }
  }
}

function redactAt(pointer: string, value: unknown): unknown {
  const last = pointer.slice(pointer.lastIndexOf('/') + 1);
  if (SECRET_KEY_PATTERN.test(last)) {
    return typeof value === 'string'
      ? redactToken(value)
      : value === undefined
        ? undefined
        : '[REDACTED]';
  }
  if (typeof value === 'string') return scrubber.scrub(value);
  if (value && typeof value === 'object') return summarise(scrubber.scrubValue(value));
  return value;
}

/** Large objects are cut down so one bad `data` array does not fill the report. */
function summarise(value: object): unknown {
  const text = JSON.stringify(value);
  if (text.length <= 300) return value;
  return Array.isArray(value)
    ? `array of ${value.length} items: ${text.slice(0, 200)}…`
    : `object: ${text.slice(0, 200)}…`;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s.length > 200 ? s.slice(0, 200) + '…' : s;
}

/** A body excerpt for a `not_json` finding, scrubbed of anything credential-shaped. */
export function bodyPreview(body: string): string {
  // Scrub the whole text first: a credential straddling the cut would no longer look like one.
  const clean = scrubber.scrub(body);
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}
