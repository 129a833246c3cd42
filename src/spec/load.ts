import { readFile as fsReadFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import yaml from 'js-yaml';
import { SpecError } from '../errors';
import { JsonSyntaxError, parseJsonText } from './json-text';
import { checkRefs } from './refs';

/** An OpenAPI 3.x document, parsed and with every local `$ref` known to resolve. */
export interface LoadedSpec {
  /** Where it came from: an absolute file path or the URL. */
  source: string;
  /** The parsed document (plain JSON data). */
  document: OpenApiDocument;
  /** `openapi` field, e.g. `3.0.1`. */
  openapi: string;
  /** `info.version`, e.g. `2023-06-01`. */
  version: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title?: string; version: string; [k: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface LoadOptions {
  /** Base for relative file paths (default: process.cwd()). */
  cwd?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Injected for tests; defaults to fs.readFile(path, 'utf8'). */
  readFile?: (p: string) => Promise<string>;
}

/** How long a spec URL may take before it counts as unreachable. */
const FETCH_TIMEOUT_MS = 15_000;

/**
 * Loads an OpenAPI 3.x spec from a file path or an http(s) URL, YAML or JSON. Every problem a
 * user can cause (missing file, unreachable URL, parse error, not OpenAPI 3.x, a `$ref` that
 * does not resolve) is a SpecError whose message says what and where.
 */
export async function loadSpec(source: string, opts: LoadOptions = {}): Promise<LoadedSpec> {
  const isUrl = /^https?:\/\//i.test(source);
  const location = isUrl ? source : resolve(opts.cwd ?? process.cwd(), source);
  const text = isUrl
    ? await fetchText(source, opts.fetch ?? fetch)
    : await readText(location, opts);
  const document = parseDocument(text, location);
  return checkOpenApi(document, location);
}

async function readText(path: string, opts: LoadOptions): Promise<string> {
  try {
    return await (opts.readFile ?? ((p: string) => fsReadFile(p, 'utf8')))(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new SpecError(
      `cannot read the spec ${path}: ${why}. Pass an existing OpenAPI file or an http(s) URL with --spec.`,
    );
  }
}

async function fetchText(url: string, fetchImpl: typeof fetch): Promise<string> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      headers: { accept: 'application/yaml, application/json;q=0.9, */*;q=0.5' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new SpecError(
      `cannot fetch the spec ${url}: ${why}. Check the URL and that the host is reachable, or pass a local file with --spec.`,
    );
  }
  if (!res.ok) {
    throw new SpecError(
      `cannot fetch the spec ${url}: the server answered HTTP ${res.status}. Check the URL, or pass a local file with --spec.`,
    );
  }
  return res.text();
}

/**
 * A `.json` file is parsed as strict JSON, anything else as YAML with js-yaml; both report line
 * and column for a syntax error. YAML's flow style accepts things JSON does not (a trailing
 * comma), so a `.json` file is never read as YAML. The provider publishes flow-style YAML that
 * looks like JSON but is not (unquoted keys), hence the name decides, not the first character.
 */
export function parseDocument(text: string, location: string): unknown {
  if (/\.json$/i.test(location.replace(/[?#].*$/, ''))) {
    try {
      return parseJsonText(text);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      throw new SpecError(
        `cannot parse the spec ${location} at line ${err.line}, column ${err.column}: ${err.reason}. Fix the JSON syntax there.`,
      );
    }
  }
  try {
    return yaml.load(text, { filename: location });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const mark = err.mark;
      const where = mark ? `line ${mark.line + 1}, column ${mark.column + 1}` : 'unknown position';
      throw new SpecError(
        `cannot parse the spec ${location} at ${where}: ${err.reason}. Fix the YAML/JSON syntax there.`,
      );
    }
    throw err;
  }
}

function checkOpenApi(doc: unknown, location: string): LoadedSpec {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SpecError(
      `the spec ${location} is not an OpenAPI document: expected a mapping at the top level.`,
    );
  }
  const d = doc as Record<string, unknown>;
  if (typeof d.swagger === 'string') {
    throw new SpecError(
      `the spec ${location} is Swagger ${d.swagger}, not OpenAPI 3.x; convert it to OpenAPI 3 first.`,
    );
  }
  if (typeof d.openapi !== 'string' || !/^3\.\d+(\.\d+)?$/.test(d.openapi)) {
    throw new SpecError(
      `the spec ${location} is not OpenAPI 3.x: ${
        'openapi' in d
          ? `its "openapi" field is ${JSON.stringify(d.openapi ?? null)}`
          : 'it has no "openapi" field'
      }. Pass an OpenAPI 3.0 or 3.1 document.`,
    );
  }
  const info = d.info as Record<string, unknown> | undefined;
  if (!info || typeof info !== 'object' || !['string', 'number'].includes(typeof info.version)) {
    throw new SpecError(`the spec ${location} has no info.version; OpenAPI 3.x requires it.`);
  }
  if (!d.paths || typeof d.paths !== 'object' || Array.isArray(d.paths)) {
    throw new SpecError(`the spec ${location} has no "paths" mapping; OpenAPI 3.0 requires it.`);
  }
  checkRefs(d, location);
  return {
    source: isAbsolute(location) || /^https?:/i.test(location) ? location : resolve(location),
    document: d as unknown as OpenApiDocument,
    openapi: d.openapi,
    version: String(info.version),
  };
}

/** Builds a LoadedSpec from an already parsed document (tests and tools that hold one). */
export function specFromDocument(document: unknown, source = '<memory>'): LoadedSpec {
  return checkOpenApi(document, source);
}
