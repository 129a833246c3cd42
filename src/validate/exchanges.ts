import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { InputError } from '../errors';
import type { HeaderMap } from '../spec';
import { JsonSyntaxError, parseJsonText } from '../spec/json-text';
import { harEntries, HarSyntaxError, NotHarError } from './har-stream';

/** One recorded request/response pair, whatever file it came from. */
export interface Exchange {
  method: string;
  /** Path or absolute URL, possibly with a query string. */
  url: string;
  status: number;
  headers: HeaderMap;
  body: string | undefined;
  /** Present only when the recording has the request side. */
  request?: { headers: HeaderMap; body: string | undefined };
}

export type TrafficFormat = 'har' | 'ndjson';

/** Either an exchange or a record that could not be read, with where it sits in the file. */
export type TrafficRecord =
  | { kind: 'exchange'; where: string; exchange: Exchange }
  | { kind: 'unreadable'; where: string; line: number; reason: string };

/** `.har` is HAR, `.ndjson`/`.jsonl` is NDJSON; otherwise the first line decides. */
export async function detectFormat(file: string): Promise<TrafficFormat> {
  if (/\.har$/i.test(file)) return 'har';
  if (/\.(nd)?jsonl?$/i.test(file) && !/\.json$/i.test(file)) return 'ndjson';
  const head = await readHead(file, 64 * 1024);
  const firstLine = head.split('\n', 1)[0].trim();
  if (!firstLine) return head.trim().startsWith('{') ? 'har' : 'ndjson';
  try {
    const v = JSON.parse(firstLine) as Record<string, unknown>;
    return v && typeof v === 'object' && 'log' in v ? 'har' : 'ndjson';
  } catch {
    // A first line that is not a whole JSON value: a pretty-printed JSON document (HAR).
    return firstLine.startsWith('{') ? 'har' : 'ndjson';
  }
}

async function readHead(file: string, bytes: number): Promise<string> {
  const fh = await openInput(file);
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

async function openInput(file: string) {
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new InputError(`cannot read ${file}: it is a directory.`);
    return await open(file, 'r');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}. Pass a HAR 1.2 or NDJSON file of recorded exchanges.`,
    );
  }
}

/**
 * Streams the records of a traffic file: NDJSON line by line, HAR entry by entry, so memory
 * stays flat whatever the size of the file.
 */
export function readTraffic(file: string, format: TrafficFormat): AsyncGenerator<TrafficRecord> {
  // The generator itself, not one delegating to it: every record would otherwise pay for a
  // second async generator step.
  return format === 'ndjson' ? readNdjson(file) : readHar(file);
}

async function* readNdjson(file: string): AsyncGenerator<TrafficRecord> {
  await (await openInput(file)).close();
  let line = 0;
  for await (const batch of lines(file)) {
    for (const text of batch) {
      line++;
      if (text.trim() === '') continue;
      const where = `line ${line}`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        yield { kind: 'unreadable', where, line, reason: describeJsonError(text) };
        continue;
      }
      const ex = exchangeFromNdjson(value);
      if (typeof ex === 'string') yield { kind: 'unreadable', where, line, reason: ex };
      else yield { kind: 'exchange', where, exchange: ex };
    }
  }
}

/**
 * The lines of a file, split as readline splits them (`\r\n`, `\n` or a lone `\r`), a chunk of
 * lines at a time: one await per megabyte instead of one per line.
 */
async function* lines(file: string): AsyncGenerator<string[]> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const out: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      pushLine(out, text, start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      start = nl + 1;
    }
    // Everything after the last \n waits for the next chunk, so a \r\n split across two chunks
    // stays one line break.
    rest = text.slice(start);
    yield out;
  }
  if (rest !== '') {
    const out: string[] = [];
    pushLine(out, rest, 0, rest.endsWith('\r') ? rest.length - 1 : rest.length);
    yield out;
  }
}

/** One line (without its \n or \r\n), split again at any lone \r in it. */
function pushLine(out: string[], text: string, from: number, to: number): void {
  const line = text.slice(from, to);
  if (line.indexOf('\r') === -1) out.push(line);
  else for (const part of line.split('\r')) out.push(part);
}

function describeJsonError(text: string): string {
  try {
    parseJsonText(text);
    return 'not JSON';
  } catch (err) {
    return err instanceof JsonSyntaxError
      ? `not JSON (${err.reason} at column ${err.column})`
      : 'not JSON';
  }
}

async function* readHar(file: string): AsyncGenerator<TrafficRecord> {
  await (await openInput(file)).close();
  const chunks = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const entry of harEntries(chunks as AsyncIterable<string>)) {
      const where = `entry ${entry.index + 1}`;
      let value: unknown;
      try {
        value = parseJsonText(entry.text);
      } catch (err) {
        if (!(err instanceof JsonSyntaxError)) throw err;
        const line = entry.line + err.line - 1;
        yield {
          kind: 'unreadable',
          where,
          line,
          reason: `invalid JSON at line ${line} (${err.reason})`,
        };
        continue;
      }
      const ex = exchangeFromHar(value);
      if (typeof ex === 'string') yield { kind: 'unreadable', where, line: entry.line, reason: ex };
      else yield { kind: 'exchange', where, exchange: ex };
    }
  } catch (err) {
    if (err instanceof HarSyntaxError) {
      throw new InputError(
        `${file} is not a HAR file: invalid JSON at line ${err.line}, column ${err.column} (${err.reason}).`,
      );
    }
    if (err instanceof NotHarError) {
      throw new InputError(
        `${file} is not a HAR file: ${err.message}; expected {"log": {"version": "1.2", "entries": [...]}} at the top level. Pass a HAR 1.2 export or NDJSON.`,
      );
    }
    throw err;
  } finally {
    chunks.destroy();
  }
}

/**
 * An NDJSON exchange: `{"method", "url" or "path", "status", "headers", "body"}`, optionally
 * `"request": {"headers", "body"}` (or `requestHeaders`/`requestBody`). `headers` may be an
 * object or HAR-style `[{name, value}]`; a `body` that is not a string is JSON, serialised.
 */
export function exchangeFromNdjson(v: unknown): Exchange | string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not an exchange object';
  const o = v as Record<string, unknown>;
  const res = (o.response && typeof o.response === 'object' ? o.response : o) as Record<
    string,
    unknown
  >;
  const req = (o.request && typeof o.request === 'object' ? o.request : undefined) as
    Record<string, unknown> | undefined;
  const method = o.method ?? req?.method;
  const url = o.url ?? o.path ?? req?.url ?? req?.path;
  const status = typeof res.status === 'string' ? Number(res.status) : res.status;
  if (typeof method !== 'string' || !method) return 'missing "method"';
  if (typeof url !== 'string' || !url) return 'missing "url" or "path"';
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return `missing or invalid "status" (${JSON.stringify(res.status ?? null)})`;
  }
  const ex: Exchange = {
    method: method.toUpperCase(),
    url,
    status,
    headers: headerMap(res.headers),
    body: bodyText(res.body),
  };
  if (req && ('body' in req || 'headers' in req)) {
    ex.request = { headers: headerMap(req.headers), body: bodyText(req.body) };
  } else if ('requestBody' in o || 'requestHeaders' in o) {
    ex.request = { headers: headerMap(o.requestHeaders), body: bodyText(o.requestBody) };
  }
  return ex;
}

/** A HAR 1.2 entry. Request bodies come from `postData.text`, response bodies from `content`. */
export function exchangeFromHar(v: unknown): Exchange | string {
  const e = v as {
    request?: {
      method?: unknown;
      url?: unknown;
      headers?: unknown;
      postData?: { text?: unknown; mimeType?: unknown };
    };
    response?: {
      status?: unknown;
      headers?: unknown;
      content?: { text?: unknown; encoding?: unknown; mimeType?: unknown };
    };
  };
  if (!e || typeof e !== 'object' || !e.request || !e.response) {
    return 'not a HAR entry (needs "request" and "response")';
  }
  const { request, response } = e;
  if (typeof request.method !== 'string' || typeof request.url !== 'string') {
    return 'HAR entry without request.method or request.url';
  }
  if (typeof response.status !== 'number' || response.status < 100 || response.status > 599) {
    // Status 0 is how browsers record a request that never got an answer.
    return `HAR entry without a response (status ${JSON.stringify(response.status ?? null)})`;
  }
  const headers = headerMap(response.headers);
  // A producer that records no headers at all still records the content's media type.
  if (
    !Object.keys(headers).length &&
    typeof response.content?.mimeType === 'string' &&
    response.content.mimeType
  ) {
    headers['content-type'] = response.content.mimeType;
  }
  let body: string | undefined;
  const c = response.content;
  if (c && typeof c.text === 'string') {
    body = c.encoding === 'base64' ? Buffer.from(c.text, 'base64').toString('utf8') : c.text;
  }
  const reqHeaders = headerMap(request.headers);
  const post = request.postData;
  if (
    post &&
    typeof post.mimeType === 'string' &&
    post.mimeType &&
    !Object.keys(reqHeaders).length
  ) {
    reqHeaders['content-type'] = post.mimeType;
  }
  return {
    method: request.method.toUpperCase(),
    url: request.url,
    status: response.status,
    headers,
    body: body === '' ? undefined : body,
    request: {
      headers: reqHeaders,
      body: typeof post?.text === 'string' && post.text !== '' ? post.text : undefined,
    },
  };
}

function headerMap(h: unknown): HeaderMap {
  const out: HeaderMap = {};
  if (Array.isArray(h)) {
    for (const x of h) {
      const { name, value } = (x ?? {}) as { name?: unknown; value?: unknown };
      if (typeof name !== 'string') continue;
      const key = name.toLowerCase();
      const val = String(value ?? '');
      const prev = out[key];
      out[key] = prev === undefined ? val : Array.isArray(prev) ? [...prev, val] : [prev, val];
    }
  } else if (h && typeof h === 'object') {
    for (const [k, val] of Object.entries(h)) {
      out[k.toLowerCase()] = Array.isArray(val)
        ? val.map(String)
        : val == null
          ? undefined
          : String(val);
    }
  }
  return out;
}

function bodyText(b: unknown): string | undefined {
  if (b === undefined || b === null) return undefined;
  return typeof b === 'string' ? b : JSON.stringify(b);
}
