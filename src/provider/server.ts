import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { parseMediaType } from '../spec/media-type';
import type { FaultName } from './faults';
import { newKeyId, newToken, newUserId } from './ids';
import { isAddressAllowed } from './ip-allowlist';
import {
  badRequest,
  internalError,
  invalidToken,
  ipNotAllowed,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  ProviderError,
  rateLimited,
  readOnlyKey,
  routeNotFound,
  unsupportedMediaType,
} from './jsonapi-errors';
import type { RateLimiter } from './rate-limiter';
import { KeyInput, SimulatedCrash, validateKeyBody, WriteOperation } from './request-validation';
import { toResource } from './serialize';
import type { KeyStore, Principal, StoredKey } from './store';

export const API_KEYS_PATH = '/auth/api_keys';
/** Where `pact verify` (or anyone) can ask for a provider state, when the option enables it. */
export const PROVIDER_STATES_PATH = '/_pact/provider-states';
/** Request bodies above this are refused with 413 (a key document is a few hundred bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_API = 'application/vnd.api+json';
const ACCEPTED_MEDIA_TYPES = new Set(['application/json', JSON_API]);

/** Everything a request handler needs; built once by startProvider. */
export interface ProviderContext {
  store: KeyStore;
  rootToken: string;
  apiVersion: string;
  user: { id: string; email: string };
  faults: Set<FaultName>;
  rateLimiter: RateLimiter;
  trustForwardedFor: boolean;
  /** How long the slow-list fault holds the list. */
  slowMs: number;
  /** Aborted on close, so a held response (slow-list) never keeps the process alive. */
  closing: AbortSignal;
  now: () => Date;
  /** Called when the slow-list fault starts holding a list (tests wait on it, not on a timer). */
  onListHeld?: () => void;
  /** Answers POST /_pact/provider-states; undefined when the endpoint is off. */
  stateChange?: (body: unknown) => Promise<Record<string, unknown>>;
}

type Handled = { status: number; body?: unknown; headers?: Record<string, string> };

/** Builds a stored key for a valid create request (also used by the provider states). */
export function newStoredKey(ctx: ProviderContext, input: KeyInput): StoredKey {
  const now = ctx.now();
  const token = input.token ?? freshToken(ctx);
  const key: StoredKey = {
    id: newKeyId(ctx.faults.has('hyphenated-id') ? '-' : '_'),
    name: input.name ?? '',
    token,
    readOnly: input.readOnly ?? false,
    allowedIps: input.allowedIps ?? [],
    user: ctx.faults.has('user-differs')
      ? { id: newUserId(), email: `user-${newUserId().slice(5, 13).toLowerCase()}@example.test` }
      : { ...ctx.user },
    createdAt: now,
    updatedAt: now,
    lastUsedAt: ctx.faults.has('last-used-on-create') ? now : null,
  };
  ctx.store.add(key);
  return key;
}

/** The request listener. It never throws: anything unexpected becomes a JSON:API 500. */
export function createRequestListener(ctx: ProviderContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const detail = err instanceof SimulatedCrash ? 'Internal Server Error' : undefined;
      try {
        sendError(ctx, res, internalError(detail));
      } catch {
        res.destroy();
      }
    });
  };
}

async function handle(ctx: ProviderContext, req: IncomingMessage, res: ServerResponse) {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://provider.invalid');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;

  const raw = await readBody(req);

  if (ctx.stateChange && path === PROVIDER_STATES_PATH) {
    return handleStateChange(ctx, method, raw, res);
  }

  let id: string | undefined;
  let allowed: string[];
  if (path === API_KEYS_PATH) {
    allowed = ['GET', 'POST'];
  } else if (
    path.startsWith(API_KEYS_PATH + '/') &&
    !path.slice(API_KEYS_PATH.length + 1).includes('/')
  ) {
    id = safeDecode(path.slice(API_KEYS_PATH.length + 1));
    allowed = ['PUT', 'PATCH', 'DELETE'];
  } else {
    return sendError(ctx, res, routeNotFound(method, url.pathname));
  }
  if (!allowed.includes(method)) return sendError(ctx, res, methodNotAllowed(method, allowed));
  if (raw === 'too-large') return sendError(ctx, res, payloadTooLarge(MAX_BODY_BYTES));

  const principal = authenticate(ctx, req.headers.authorization);
  if (!principal) return sendError(ctx, res, invalidToken());

  if (principal.kind === 'key') {
    const key = principal.key;
    if (
      !ctx.faults.has('ip-allowlist-ignored') &&
      !isAddressAllowed(clientAddress(ctx, req), key.allowedIps)
    ) {
      return sendError(ctx, res, ipNotAllowed());
    }
  }

  const write = method !== 'GET';
  if (ctx.faults.has('always-429')) return sendError(ctx, res, rateLimited(1));
  const limiterId = principal.kind === 'root' ? 'root' : principal.key.id;
  const decision = ctx.rateLimiter.take(limiterId, write ? 'write' : 'read');
  if (!decision.allowed) return sendError(ctx, res, rateLimited(decision.retryAfterSeconds));

  if (principal.kind === 'key') principal.key.lastUsedAt = ctx.now();

  const refusedToReadOnly = write
    ? !ctx.faults.has('read-only-can-write')
    : ctx.faults.has('read-only-cannot-read');
  if (principal.kind === 'key' && principal.key.readOnly && refusedToReadOnly) {
    return sendError(ctx, res, readOnlyKey());
  }

  let result: Handled | ProviderError;
  switch (method) {
    case 'GET':
      result = await list(ctx);
      if (ctx.closing.aborted) return;
      break;
    case 'POST':
      result = create(ctx, req, raw);
      break;
    case 'PUT':
    case 'PATCH':
      result = change(ctx, req, raw, id as string, method === 'PUT' ? 'rotate' : 'update');
      break;
    default:
      result = remove(ctx, id as string);
  }
  if ('errors' in result) return sendError(ctx, res, result);
  return sendSuccess(ctx, res, result);
}

// --- the five operations

async function list(ctx: ProviderContext): Promise<Handled> {
  if (ctx.faults.has('slow-list')) {
    try {
      const held = delay(ctx.slowMs, undefined, { signal: ctx.closing });
      ctx.onListHeld?.();
      await held;
    } catch {
      return { status: 503 };
    }
  }
  let keys = ctx.store.all();
  if (ctx.faults.has('key-not-listed')) keys = keys.slice(0, -1);
  const showToken = ctx.faults.has('token-in-list');
  return {
    status: 200,
    body: { data: keys.map((k) => toResource(k, serializeContext(ctx, showToken))), meta: {} },
  };
}

function create(ctx: ProviderContext, req: IncomingMessage, raw: Buffer): Handled | ProviderError {
  const parsed = parseBody(ctx, req, raw);
  if (!parsed.ok) return parsed.error;
  const checked = validateKeyBody(parsed.value, 'create', undefined, ctx.faults);
  if (!checked.ok) return checked.error;
  const key = newStoredKey(ctx, checked.input);
  return {
    status: ctx.faults.has('create-200') ? 200 : 201,
    body: { data: toResource(key, serializeContext(ctx, true)), meta: {} },
  };
}

function change(
  ctx: ProviderContext,
  req: IncomingMessage,
  raw: Buffer,
  id: string,
  op: WriteOperation,
): Handled | ProviderError {
  const parsed = parseBody(ctx, req, raw);
  if (!parsed.ok) return parsed.error;
  const key = ctx.store.get(id);
  if (!key) return ctx.faults.has('unknown-id-200') ? unknownIdOk({ data: null }) : notFound();
  const checked = validateKeyBody(parsed.value, op, id, ctx.faults);
  if (!checked.ok) return checked.error;
  const input = checked.input;
  const f = ctx.faults;

  if (input.name !== undefined) key.name = input.name;
  if (input.readOnly !== undefined) key.readOnly = input.readOnly;
  if (input.allowedIps !== undefined) key.allowedIps = input.allowedIps;
  if (input.token !== undefined) {
    ctx.store.replaceToken(key, input.token);
  } else if (op === 'rotate' ? !f.has('rotate-keeps-token') : f.has('update-rotates-token')) {
    ctx.store.replaceToken(key, freshToken(ctx));
  }
  if (op === 'rotate' && f.has('id-changes-on-rotate')) {
    ctx.store.replaceId(key, newKeyId(f.has('hyphenated-id') ? '-' : '_'));
  }
  key.updatedAt = ctx.now();
  const showToken = op === 'rotate' || f.has('token-on-update');
  return {
    status: 200,
    body: { data: toResource(key, serializeContext(ctx, showToken)), meta: {} },
  };
}

function remove(ctx: ProviderContext, id: string): Handled | ProviderError {
  const key = ctx.store.get(id);
  if (!key) return ctx.faults.has('unknown-id-200') ? unknownIdOk({}) : notFound();
  if (!ctx.faults.has('delete-noop')) ctx.store.delete(key);
  if (ctx.faults.has('delete-204')) return { status: 204 };
  return { status: 200, body: { meta: {} } };
}

/** The unknown-id-200 fault: 200 where the id check answers 404; nothing is stored or changed. */
function unknownIdOk(body: { data?: null }): Handled {
  return { status: 200, body: { ...body, meta: {} } };
}

// --- authentication

/** `Bearer <token>` (the docs) or the raw token (what the SDKs send). */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const bearer = /^bearer\s+(.+)$/i.exec(value);
  const token = (bearer ? bearer[1] : value).trim();
  return token.length > 0 ? token : undefined;
}

function authenticate(ctx: ProviderContext, header: string | undefined): Principal | undefined {
  const f = ctx.faults;
  const token = tokenFromAuthorization(header);
  if (token === undefined) return f.has('no-auth-required') ? { kind: 'root' } : undefined;
  if (token === ctx.rootToken) return { kind: 'root' };
  const key = ctx.store.findByToken(token);
  if (key && !f.has('new-token-rejected')) return { kind: 'key', key, retired: false };
  const retired = ctx.store.findRetired(token);
  if (retired) {
    const stillValid =
      retired.why === 'rotated'
        ? f.has('rotated-token-still-valid')
        : f.has('deleted-token-still-valid');
    if (stillValid) return { kind: 'key', key: retired.key, retired: true };
  }
  if (f.has('wrong-token-accepted')) return { kind: 'root' };
  return undefined;
}

function clientAddress(ctx: ProviderContext, req: IncomingMessage): string | undefined {
  if (ctx.trustForwardedFor) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress;
}

/** A token no key has ever had (so a retired token can never come back to life). */
function freshToken(ctx: ProviderContext): string {
  let token: string;
  do token = newToken();
  while (ctx.store.knows(token) || token === ctx.rootToken);
  return token;
}

// --- request bodies

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: ProviderError };

function parseBody(ctx: ProviderContext, req: IncomingMessage, raw: Buffer): Parsed {
  const bytes = raw;
  if (bytes.length === 0) {
    return {
      ok: false,
      error: badRequest('The request body is missing: send a JSON:API document'),
    };
  }
  const contentType = req.headers['content-type'];
  const type = contentType === undefined ? undefined : parseMediaType(contentType)?.essence;
  if (!ctx.faults.has('accepts-any-content-type') && (!type || !ACCEPTED_MEDIA_TYPES.has(type))) {
    return { ok: false, error: unsupportedMediaType(contentType) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: badRequest('The request body is not valid UTF-8') };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    if (ctx.faults.has('non-json-500'))
      throw new SimulatedCrash('body is not JSON (non-json-500 fault)');
    return { ok: false, error: badRequest('The request body is not valid JSON') };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// --- responses

function serializeContext(ctx: ProviderContext, showToken: boolean) {
  return { apiVersion: ctx.apiVersion, faults: ctx.faults, showToken };
}

function contentType(ctx: ProviderContext): string | undefined {
  if (ctx.faults.has('no-content-type')) return undefined;
  const type = ctx.faults.has('json-content-type') ? 'application/json' : JSON_API;
  return ctx.faults.has('no-charset') ? type : `${type}; charset=utf-8`;
}

function write(
  res: ServerResponse,
  status: number,
  type: string | undefined,
  body: string | undefined,
  headers: Record<string, string> = {},
) {
  const bytes = body === undefined ? undefined : Buffer.from(body, 'utf8');
  const all: Record<string, string | number> = { ...headers };
  if (type && bytes) all['Content-Type'] = type;
  if (status !== 204) all['Content-Length'] = bytes ? bytes.length : 0;
  res.writeHead(status, all);
  res.end(bytes);
}

function sendSuccess(ctx: ProviderContext, res: ServerResponse, result: Handled) {
  const body = result.body === undefined ? undefined : JSON.stringify(result.body);
  write(res, result.status, contentType(ctx), body, result.headers);
}

function sendError(ctx: ProviderContext, res: ServerResponse, error: ProviderError) {
  if (ctx.faults.has('error-not-jsonapi')) {
    const text = error.errors.map((e) => e.detail).join('\n');
    write(res, error.httpStatus, 'text/plain; charset=utf-8', text, error.headers);
    return;
  }
  if (ctx.faults.has('error-not-errors-array')) {
    const first = error.errors[0] ?? {};
    const body = { errors: { ...first, status: error.httpStatus } };
    write(res, error.httpStatus, contentType(ctx), JSON.stringify(body), error.headers);
    return;
  }
  write(
    res,
    error.httpStatus,
    contentType(ctx),
    JSON.stringify({ errors: error.errors }),
    error.headers,
  );
}

// --- provider states over HTTP

async function handleStateChange(
  ctx: ProviderContext,
  method: string,
  raw: Buffer | 'too-large',
  res: ServerResponse,
) {
  const reply = (status: number, body: unknown) =>
    write(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  if (method !== 'POST') {
    return reply(405, { errors: methodNotAllowed(method, ['POST']).errors });
  }
  if (raw === 'too-large') return reply(413, { errors: payloadTooLarge(MAX_BODY_BYTES).errors });
  let body: unknown;
  try {
    body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
  } catch {
    return reply(400, { errors: badRequest('The request body is not valid JSON').errors });
  }
  try {
    reply(200, await (ctx.stateChange as NonNullable<ProviderContext['stateChange']>)(body));
  } catch (err) {
    reply(400, { errors: badRequest((err as Error).message).errors });
  }
}
