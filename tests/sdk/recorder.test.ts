import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authorizationForm,
  MAX_TEXT_BODY,
  RecordedExchange,
  RecordingProxy,
  startRecordingProxy,
} from '../../src/sdk/recorder';
import { SecretScrubber } from '../../src/redact';
import { keysLeftBehind } from '../../src/sdk/verify';
import { REFUSED_URL } from '../support/net';

/** The recording proxy keeps what an SDK sent and the facts of the answer, never a credential. */
describe('recording proxy', () => {
  const callerToken = '0123456789abcdef0123456789abcdef0123';
  const issuedToken = 'fedcba9876543210fedcba9876543210abcd';
  let target: Server;
  let proxy: RecordingProxy;
  const seen: Array<{ auth?: string; body: string }> = [];

  beforeAll(async () => {
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body });
        res.writeHead(201, { 'content-type': 'application/vnd.api+json; charset=utf-8' });
        res.end(
          JSON.stringify({
            data: {
              id: 'tok_a1',
              type: 'api_keys',
              attributes: { token: issuedToken, token_last_slice: issuedToken.slice(-5) },
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    proxy = await startRecordingProxy(`http://127.0.0.1:${(target.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((r) => target.close(r));
  });

  it('forwards the request unchanged and records its headers, body and the answer', async () => {
    const res = await fetch(`${proxy.url}/auth/api_keys`, {
      method: 'POST',
      headers: {
        Authorization: callerToken,
        'Content-Type': 'application/json',
        Accept: 'application/vnd.api+json',
        'User-Agent': 'speakeasy-sdk/test',
      },
      body: JSON.stringify({ data: { type: 'api_keys', attributes: { name: 'n' } } }),
    });
    expect(res.status).toBe(201);
    expect(
      ((await res.json()) as { data: { attributes: { token: string } } }).data.attributes.token,
    ).toBe(issuedToken);
    expect(seen[0].auth).toBe(callerToken);

    const [e] = proxy.exchanges;
    expect(e).toMatchObject({
      method: 'POST',
      path: '/auth/api_keys',
      authorizationForm: 'raw',
      contentType: 'application/json',
      accept: 'application/vnd.api+json',
      userAgent: 'speakeasy-sdk/test',
      body: { data: { type: 'api_keys', attributes: { name: 'n' } } },
      status: 201,
      responseToken: { present: true, length: 36, lastSliceMatches: true },
    });
  });

  it('keeps neither the caller token nor the issued token', () => {
    const text = JSON.stringify(proxy.exchanges);
    expect(text).not.toContain(callerToken);
    expect(text).not.toContain(issuedToken);
    expect(proxy.exchanges[0].authorizationRedacted).toBe('[REDACTED]…f0123');
  });

  it('tells Bearer, raw and absent credentials apart', () => {
    expect(authorizationForm('Bearer abc')).toBe('bearer');
    expect(authorizationForm('abc')).toBe('raw');
    expect(authorizationForm(undefined)).toBe('absent');
    expect(authorizationForm('Token a b')).toBe('other');
  });
});

describe('recording proxy in front of a target that is down', () => {
  it('answers 502 saying the target is unreachable, and records the request with that status', async () => {
    const proxy = await startRecordingProxy(REFUSED_URL);
    try {
      const res = await fetch(`${proxy.url}/auth/api_keys`, { headers: { Authorization: 'x' } });
      expect(res.status).toBe(502);
      expect(await res.text()).toMatch(/^recording proxy: target unreachable: .*ECONNREFUSED/);
      expect(proxy.exchanges).toEqual([
        expect.objectContaining({ method: 'GET', path: '/auth/api_keys', status: 502 }),
      ]);
    } finally {
      await proxy.close();
    }
  });
});

describe('recording proxy: bodies that are not JSON', () => {
  // Not hex and not Authorization-shaped: only the scrubber's registry knows it is a secret.
  const secret = 'SeCrEt-VaLuE-ThAt-StRaDdLeS-tHe-CuT';
  const text = 'x'.repeat(MAX_TEXT_BODY - 10) + secret + ' and more text after it';
  let target: Server;

  beforeAll(async () => {
    target = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(text);
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => target.close(r)));

  it('scrubs the whole text before cutting it, so no part of a secret across the cut is kept', async () => {
    const proxy = await startRecordingProxy(
      `http://127.0.0.1:${(target.address() as AddressInfo).port}`,
      new SecretScrubber([secret]),
    );
    try {
      await (await fetch(`${proxy.url}/auth/api_keys`, { method: 'POST', body: text })).text();
      const [e] = proxy.exchanges;
      for (const recorded of [e.body, e.responseBody]) {
        expect(typeof recorded).toBe('string');
        expect((recorded as string).length).toBeLessThanOrEqual(MAX_TEXT_BODY);
        expect(recorded as string).not.toContain(secret.slice(0, 6));
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('keys left behind on a real account', () => {
  const ex = (method: string, path: string, status: number, id?: string): RecordedExchange => ({
    method,
    path,
    status,
    authorizationForm: 'raw',
    responseBody: id ? { data: { id } } : undefined,
  });

  it('lists each created key no DELETE removed', () => {
    expect(
      keysLeftBehind([
        ex('POST', '/auth/api_keys', 201, 'tok_kept1'),
        ex('POST', '/auth/api_keys', 201, 'tok_gone1'),
        ex('POST', '/auth/api_keys', 422),
        ex('DELETE', '/auth/api_keys/tok_gone1', 200),
        ex('DELETE', '/auth/api_keys/tok_kept1', 404),
      ]),
    ).toEqual(['tok_kept1']);
  });
});
