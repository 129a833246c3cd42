import { createServer, request as httpRequest, Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { redactToken, SecretScrubber } from '../redact';
import { headerValue } from '../spec/media-type';

/**
 * A recording reverse proxy: the SDK under test talks to it, it forwards every request to the
 * target unchanged and keeps what the SDK really sent. Credentials are never kept: only the form
 * of the Authorization header (raw token, `Bearer <token>`, absent) and its redacted value.
 */

export type AuthorizationForm = 'raw' | 'bearer' | 'absent' | 'other';

export interface RecordedExchange {
  /**
   * The driver step that sent it. Each step sends exactly one request (the SDKs' retries are off
   * by default), so steps and exchanges are paired by order after the run.
   */
  step?: string;
  method: string;
  path: string;
  authorizationForm: AuthorizationForm;
  /** Redacted: the marker and at most the last 5 characters. */
  authorizationRedacted?: string;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** The request body parsed as JSON (scrubbed of known secrets), or its text when not JSON. */
  body?: unknown;
  status?: number;
  responseContentType?: string;
  /** The response body parsed as JSON with `token` values redacted; facts kept below. */
  responseBody?: unknown;
  /** Facts about the token in the response, computed before it was redacted. */
  responseToken?: { present: boolean; length: number; lastSliceMatches: boolean };
  /** Set by the stub run: the stub found no interaction for this request. */
  unmatched?: boolean;
}

export interface RecordingProxy {
  url: string;
  exchanges: RecordedExchange[];
  close(): Promise<void>;
}

export function authorizationForm(value: string | undefined): AuthorizationForm {
  if (value === undefined || value === '') return 'absent';
  if (/^bearer\s+\S+$/i.test(value)) return 'bearer';
  if (/^\S+$/.test(value)) return 'raw';
  return 'other';
}

/** How much of a body that is not JSON is kept, after it was scrubbed. */
export const MAX_TEXT_BODY = 2000;

function parseBody(raw: Buffer, scrubber: SecretScrubber): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return scrubber.scrubValue(JSON.parse(text));
  } catch {
    // Scrubbed whole, then cut: a secret straddling the cut would otherwise keep its first part.
    return scrubber.scrub(text).slice(0, MAX_TEXT_BODY);
  }
}

function tokenFacts(body: unknown): RecordedExchange['responseToken'] {
  const attrs = (body as { data?: { attributes?: Record<string, unknown> } } | undefined)?.data
    ?.attributes;
  if (!attrs || typeof attrs !== 'object') return undefined;
  const token = typeof attrs.token === 'string' ? attrs.token : '';
  const slice = typeof attrs.token_last_slice === 'string' ? attrs.token_last_slice : '';
  return {
    present: token !== '',
    length: token.length,
    lastSliceMatches: token !== '' && slice.length === 5 && token.endsWith(slice),
  };
}

/**
 * Starts the proxy on 127.0.0.1:0 in front of `target`. `scrubber` learns every token seen in a
 * response so that nothing recorded afterwards can carry it.
 */
export async function startRecordingProxy(
  target: string,
  scrubber: SecretScrubber = new SecretScrubber(),
  /** Extra certificate authorities for an HTTPS target (tests with a self-signed target). */
  tls: { ca?: string } = {},
): Promise<RecordingProxy> {
  const base = new URL(target);
  const exchanges: RecordedExchange[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const auth = headerValue(req.headers, 'authorization');
      const form = authorizationForm(auth);
      if (auth) scrubber.add(auth.replace(/^bearer\s+/i, ''));
      const exchange: RecordedExchange = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        authorizationForm: form,
        authorizationRedacted: auth
          ? (form === 'bearer' ? 'Bearer ' : '') + redactToken(auth.replace(/^bearer\s+/i, ''))
          : undefined,
        contentType: headerValue(req.headers, 'content-type'),
        accept: headerValue(req.headers, 'accept'),
        userAgent: headerValue(req.headers, 'user-agent'),
        body: parseBody(raw, scrubber),
      };
      exchanges.push(exchange);

      const basePath = base.pathname.replace(/\/$/, '');
      // The SDK talks plain HTTP to this proxy on loopback; the target may well be HTTPS.
      const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
      const forward = send(
        {
          hostname: base.hostname,
          port: base.port,
          method: req.method,
          path: basePath + (req.url ?? '/'),
          headers: { ...req.headers, host: base.host },
          ...(tls.ca ? { ca: tls.ca } : {}),
        },
        (upstream) => {
          const out: Buffer[] = [];
          upstream.on('data', (c: Buffer) => out.push(c));
          upstream.on('end', () => {
            const body = Buffer.concat(out);
            exchange.status = upstream.statusCode;
            exchange.responseContentType = headerValue(upstream.headers, 'content-type');
            let parsed: unknown;
            try {
              parsed = body.length ? JSON.parse(body.toString('utf8')) : undefined;
            } catch {
              parsed = undefined;
            }
            exchange.responseToken = tokenFacts(parsed);
            const token = (parsed as { data?: { attributes?: { token?: unknown } } })?.data
              ?.attributes?.token;
            if (typeof token === 'string') scrubber.add(token);
            exchange.responseBody =
              parsed === undefined
                ? body.length
                  ? scrubber.scrub(body.toString('utf8')).slice(0, MAX_TEXT_BODY)
                  : undefined
                : scrubber.scrubValue(parsed);
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            res.end(body);
          });
        },
      );
      forward.on('error', (err) => {
        exchange.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`recording proxy: target unreachable: ${err.message}`);
      });
      forward.end(raw);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
