import { SpecError } from '../errors';
import { jsonPointer } from '../findings';
import type { LoadedSpec } from './load';
import { derefObject } from './refs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One documented media type of a response or request body. */
export interface MediaTypeInfo {
  mediaType: string;
  /** The schema as written in the spec (may be a `$ref`), or undefined when none is given. */
  schema: unknown;
  /** Spec pointer of the media type object. */
  specLocation: string;
}

export interface ResponseInfo {
  /** The key as written: `201`, `4XX` or `default`. */
  status: string;
  specLocation: string;
  content: MediaTypeInfo[];
}

export interface OperationInfo {
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  pathTemplate: string;
  /** Spec pointer of the operation object, e.g. `#/paths/~1auth~1api_keys/post`. */
  specLocation: string;
  /** Documented response status keys, as written (`200`, `4XX`, `default`). */
  responses: string[];
  summary?: string;
  deprecated: boolean;
  /** Names of the path template's parameters, in order. */
  pathParams: string[];
  requestBody?: { required: boolean; specLocation: string; content: MediaTypeInfo[] };
  responseInfo: ResponseInfo[];
}

interface Template {
  operation: OperationInfo;
  regexp: RegExp;
  literalSegments: number;
}

/** Operations indexed by operationId and by method + path template. */
export class OperationIndex {
  private readonly byId = new Map<string, OperationInfo>();
  private readonly byMethod = new Map<string, Template[]>();
  private readonly basePaths: string[];

  constructor(readonly spec: LoadedSpec) {
    const doc = spec.document;
    for (const [path, rawItem] of Object.entries(doc.paths)) {
      const itemAt = '#' + jsonPointer(['paths', path]);
      const item = derefObject<Record<string, unknown>>(doc, rawItem, itemAt, spec.source).value;
      if (!item || typeof item !== 'object') continue;
      for (const method of METHODS) {
        const op = item[method] as Record<string, unknown> | undefined;
        if (!op || typeof op !== 'object') continue;
        const info = this.describe(path, method, op, `${itemAt}/${method}`);
        const twin = this.byId.get(info.operationId);
        if (twin) {
          throw new SpecError(
            `the spec ${spec.source} uses operationId "${info.operationId}" twice, at ${twin.specLocation} and ${info.specLocation}; operationIds must be unique.`,
          );
        }
        this.byId.set(info.operationId, info);
        const list = this.byMethod.get(info.method) ?? [];
        list.push(templateFor(info));
        this.byMethod.set(info.method, list);
      }
    }
    // More literal segments first, so `/servers/actions` wins over `/servers/{id}`.
    for (const list of this.byMethod.values()) {
      list.sort((a, b) => b.literalSegments - a.literalSegments);
    }
    this.basePaths = serverBasePaths(doc.servers);
  }

  all(): OperationInfo[] {
    return [...this.byId.values()];
  }

  get(operationId: string): OperationInfo | undefined {
    return this.byId.get(operationId);
  }

  /**
   * The operation for a method and a request path or URL (query string and fragment ignored; a
   * server base path from `servers` is stripped when present).
   */
  match(
    method: string,
    pathOrUrl: string,
  ): { operation: OperationInfo; params: Record<string, string> } | undefined {
    const list = this.byMethod.get(method) ?? this.byMethod.get(method.toUpperCase());
    if (!list) return undefined;
    let path = pathOrUrl;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      try {
        path = new URL(path).pathname;
      } catch {
        return undefined;
      }
    }
    const cut = path.search(/[?#]/);
    if (cut >= 0) path = path.slice(0, cut);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const candidates = [path];
    for (const base of this.basePaths) {
      if (path.startsWith(base + '/')) candidates.push(path.slice(base.length));
    }
    for (const p of candidates) {
      for (const t of list) {
        const m = t.regexp.exec(p);
        if (!m) continue;
        const params: Record<string, string> = {};
        t.operation.pathParams.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1]);
        });
        return { operation: t.operation, params };
      }
    }
    return undefined;
  }

  private describe(
    path: string,
    method: string,
    op: Record<string, unknown>,
    at: string,
  ): OperationInfo {
    const doc = this.spec.document;
    const responses: ResponseInfo[] = [];
    for (const [status, raw] of Object.entries((op.responses as Record<string, unknown>) ?? {})) {
      const rAt = `${at}/responses/${status}`;
      const r = derefObject<Record<string, unknown>>(doc, raw, rAt, this.spec.source);
      responses.push({ status, specLocation: r.at, content: mediaTypes(r.value, r.at) });
    }
    let requestBody: OperationInfo['requestBody'];
    if (op.requestBody) {
      const rb = derefObject<Record<string, unknown>>(
        doc,
        op.requestBody,
        `${at}/requestBody`,
        this.spec.source,
      );
      requestBody = {
        required: rb.value?.required === true,
        specLocation: rb.at,
        content: mediaTypes(rb.value, rb.at),
      };
    }
    return {
      operationId:
        typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      pathTemplate: path,
      specLocation: at,
      responses: responses.map((r) => r.status),
      summary: typeof op.summary === 'string' ? op.summary : undefined,
      deprecated: op.deprecated === true,
      pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
      requestBody,
      responseInfo: responses,
    };
  }
}

function mediaTypes(obj: Record<string, unknown> | undefined, at: string): MediaTypeInfo[] {
  const content = obj?.content as Record<string, Record<string, unknown>> | undefined;
  if (!content || typeof content !== 'object') return [];
  return Object.entries(content).map(([mediaType, mt]) => ({
    mediaType,
    schema: mt?.schema,
    specLocation: at + jsonPointer(['content', mediaType]),
  }));
}

function templateFor(operation: OperationInfo): Template {
  const parts = operation.pathTemplate.split(/(\{[^}]+\})/);
  const source = parts
    .map((p) => (/^\{[^}]+\}$/.test(p) ? '([^/]+)' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const literalSegments = operation.pathTemplate
    .split('/')
    .filter((s) => s && !s.includes('{')).length;
  return { operation, regexp: new RegExp(`^${source}$`), literalSegments };
}

function serverBasePaths(servers: unknown): string[] {
  if (!Array.isArray(servers)) return [];
  const out = new Set<string>();
  for (const s of servers) {
    const url = (s as { url?: unknown })?.url;
    if (typeof url !== 'string') continue;
    let p = url;
    try {
      p = new URL(url, 'http://placeholder').pathname;
    } catch {
      continue;
    }
    p = p.replace(/\/+$/, '');
    if (p && p !== '/') out.add(p);
  }
  return [...out];
}

function safeDecode(s: string): string {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
