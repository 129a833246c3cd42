import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors';
import { jsonErrorWithoutExcerpt } from '../spec/json-text';

/**
 * Pact files (specification 2 to 4) read into one shape: the HTTP interactions, with bodies as
 * the JSON text a real exchange would carry (the pact holds the example values its matchers
 * generate) and headers as name → value(s). Anything else is an InputError naming the file.
 */

export type HeaderValues = Record<string, string | string[]>;

/** One matcher list at one place: a body JSON path, a header name, the path, a query name. */
export interface MatcherRule {
  /** `body`, `header`, `path` or `query`. */
  category: 'body' | 'header' | 'path' | 'query';
  /** JSON path for body rules (`$.data.id`), the name for headers and query, '' for the path. */
  expression: string;
  matchers: Array<Record<string, unknown>>;
}

export interface PactMessage {
  headers: HeaderValues;
  /** JSON text, or undefined when the pact records no body. */
  body: string | undefined;
  /** The media type the pact records for the body (V4), else the Content-Type header. */
  contentType: string | undefined;
  rules: MatcherRule[];
}

export interface PactInteraction {
  description: string;
  providerStates: string[];
  request: PactMessage & { method: string; path: string };
  response: PactMessage & { status: number };
}

export interface PactFile {
  /** The path or URL it was read from, as the user gave it. */
  source: string;
  consumer: string;
  provider: string;
  specification: string;
  interactions: PactInteraction[];
  /** Interactions that are not HTTP (messages, plugins): listed, not checked. */
  skipped: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export interface ReadOptions {
  cwd: string;
  readFile?: (file: string) => Promise<string>;
  fetch?: typeof fetch;
}

/** Reads a pact file from a path or an http(s) URL. */
export async function readPactFile(source: string, opts: ReadOptions): Promise<PactFile> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(source, { signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new InputError(
        `the pact file ${source} could not be fetched: ${(err as Error).message}`,
      );
    }
    if (!res.ok) throw new InputError(`the pact file ${source} answered HTTP ${res.status}.`);
    text = await res.text();
  } else {
    const file = path.resolve(opts.cwd, source);
    try {
      text = await (opts.readFile ?? ((f: string) => readFile(f, 'utf8')))(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(
        code === 'ENOENT'
          ? `no pact file at ${source}.`
          : `the pact file ${source} could not be read: ${(err as Error).message}`,
      );
    }
  }
  return parsePact(text, source);
}

export function parsePact(text: string, source: string): PactFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source} is not JSON, so not a pact file: ${jsonErrorWithoutExcerpt(err as Error)}`);
  }
  const notPact = (why: string) =>
    new InputError(`${source} is not a pact file: ${why}. Give the JSON a Pact test writes.`);
  if (!isObj(doc)) throw notPact('the top level is not an object');
  const name = (p: unknown) => (isObj(p) && typeof p.name === 'string' ? p.name : undefined);
  const consumer = name(doc.consumer);
  const provider = name(doc.provider);
  if (!consumer || !provider) throw notPact('it has no consumer.name and provider.name');
  if (!Array.isArray(doc.interactions)) throw notPact('it has no interactions array');
  const metadata = isObj(doc.metadata) ? doc.metadata : {};
  const specification =
    (isObj(metadata.pactSpecification) && String(metadata.pactSpecification.version)) ||
    (isObj(metadata['pact-specification']) && String(metadata['pact-specification'].version)) ||
    '2.0.0';

  const interactions: PactInteraction[] = [];
  const skipped: string[] = [];
  doc.interactions.forEach((raw, index) => {
    const at = `interaction #${index + 1}`;
    if (!isObj(raw)) throw notPact(`${at} is not an object`);
    const description = typeof raw.description === 'string' ? raw.description : at;
    if (raw.type !== undefined && raw.type !== 'Synchronous/HTTP') {
      skipped.push(`${description} (${String(raw.type)})`);
      return;
    }
    if (!isObj(raw.request) || !isObj(raw.response)) {
      throw notPact(`"${description}" has no request or response`);
    }
    const req = raw.request;
    const res = raw.response;
    if (typeof req.method !== 'string' || typeof req.path !== 'string') {
      throw notPact(`"${description}" has no request method or path`);
    }
    const status = Number(res.status);
    if (!Number.isInteger(status)) throw notPact(`"${description}" has no response status`);
    interactions.push({
      description,
      providerStates: providerStates(raw),
      request: { ...message(req, specification), method: req.method.toUpperCase(), path: req.path },
      response: { ...message(res, specification), status },
    });
  });
  return { source, consumer, provider, specification, interactions, skipped };
}

function providerStates(raw: Obj): string[] {
  if (Array.isArray(raw.providerStates)) {
    return raw.providerStates.map((s) => (isObj(s) ? String(s.name) : String(s)));
  }
  return typeof raw.providerState === 'string' ? [raw.providerState] : [];
}

function message(raw: Obj, specification: string): PactMessage {
  const headers: HeaderValues = {};
  if (isObj(raw.headers)) {
    for (const [k, v] of Object.entries(raw.headers)) {
      headers[k] = Array.isArray(v) ? v.map(String) : String(v);
    }
  }
  const contentTypeHeader = Object.entries(headers).find(
    ([k]) => k.toLowerCase() === 'content-type',
  )?.[1];
  let body: string | undefined;
  let contentType = Array.isArray(contentTypeHeader) ? contentTypeHeader[0] : contentTypeHeader;
  if (specification.startsWith('4') && isObj(raw.body)) {
    // V4: {content, contentType, encoded}; JSON content is stored as JSON, text as a string.
    const b = raw.body;
    if (typeof b.contentType === 'string') contentType = b.contentType;
    if (b.encoded && b.encoded !== false && typeof b.content === 'string') {
      body = Buffer.from(b.content, 'base64').toString('utf8');
    } else if (b.content !== undefined) {
      body =
        typeof b.content === 'string' && !isJsonType(contentType)
          ? b.content
          : JSON.stringify(b.content);
    }
  } else if (raw.body !== undefined) {
    body =
      typeof raw.body === 'string' && !isJsonType(contentType)
        ? raw.body
        : JSON.stringify(raw.body);
  }
  return { headers, body, contentType, rules: matchingRules(raw.matchingRules) };
}

function isJsonType(contentType: string | undefined): boolean {
  return !contentType || /[/+]json\s*(;|$)/i.test(contentType);
}

function matchingRules(raw: unknown): MatcherRule[] {
  if (!isObj(raw)) return [];
  const rules: MatcherRule[] = [];
  const list = (v: unknown): Array<Record<string, unknown>> => {
    if (isObj(v) && Array.isArray(v.matchers)) return v.matchers.filter(isObj);
    if (isObj(v)) return [v]; // V2: the matcher itself
    return [];
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('$.')) {
      // Specification 2: `$.body.x`, `$.headers.Name`, `$.path`, `$.query.name`.
      const [, category, ...rest] = key.split('.');
      const tail = key.slice(`$.${category}`.length);
      if (category === 'body')
        rules.push({ category: 'body', expression: `$${tail}`, matchers: list(value) });
      else if (category === 'headers')
        rules.push({ category: 'header', expression: rest.join('.'), matchers: list(value) });
      else if (category === 'path')
        rules.push({ category: 'path', expression: '', matchers: list(value) });
      else if (category === 'query')
        rules.push({ category: 'query', expression: rest.join('.'), matchers: list(value) });
      continue;
    }
    if (key === 'path') {
      rules.push({ category: 'path', expression: '', matchers: list(value) });
    } else if ((key === 'body' || key === 'header' || key === 'query') && isObj(value)) {
      for (const [expression, entry] of Object.entries(value)) {
        rules.push({ category: key, expression, matchers: list(entry) });
      }
    }
  }
  return rules;
}
