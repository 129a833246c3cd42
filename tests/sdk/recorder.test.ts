import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  authorizationForm,
  MAX_TEXT_BODY,
  RecordedExchange,
  RecordingProxy,
  startRecordingProxy,
} from '../../src/sdk/recorder';
import { SecretScrubber } from '../../src/redact';
import { startProvider } from '../../src/provider';
import { cleanUpKeys, keysLeftBehind } from '../../src/sdk/verify';
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

  it('counts a key any 2xx write answered with, and any 2xx DELETE as removing it', () => {
    expect(
      keysLeftBehind([
        // a provider that answers a create with 200 (fault create-200)
        ex('POST', '/auth/api_keys', 200, 'tok_created200'),
        ex('PATCH', '/auth/api_keys/tok_patched', 200, 'tok_patched'),
        ex('PUT', '/auth/api_keys/tok_put', 202, 'tok_put'),
        ex('POST', '/auth/api_keys', 201, 'tok_gone204'),
        ex('DELETE', '/auth/api_keys/tok_gone204', 204),
        ex('DELETE', '/auth/api_keys/tok_put?x=1', 200),
        ex('GET', '/auth/api_keys/tok_read', 200, 'tok_read'),
      ]),
    ).toEqual(['tok_created200', 'tok_patched']);
  });

  it('a DELETE before the key was (re)created does not remove it', () => {
    expect(
      keysLeftBehind([
        ex('DELETE', '/auth/api_keys/tok_late', 200),
        ex('POST', '/auth/api_keys', 201, 'tok_late'),
      ]),
    ).toEqual(['tok_late']);
  });
});

describe('cleanUpKeys: the verification deletes what the run left', () => {
  const ex = (method: string, path: string, status: number, id?: string): RecordedExchange => ({
    method,
    path,
    status,
    authorizationForm: 'raw',
    responseBody: id ? { data: { id } } : undefined,
  });

  it('deletes every key left behind with the run token, then confirms with a list', async () => {
    const provider = await startProvider({ port: 0, rateLimit: { enabled: false } });
    try {
      const created: string[] = [];
      for (const name of ['lc-conformance-a', 'Name of the API Key', 'lc-conformance-b']) {
        const res = await fetch(`${provider.url}/auth/api_keys`, {
          method: 'POST',
          headers: {
            Authorization: provider.rootToken,
            'Content-Type': 'application/json',
            Accept: 'application/vnd.api+json',
          },
          body: JSON.stringify({ data: { type: 'api_keys', attributes: { name } } }),
        });
        created.push(((await res.json()) as { data: { id: string } }).data.id);
      }
      await fetch(`${provider.url}/auth/api_keys/${created[2]}`, {
        method: 'DELETE',
        headers: { Authorization: provider.rootToken },
      });
      const cleanup = await cleanUpKeys(
        provider.url,
        provider.rootToken,
        [
          ex('POST', '/auth/api_keys', 200, created[0]),
          ex('POST', '/auth/api_keys', 201, created[1]),
          ex('POST', '/auth/api_keys', 201, created[2]),
          ex('DELETE', `/auth/api_keys/${created[2]}`, 200),
        ],
        new SecretScrubber([provider.rootToken]),
      );
      expect(cleanup).toEqual({
        created,
        deletedBySdk: 1,
        deletedByVerification: [created[0], created[1]],
        leftBehind: [],
      });
      expect(provider.keys()).toEqual([]);
    } finally {
      await provider.close();
    }
  });

  it('reports a key it could not delete as left behind, and why', async () => {
    const cleanup = await cleanUpKeys(
      REFUSED_URL,
      'some-token-value',
      [ex('POST', '/auth/api_keys', 201, 'tok_stuck')],
      new SecretScrubber(),
    );
    expect(cleanup.leftBehind).toEqual(['tok_stuck']);
    expect(cleanup.deletedByVerification).toEqual([]);
    expect(cleanup.error).toMatch(/DELETE tok_stuck failed/);
  });
});

describe('recording proxy in front of an HTTPS target', () => {
  it('forwards over TLS when the target URL is https', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const server = createHttpsServer(
      { key: readFileSync(path.join(dir, 'key.pem')), cert },
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/vnd.api+json' });
        res.end(JSON.stringify({ data: [], meta: { tls: true, path: req.url } }));
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxy = await startRecordingProxy(
      `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      new SecretScrubber(),
      { ca: cert },
    );
    try {
      const res = await fetch(`${proxy.url}/auth/api_keys`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ meta: { tls: true, path: '/auth/api_keys' } });
    } finally {
      await proxy.close();
      await new Promise((r) => server.close(r));
    }
  });
});
