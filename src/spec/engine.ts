import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { SpecError } from '../errors';
import { Finding } from '../findings';
import { createAjv } from './ajv';
import { jsonErrorWithoutExcerpt } from './json-text';
import { Direction, JsonSchema, SchemaConverter } from './convert';
import { resolveFormat } from './formats';
import type { LoadedSpec } from './load';
import {
  headerValue,
  isJsonMediaType,
  matchDocumentedMediaType,
  parseMediaType,
} from './media-type';
import { MediaTypeInfo, OperationIndex, OperationInfo } from './operations';
import { bodyPreview, describeErrors } from './describe';

export interface EngineOptions {
  /** Formats the engine cannot enforce that the user accepts as not enforced (by name). */
  allowFormats?: string[];
}

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface FormatUsage {
  format: string;
  enforced: boolean;
  locations: string[];
}

export interface SpecEngine {
  readonly spec: LoadedSpec;
  /** `info.version`, e.g. `2023-06-01`. */
  readonly version: string;
  operations(): OperationInfo[];
  operation(operationId: string): OperationInfo | undefined;
  matchOperation(
    method: string,
    path: string,
  ): { operation: OperationInfo; params: Record<string, string> } | undefined;
  validateResponse(
    operationId: string,
    status: number,
    headers: HeaderMap,
    body: string | undefined,
    opts?: { undocumentedErrors?: boolean },
  ): Finding[];
  validateRequest(operationId: string, headers: HeaderMap, body: string | undefined): Finding[];
  formatUsage(): FormatUsage[];
}

/**
 * One line per format that is used in the spec but not enforced (allowed by name), saying where it
 * occurs: for a command to print on stderr, so an allowed format is never silently unchecked.
 */
export function unenforcedFormatNotices(usage: FormatUsage[], prefix: string): string[] {
  return usage
    .filter((u) => !u.enforced)
    .map((u) => {
      const shown = u.locations.slice(0, 3).join(', ');
      const more = u.locations.length > 3 ? ` and ${u.locations.length - 3} more` : '';
      return `${prefix}: format "${u.format}" is not enforced (allowed by --allow-format), used at ${shown}${more}`;
    });
}

/** The JSON:API media type every response of this provider is documented with. */
export const JSON_API = 'application/vnd.api+json';

const ERROR_OBJECT_REF = '#/components/schemas/error_object';

const TITLES: Record<string, string> = {
  'operation.unknown': 'Unknown operation',
  'response.status.undocumented': 'Undocumented HTTP status code',
  'response.content_type.missing': 'Response has no Content-Type',
  'response.content_type.mismatch': 'Undocumented response Content-Type',
  'response.body.missing': 'Response body is missing',
  'response.body.unexpected': 'Response has a body where none is documented',
  'response.body.not_json': 'Response body is not JSON',
  'response.body.schema': 'Response body does not match the schema',
  'response.error.schema': 'Error response is not a JSON:API error object',
  'request.content_type.missing': 'Request has no Content-Type',
  'request.content_type.mismatch': 'Undocumented request Content-Type',
  'request.body.missing': 'Required request body is missing',
  'request.body.unexpected': 'Request has a body where none is documented',
  'request.body.not_json': 'Request body is not JSON',
  'request.body.schema': 'Request body does not match the schema',
};

/** Every finding code the engine emits, with its human title. */
export const ENGINE_FINDING_CODES: Readonly<Record<string, string>> = TITLES;

interface CompiledMediaType {
  mediaType: string;
  /** `json` or `+json`: the body is parsed and checked. */
  isJson: boolean;
  specLocation: string;
  validate?: ValidateFunction;
  /** Where the schema lives in the spec. */
  schemaLocation?: string;
  /** Set when the validator is shared with an identical schema compiled at this location. */
  sharedFrom?: string;
}

interface CompiledSide {
  specLocation: string;
  content: CompiledMediaType[];
  mediaTypes: string[];
  /** The first documented JSON media type: what a body with a wrong header is checked against. */
  jsonDefault?: CompiledMediaType;
  /** Received Content-Type value → documented media type (null: not documented). */
  byReceived: Map<string, CompiledMediaType | null>;
}

interface CompiledOperation {
  info: OperationInfo;
  responses: Map<string, CompiledSide>;
  request?: CompiledSide & { required: boolean };
}

const DEFS_BASE = 'https://latitude-conformance.local/openapi';

/**
 * Compiles every request and response schema of a spec into ajv validators, once, and checks
 * exchanges against them. Throws SpecError for an unenforceable format not in `allowFormats`
 * and for any schema ajv's strict mode rejects, naming where it occurs.
 */
export function createEngine(spec: LoadedSpec, opts: EngineOptions = {}): SpecEngine {
  return new Engine(spec, opts);
}

class Engine implements SpecEngine {
  readonly version: string;
  private readonly index: OperationIndex;
  private readonly ajv: Ajv;
  private readonly converters: Record<Direction, SchemaConverter>;
  private readonly compiled = new Map<string, CompiledOperation>();
  private readonly usage: FormatUsage[] = [];
  private readonly dedupe = new Map<string, { fn: ValidateFunction; compiledAt: string }>();
  private errorValidator?: { validate: ValidateFunction; location: string };
  /** format name → the rule as a finding states it. */
  private readonly formatRules = new Map<string, string>();

  constructor(
    readonly spec: LoadedSpec,
    opts: EngineOptions,
  ) {
    this.version = spec.version;
    this.index = new OperationIndex(spec);
    this.ajv = createAjv();
    const mk = (d: Direction) =>
      new SchemaConverter(spec.document, d, `${DEFS_BASE}/${d}.json`, spec.source);
    this.converters = { request: mk('request'), response: mk('response') };

    // 1. Convert every root schema (which pulls in every component it references).
    type Pending = { key: string; media: CompiledMediaType; schema: JsonSchema; dir: Direction };
    const pending: Pending[] = [];
    const side = (
      op: OperationInfo,
      content: MediaTypeInfo[],
      at: string,
      dir: Direction,
    ): CompiledSide => {
      const out: CompiledSide = {
        specLocation: at,
        content: [],
        mediaTypes: [],
        byReceived: new Map(),
      };
      for (const mt of content) {
        const parsed = parseMediaType(mt.mediaType);
        const media: CompiledMediaType = {
          mediaType: mt.mediaType,
          isJson: parsed !== undefined && isJsonMediaType(parsed),
          specLocation: mt.specLocation,
        };
        if (media.isJson) out.jsonDefault ??= media;
        if (mt.schema !== undefined) {
          const schemaAt = schemaLocation(mt);
          media.schemaLocation = schemaAt;
          const schema = this.converters[dir].convert(mt.schema, schemaAt);
          pending.push({
            key: `${op.operationId} ${at} ${mt.mediaType} ${dir}`,
            media,
            schema,
            dir,
          });
        }
        out.content.push(media);
        out.mediaTypes.push(mt.mediaType);
      }
      return out;
    };
    for (const op of this.index.all()) {
      const responses = new Map<string, CompiledSide>();
      for (const r of op.responseInfo) {
        responses.set(r.status.toUpperCase(), side(op, r.content, r.specLocation, 'response'));
      }
      const c: CompiledOperation = { info: op, responses };
      if (op.requestBody) {
        c.request = {
          ...side(op, op.requestBody.content, op.requestBody.specLocation, 'request'),
          required: op.requestBody.required,
        };
      }
      this.compiled.set(op.operationId, c);
    }
    let errorSchema: JsonSchema | undefined;
    if (errorObjectExists(spec)) {
      errorSchema = this.converters.response.convert({ $ref: ERROR_OBJECT_REF }, ERROR_OBJECT_REF);
    }

    // 2. Formats and extension keywords, declared before anything compiles.
    this.registerFormats(new Set(opts.allowFormats ?? []));
    const extensions = new Set([
      ...this.converters.request.extensionKeywords,
      ...this.converters.response.extensionKeywords,
    ]);
    for (const k of extensions) this.ajv.addKeyword(k);

    // 3. Compile: the definitions documents, then each root once (identical roots share one).
    for (const dir of ['request', 'response'] as const) {
      this.ajv.addSchema(this.converters[dir].definitionsDocument());
    }
    for (const p of pending) {
      const at = p.media.schemaLocation ?? p.key;
      const { fn, compiledAt } = this.compile(p.schema, at);
      p.media.validate = fn;
      if (compiledAt !== at) p.media.sharedFrom = compiledAt;
    }
    if (errorSchema) {
      this.errorValidator = {
        validate: this.compile(errorSchema, ERROR_OBJECT_REF).fn,
        location: ERROR_OBJECT_REF,
      };
    }
  }

  /**
   * Compiles a root schema, or returns the validator of an identical one compiled before (many
   * operations share a response shape). `compiledAt` is where that first one sits in the spec:
   * findings from a shared validator are moved from there to the caller's own location.
   */
  private compile(schema: JsonSchema, at: string): { fn: ValidateFunction; compiledAt: string } {
    const key = JSON.stringify(schema);
    const hit = this.dedupe.get(key);
    if (hit) return hit;
    let fn: ValidateFunction;
    try {
      fn = this.ajv.compile(schema);
    } catch (err) {
      throw new SpecError(
        `the spec ${this.spec.source} has a schema at ${at} that cannot be compiled: ${(err as Error).message}`,
      );
    }
    const compiled = { fn, compiledAt: at };
    this.dedupe.set(key, compiled);
    return compiled;
  }

  private registerFormats(allowed: Set<string>): void {
    const all = new Map<string, string[]>();
    for (const dir of ['request', 'response'] as const) {
      for (const [name, locs] of this.converters[dir].formats) {
        const list = all.get(name) ?? [];
        for (const l of locs) if (!list.includes(l)) list.push(l);
        all.set(name, list);
      }
    }
    const refused: string[] = [];
    for (const [name, locations] of all) {
      const r = resolveFormat(name);
      if (r.enforced) {
        this.ajv.addFormat(name, r.rule.format);
        this.formatRules.set(name, r.rule.rule);
      } else if (allowed.has(name)) {
        // Accepted by the user as documentation only: ajv ignores it, the usage list says so.
        this.ajv.addFormat(name, true);
      } else {
        const more = locations.length > 3 ? ` and ${locations.length - 3} more` : '';
        refused.push(`"${name}" (${r.reason}) at ${locations.slice(0, 3).join(', ')}${more}`);
      }
      this.usage.push({ format: name, enforced: r.enforced, locations });
    }
    if (refused.length) {
      throw new SpecError(
        `the spec ${this.spec.source} uses ${refused.length === 1 ? 'a format' : 'formats'} the engine cannot enforce: ${refused.join('; ')}. ` +
          `Allow ${refused.length === 1 ? 'it' : 'each'} by name with --allow-format NAME to accept it unchecked.`,
      );
    }
  }

  operations(): OperationInfo[] {
    return this.index.all();
  }

  operation(operationId: string): OperationInfo | undefined {
    return this.index.get(operationId);
  }

  matchOperation(method: string, path: string) {
    return this.index.match(method, path);
  }

  formatUsage(): FormatUsage[] {
    return this.usage.map((u) => ({ ...u, locations: [...u.locations] }));
  }

  validateResponse(
    operationId: string,
    status: number,
    headers: HeaderMap,
    body: string | undefined,
    opts: { undocumentedErrors?: boolean } = {},
  ): Finding[] {
    const op = this.compiled.get(operationId);
    if (!op) return [unknownOperation(operationId)];
    const side = lookupResponse(op.responses, status);
    if (!side) {
      if (opts.undocumentedErrors && status >= 400) {
        return this.validateUndocumentedError(op, headers, body);
      }
      return [
        {
          code: 'response.status.undocumented',
          title: TITLES['response.status.undocumented'],
          operation: operationId,
          pointer: '',
          expected: op.info.responses,
          received: status,
          message: `Received status ${status}; documented: ${op.info.responses.join(', ') || 'none'}.`,
          specLocation: `${op.info.specLocation}/responses`,
        },
      ];
    }
    return this.validateSide('response', op, side, headers, body, false);
  }

  validateRequest(operationId: string, headers: HeaderMap, body: string | undefined): Finding[] {
    const op = this.compiled.get(operationId);
    if (!op) return [unknownOperation(operationId)];
    const side = op.request;
    const hasBody = body !== undefined && body !== '';
    if (!side) {
      if (!hasBody) return [];
      return [
        this.finding(
          'request.body.unexpected',
          op,
          '',
          'no request body',
          '(a body)',
          op.info.specLocation,
        ),
      ];
    }
    if (!hasBody) {
      return side.required
        ? [
            this.finding(
              'request.body.missing',
              op,
              '',
              'a request body',
              '(empty)',
              side.specLocation,
            ),
          ]
        : [];
    }
    return this.validateSide('request', op, side, headers, body, true);
  }

  private validateSide(
    dir: Direction,
    op: CompiledOperation,
    side: CompiledSide,
    headers: HeaderMap,
    body: string | undefined,
    bodyKnownPresent: boolean,
  ): Finding[] {
    const findings: Finding[] = [];
    const hasBody = bodyKnownPresent || (body !== undefined && body !== '');
    if (side.content.length === 0) {
      if (hasBody && dir === 'response') {
        findings.push(
          this.finding(
            `response.body.unexpected`,
            op,
            '',
            'no body',
            '(a body)',
            side.specLocation,
          ),
        );
      }
      return findings;
    }
    const rawType = headerValue(headers, 'content-type');
    let media: CompiledMediaType | undefined;
    if (rawType === undefined || rawType.trim() === '') {
      findings.push(
        this.finding(
          `${dir}.content_type.missing`,
          op,
          '',
          side.mediaTypes,
          null,
          side.specLocation,
        ),
      );
    } else {
      media = resolveMedia(side, rawType);
      if (!media) {
        findings.push(
          this.finding(
            `${dir}.content_type.mismatch`,
            op,
            '',
            side.mediaTypes,
            rawType,
            side.specLocation,
          ),
        );
      }
    }
    // The body is still checked against the documented JSON media type, so one wrong header does
    // not hide every other problem.
    media ??= side.jsonDefault;
    if (!media || !media.isJson) return findings;
    if (!hasBody) {
      findings.push(
        this.finding(`${dir}.body.missing`, op, '', 'a JSON body', '(empty)', media.specLocation),
      );
      return findings;
    }
    let data: unknown;
    try {
      data = JSON.parse(body as string);
    } catch (err) {
      findings.push(
        this.finding(
          `${dir}.body.not_json`,
          op,
          '',
          `JSON (${media.mediaType})`,
          bodyPreview(body as string),
          media.specLocation,
          jsonErrorWithoutExcerpt(err as Error),
        ),
      );
      return findings;
    }
    const validate = media.validate;
    if (validate && !validate(data)) {
      findings.push(
        ...describeErrors(validate.errors as ErrorObject[], data, {
          code: `${dir}.body.schema`,
          title: TITLES[`${dir}.body.schema`],
          operation: op.info.operationId,
          fallbackLocation: media.schemaLocation ?? media.specLocation,
          locations: this.converters[dir].locations,
          formatRules: this.formatRules,
          direction: dir,
          relocate:
            media.sharedFrom && media.schemaLocation
              ? { from: media.sharedFrom, to: media.schemaLocation }
              : undefined,
        }),
      );
    }
    return findings;
  }

  private validateUndocumentedError(
    op: CompiledOperation,
    headers: HeaderMap,
    body: string | undefined,
  ): Finding[] {
    const findings: Finding[] = [];
    const rawType = headerValue(headers, 'content-type');
    const at = this.errorValidator?.location ?? `${op.info.specLocation}/responses`;
    if (rawType === undefined || rawType.trim() === '') {
      findings.push(this.finding('response.content_type.missing', op, '', [JSON_API], null, at));
    } else if (parseMediaType(rawType)?.essence !== JSON_API) {
      findings.push(
        this.finding('response.content_type.mismatch', op, '', [JSON_API], rawType, at),
      );
    }
    if (body === undefined || body === '') {
      findings.push(
        this.finding('response.body.missing', op, '', 'a JSON:API error body', '(empty)', at),
      );
      return findings;
    }
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (err) {
      findings.push(
        this.finding(
          'response.body.not_json',
          op,
          '',
          'JSON (JSON:API error object)',
          bodyPreview(body),
          at,
          jsonErrorWithoutExcerpt(err as Error),
        ),
      );
      return findings;
    }
    const v = this.errorValidator;
    if (v && !v.validate(data)) {
      findings.push(
        ...describeErrors(v.validate.errors as ErrorObject[], data, {
          code: 'response.error.schema',
          title: TITLES['response.error.schema'],
          operation: op.info.operationId,
          fallbackLocation: v.location,
          locations: this.converters.response.locations,
          formatRules: this.formatRules,
          direction: 'response',
        }),
      );
    }
    return findings;
  }

  private finding(
    code: string,
    op: CompiledOperation,
    pointer: string,
    expected: unknown,
    received: unknown,
    specLocation: string,
    detail?: string,
  ): Finding {
    const exp = Array.isArray(expected) ? expected.join(' or ') : String(expected);
    const rec = received === null ? 'none' : JSON.stringify(received);
    return {
      code,
      title: TITLES[code] ?? code,
      operation: op.info.operationId,
      pointer,
      expected,
      received,
      message: `Received ${rec}; documented: ${exp}.${detail ? ` (${detail})` : ''}`,
      specLocation,
    };
  }
}

/** Distinct Content-Type values remembered per response or request; headers repeat. */
const RECEIVED_CACHE_LIMIT = 64;

/** The documented media type a received Content-Type matches, or undefined (cached per side). */
function resolveMedia(side: CompiledSide, rawType: string): CompiledMediaType | undefined {
  const hit = side.byReceived.get(rawType);
  if (hit !== undefined) return hit ?? undefined;
  const received = parseMediaType(rawType);
  const documented = received && matchDocumentedMediaType(received, side.mediaTypes);
  const media = documented ? side.content.find((c) => c.mediaType === documented) : undefined;
  if (side.byReceived.size < RECEIVED_CACHE_LIMIT) side.byReceived.set(rawType, media ?? null);
  return media;
}

function unknownOperation(operationId: string): Finding {
  return {
    code: 'operation.unknown',
    title: TITLES['operation.unknown'],
    operation: operationId,
    pointer: '',
    expected: 'an operationId documented in the spec',
    received: operationId,
    message: `Received operation "${operationId}"; the spec documents no such operationId.`,
  };
}

/** Exact status, then its class (`4XX`), then `default`. */
function lookupResponse(
  responses: Map<string, CompiledSide>,
  status: number,
): CompiledSide | undefined {
  return (
    responses.get(String(status)) ??
    responses.get(`${Math.floor(status / 100)}XX`) ??
    responses.get('DEFAULT')
  );
}

function schemaLocation(mt: MediaTypeInfo): string {
  const s = mt.schema as { $ref?: unknown } | undefined;
  return s && typeof s.$ref === 'string' ? s.$ref : `${mt.specLocation}/schema`;
}

function errorObjectExists(spec: LoadedSpec): boolean {
  const schemas = spec.document.components?.schemas;
  return !!schemas && typeof schemas === 'object' && 'error_object' in schemas;
}
