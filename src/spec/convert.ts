import { SpecError } from '../errors';
import { jsonPointer } from '../findings';
import { resolvePointer } from './refs';

/** Which side of the exchange a schema checks: readOnly/writeOnly mean different things on each. */
export type Direction = 'request' | 'response';

export type JsonSchema = Record<string, unknown> | boolean;

/** Keyword that always fails: the property is present on the side where the spec forbids it. */
export const FORBIDDEN_KEYWORD = 'x-conformance-forbidden';

/**
 * Converts OpenAPI 3.0 schema objects into JSON Schema (draft-07, what ajv's default class
 * speaks). One converter per direction; component schemas are converted once into a shared
 * definitions document and referenced from there, which keeps recursive schemas finite.
 */
export class SchemaConverter {
  /** Converted referenced schemas, keyed by definition name. */
  readonly definitions: Record<string, JsonSchema> = {};
  /** Every converted schema object → the spec location it came from (for findings). */
  readonly locations = new WeakMap<object, string>();
  /** format name → spec locations where it is used. */
  readonly formats = new Map<string, string[]>();
  /** Extension keywords (`x-…`) met in schemas; they are declared to ajv as annotations. */
  readonly extensionKeywords = new Set<string>();

  private readonly refKeys = new Map<string, string>();
  private readonly queue: string[] = [];

  constructor(
    private readonly doc: unknown,
    readonly direction: Direction,
    /** `$id` of the definitions document, e.g. `https://latitude-conformance.local/response.json`. */
    readonly definitionsId: string,
    private readonly specSource: string,
  ) {}

  /** Converts a schema found at `at` (a spec pointer such as `#/paths/…/schema`). */
  convert(schema: unknown, at: string): JsonSchema {
    const out = this.convertNode(schema, at);
    this.drain();
    return out;
  }

  /** The definitions document to add to ajv once every root has been converted. */
  definitionsDocument(): Record<string, unknown> {
    return { $id: this.definitionsId, definitions: this.definitions };
  }

  private drain(): void {
    while (this.queue.length) {
      const ref = this.queue.shift() as string;
      const key = this.refKeys.get(ref) as string;
      this.definitions[key] = this.convertNode(resolvePointer(this.doc, ref), ref);
    }
  }

  private refTo(ref: string): string {
    let key = this.refKeys.get(ref);
    if (!key) {
      // Readable and collision-free: the pointer with its separators made safe for a key.
      key = ref.replace(/^#\//, '').replace(/[^A-Za-z0-9_.-]/g, (c) => `_${c.charCodeAt(0)}_`);
      this.refKeys.set(ref, key);
      this.definitions[key] = true; // placeholder until drained; keeps cycles finite
      this.queue.push(ref);
    }
    return `${this.definitionsId}#/definitions/${key}`;
  }

  /** Follows `$ref`s to the schema itself, to read readOnly/writeOnly on a referenced property. */
  private target(schema: unknown): Record<string, unknown> | undefined {
    let cur = schema;
    for (let i = 0; i < 32 && cur && typeof cur === 'object'; i++) {
      const ref = (cur as { $ref?: unknown }).$ref;
      if (typeof ref !== 'string') return cur as Record<string, unknown>;
      cur = resolvePointer(this.doc, ref);
    }
    return undefined;
  }

  private convertNode(schema: unknown, at: string): JsonSchema {
    if (typeof schema === 'boolean') return schema;
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
      throw new SpecError(
        `the spec ${this.specSource} has a schema at ${at} that is not an object: ${JSON.stringify(schema)}.`,
      );
    }
    const s = schema as Record<string, unknown>;
    if (typeof s.$ref === 'string') {
      // OpenAPI 3.0 ignores a $ref's siblings; `nullable` beside it is honoured as the author's
      // evident intent.
      const ref: Record<string, unknown> = { $ref: this.refTo(s.$ref) };
      this.locations.set(ref, at);
      if (s.nullable === true) {
        const wrapped = { anyOf: [ref, { type: 'null' }] };
        this.locations.set(wrapped, at);
        return wrapped;
      }
      return ref;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
      switch (k) {
        case 'nullable':
          break;
        case 'properties':
          out.properties = this.convertProperties(v as Record<string, unknown>, `${at}/properties`);
          break;
        case 'items':
        case 'additionalProperties':
        case 'not':
          out[k] = typeof v === 'object' ? this.convertNode(v, `${at}/${k}`) : v;
          break;
        case 'allOf':
        case 'anyOf':
        case 'oneOf':
          out[k] = (v as unknown[]).map((x, i) => this.convertNode(x, `${at}/${k}/${i}`));
          break;
        case 'format':
          if (typeof v === 'string') {
            const list = this.formats.get(v) ?? [];
            list.push(`${at}/format`);
            this.formats.set(v, list);
          }
          out[k] = v;
          break;
        default:
          if (k.startsWith('x-')) this.extensionKeywords.add(k);
          out[k] = v;
      }
    }
    // OpenAPI 3.0 writes exclusive bounds as booleans beside minimum/maximum.
    if (out.exclusiveMinimum === true && typeof out.minimum === 'number') {
      out.exclusiveMinimum = out.minimum;
      delete out.minimum;
    } else if (typeof out.exclusiveMinimum === 'boolean') delete out.exclusiveMinimum;
    if (out.exclusiveMaximum === true && typeof out.maximum === 'number') {
      out.exclusiveMaximum = out.maximum;
      delete out.maximum;
    } else if (typeof out.exclusiveMaximum === 'boolean') delete out.exclusiveMaximum;
    if (out.type === undefined) {
      const implied = impliedType(out);
      if (implied) out.type = implied;
    }
    this.dropForbiddenRequired(s, out);
    let result: Record<string, unknown> = out;
    if (s.nullable === true) result = this.nullable(out, at);
    this.locations.set(result, at);
    this.locations.set(out, at);
    return result;
  }

  private nullable(out: Record<string, unknown>, at: string): Record<string, unknown> {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    if (Array.isArray(out.type)) {
      if (!out.type.includes('null')) out.type = [...out.type, 'null'];
      return out;
    }
    const wrapped = { anyOf: [out, { type: 'null' }] };
    this.locations.set(wrapped, at);
    return wrapped;
  }

  private convertProperties(
    props: Record<string, unknown>,
    at: string,
  ): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {};
    for (const [name, schema] of Object.entries(props)) {
      const where = at + jsonPointer([name]);
      const forbidden = this.forbiddenBy(schema);
      if (forbidden) {
        // The rule carries its own spec location: ajv reports custom-keyword errors without it.
        out[name] = { [FORBIDDEN_KEYWORD]: { rule: forbidden, specLocation: where } };
      } else {
        out[name] = this.convertNode(schema, where);
      }
    }
    return out;
  }

  /** `readOnly` properties must not be sent in requests, `writeOnly` ones not returned. */
  private forbiddenBy(schema: unknown): 'readOnly' | 'writeOnly' | undefined {
    const t = this.target(schema);
    if (!t) return undefined;
    if (this.direction === 'request' && t.readOnly === true) return 'readOnly';
    if (this.direction === 'response' && t.writeOnly === true) return 'writeOnly';
    return undefined;
  }

  // OpenAPI 3.0: a required readOnly property is required in responses only (and writeOnly in
  // requests only), so it leaves `required` on the other side.
  private dropForbiddenRequired(src: Record<string, unknown>, out: Record<string, unknown>): void {
    if (!Array.isArray(out.required) || !src.properties) return;
    const props = src.properties as Record<string, unknown>;
    const kept = (out.required as string[]).filter(
      (n) => !(n in props) || !this.forbiddenBy(props[n]),
    );
    if (kept.length !== (out.required as string[]).length) {
      if (kept.length) out.required = kept;
      else delete out.required;
    }
  }
}

const IMPLIES: Array<[string, string[]]> = [
  ['object', ['properties', 'additionalProperties', 'required', 'minProperties', 'maxProperties']],
  ['array', ['items', 'minItems', 'maxItems', 'uniqueItems']],
  ['string', ['minLength', 'maxLength', 'pattern']],
  ['number', ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']],
];

/**
 * Authors write `properties` to describe an object and leave out `type: object`. ajv's strictTypes
 * refuses such a schema as ambiguous; the engine reads it the way it was meant: the one type its
 * keywords apply to. A schema whose keywords imply two types is left alone (ajv will say so).
 */
function impliedType(schema: Record<string, unknown>): string | undefined {
  const found = IMPLIES.filter(([, kws]) => kws.some((k) => k in schema)).map(([t]) => t);
  return found.length === 1 ? found[0] : undefined;
}
