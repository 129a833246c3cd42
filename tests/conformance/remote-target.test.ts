import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startProvider, RunningProvider } from '../../src/provider';
import { REFUSED_URL } from '../support/net';
import { failedCodes, faultyProxy, runCli, tempDir } from './helpers';

const prefixed = (p: RunningProvider) =>
  p.keys().filter((k) => k.name.startsWith('lc-conformance-'));

describe('a run against a provider given by LATITUDE_API_BASE_URL', () => {
  let provider: RunningProvider;
  beforeAll(async () => {
    provider = await startProvider({ port: 0, rateLimit: { enabled: false } });
  });
  afterAll(() => provider.close());

  it('passes, fuzzes nothing by default, and deletes every key it created', async () => {
    const { code, report } = await runCli(['--writes-per-minute', '0', '--reads-per-minute', '0'], {
      LATITUDE_API_BASE_URL: provider.url,
      LATITUDE_API_TOKEN: provider.rootToken,
    });
    expect(report?.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(code).toBe(0);
    expect(report?.fuzz.runs).toBe(0);
    expect(report?.checks.find((c) => c.code === 'input.fuzz')).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/--fuzz-runs 0/),
    });
    expect(report?.summary.unreached).toBe(0);
    expect(prefixed(provider)).toEqual([]);
  });

  it('stops at once with exit 2 when the token is rejected at the first call', async () => {
    const { code, err, report } = await runCli([], {
      LATITUDE_API_BASE_URL: provider.url,
      LATITUDE_API_TOKEN: 'f'.repeat(36),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/rejected the token at the first call \(401\)/);
    expect(err.join('\n')).not.toContain('f'.repeat(36));
    expect(report).toBeUndefined();
  });

  it('exits 2 with one message when the target cannot be reached', async () => {
    const { code, err } = await runCli([], {
      LATITUDE_API_BASE_URL: REFUSED_URL,
      LATITUDE_API_TOKEN: 'x'.repeat(36),
    });
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: .*127\.0\.0\.1/);
    expect(err[0]).not.toMatch(/\n\s+at /);
  });

  it.each([
    [{ LATITUDE_API_BASE_URL: 'http://127.0.0.1:1' }, [], /LATITUDE_API_TOKEN is not/],
    [
      { LATITUDE_API_BASE_URL: 'ftp://example', LATITUDE_API_TOKEN: 't' },
      [],
      /must be an http\(s\) URL/,
    ],
    [
      { LATITUDE_API_BASE_URL: 'http://127.0.0.1:1', LATITUDE_API_TOKEN: 't' },
      ['--provider-fault', 'create-200'],
      /only works with the embedded provider/,
    ],
    [
      {},
      ['--provider-fault', 'no-such-fault'],
      /unknown provider fault no-such-fault; known faults: .*wrong-last-slice/,
    ],
    [{}, ['--only', 'semantic.nope'], /unknown check code semantic\.nope/],
    [{}, ['--fuzz-runs', 'many'], /--fuzz-runs takes a whole number/],
    [{}, ['--bogus'], /Unknown option '--bogus'/],
    [
      { LATITUDE_API_BASE_URL: 'http://ci:s3cr3tpass@127.0.0.1:1', LATITUDE_API_TOKEN: 't' },
      [],
      /must not carry a user name or password/,
    ],
    [
      { LATITUDE_API_BASE_URL: 'http://127.0.0.1:1', LATITUDE_API_TOKEN: 'abc def' },
      [],
      /characters an HTTP header cannot carry/,
    ],
    [{}, ['--name-prefix', ''], /--name-prefix takes 2 to 40/],
    [{}, ['--timeout-ms', '99999999999'], /--timeout-ms takes at most/],
    [{}, ['--report-dir', __filename + '/reports'], /cannot write reports to/],
  ])('refuses bad configuration %j %j with exit 2', async (env, args, message) => {
    const { code, err } = await runCli(args as string[], env as NodeJS.ProcessEnv);
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(message);
    expect(err.join('\n')).not.toContain('s3cr3tpass');
  });

  it('runs only the selected checks and reports the rest as not selected', async () => {
    const { code, report } = await runCli(
      ['--only', 'semantic', '--skip', 'semantic.api_version'],
      {},
    );
    expect(code).toBe(0);
    const byStatus = (s: string) => report!.checks.filter((c) => c.status === s).map((c) => c.code);
    expect(byStatus('passed').every((c) => c.startsWith('semantic.'))).toBe(true);
    expect(byStatus('skipped')).toContain('semantic.api_version');
    expect(report!.checks.find((c) => c.code === 'semantic.api_version')?.message).toMatch(
      /not selected/,
    );
  });

  it('retries 429 after meta.retry_after and still passes on a rate-limited provider', async () => {
    const limited = await startProvider({
      port: 0,
      // Four writes a second: a run's ~20 writes in a row exceed that even on a loaded machine.
      rateLimit: { enabled: true, writesPerMinute: 4, readsPerMinute: 40, windowMs: 1000 },
    });
    try {
      const { code, report } = await runCli(
        ['--writes-per-minute', '0', '--reads-per-minute', '0'],
        {
          LATITUDE_API_BASE_URL: limited.url,
          LATITUDE_API_TOKEN: limited.rootToken,
        },
      );
      expect(report?.checks.filter((c) => c.status === 'failed')).toEqual([]);
      expect(code).toBe(0);
      expect(report!.requests.retries).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('deletes keys an earlier, finished run left in the ledger before it starts', async () => {
    const dir = tempDir('ledger');
    const ledger = path.join(dir, 'ledger.json');
    const stray = await fetch(`${provider.url}/auth/api_keys`, {
      method: 'POST',
      headers: { Authorization: provider.rootToken, 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify({
        data: { type: 'api_keys', attributes: { name: 'lc-conformance-earlier-run-key' } },
      }),
    }).then((r) => r.json() as Promise<{ data: { id: string } }>);
    fs.writeFileSync(
      ledger,
      JSON.stringify({
        version: 1,
        entries: [
          {
            target: provider.url,
            runId: 'earlier',
            id: stray.data.id,
            name: 'x',
            createdAt: new Date().toISOString(),
            // A run on this machine whose process has ended (above Linux's pid limit).
            host: os.hostname(),
            pid: 2 ** 22 + 1,
          },
        ],
      }),
    );
    const { code, report } = await runCli(
      ['--ledger', ledger, '--writes-per-minute', '0', '--reads-per-minute', '0'],
      {
        LATITUDE_API_BASE_URL: provider.url,
        LATITUDE_API_TOKEN: provider.rootToken,
      },
    );
    expect(code).toBe(0);
    expect(report!.cleanup.swept).toBe(1);
    expect(provider.keys().map((k) => k.id)).not.toContain(stray.data.id);
    const after = JSON.parse(fs.readFileSync(ledger, 'utf8'));
    expect(after.entries.every((e: { deletedAt?: string }) => e.deletedAt)).toBe(true);
    expect(fs.readFileSync(ledger, 'utf8')).not.toContain(provider.rootToken);
  });

  it('fails, not skips, the checks whose list never answered', async () => {
    // A proxy that answers every list with a JSON:API 500 and forwards the rest.
    const proxy = await faultyProxy(provider.url, {
      intercept: (req, res) => {
        if (req.method !== 'GET') return false;
        res.writeHead(500, { 'content-type': 'application/vnd.api+json' });
        res.end(JSON.stringify({ errors: [{ code: 'internal', status: '500', title: 'Error' }] }));
        return true;
      },
    });
    try {
      const { code, report, out } = await runCli(['--only', 'lifecycle.created_key_listed'], {
        LATITUDE_API_BASE_URL: proxy.url,
        LATITUDE_API_TOKEN: provider.rootToken,
      });
      expect(code).toBe(1);
      expect(failedCodes(report)).toEqual(['lifecycle.created_key_listed']);
      expect(out.join('\n')).not.toMatch(/PASSED/);
    } finally {
      await proxy.close();
    }
  });

  it('is incomplete, never passed, when a selected check could not run', async () => {
    const { code, report, out } = await runCli([
      '--only',
      'security.ip_allowlist',
      '--provider-fault',
      'missing-token',
    ]);
    expect(code).toBe(1);
    expect(report?.summary).toMatchObject({ failed: 0, unreached: 1 });
    expect(report?.checks.find((c) => c.code === 'security.ip_allowlist')?.message).toMatch(
      /not reached/,
    );
    expect(out.join('\n')).toMatch(/^INCOMPLETE: /m);
  });

  it('finds and deletes a key whose create answer never arrived (timed out)', async () => {
    // A proxy that holds the answer to the first create past the run's timeout.
    let held = false;
    const proxy = await faultyProxy(provider.url, {
      delayMs: (req) => {
        const hold = req.method === 'POST' && !held;
        held ||= hold;
        return hold ? 1500 : 0;
      },
    });
    try {
      const { report } = await runCli(
        ['--timeout-ms', '1000', '--writes-per-minute', '0', '--reads-per-minute', '0'],
        {
          LATITUDE_API_BASE_URL: proxy.url,
          LATITUDE_API_TOKEN: provider.rootToken,
        },
      );
      expect(failedCodes(report)).toContain('transport.timeout');
      expect(prefixed(provider)).toEqual([]);
      expect(report!.cleanup.leftBehind).toEqual([]);
      expect(report!.cleanup.deleted).toBe(report!.cleanup.created);
    } finally {
      await proxy.close();
    }
  });

  it('deletes the key a provider gives a new id on rotate, and counts it', async () => {
    const faulty = await startProvider({
      port: 0,
      rateLimit: { enabled: false },
      faults: ['id-changes-on-rotate'],
    });
    try {
      const { code, report } = await runCli(
        ['--writes-per-minute', '0', '--reads-per-minute', '0'],
        {
          LATITUDE_API_BASE_URL: faulty.url,
          LATITUDE_API_TOKEN: faulty.rootToken,
        },
      );
      expect(code).toBe(1);
      expect(prefixed(faulty)).toEqual([]);
      expect(report!.cleanup.leftBehind).toEqual([]);
    } finally {
      await faulty.close();
    }
  });

  it('never sweeps the key it authenticates with, nor keys that only share the prefix', async () => {
    const p = await startProvider({ port: 0, rateLimit: { enabled: false } });
    try {
      const create = (name: string) =>
        fetch(`${p.url}/auth/api_keys`, {
          method: 'POST',
          headers: { Authorization: p.rootToken, 'Content-Type': 'application/vnd.api+json' },
          body: JSON.stringify({ data: { type: 'api_keys', attributes: { name } } }),
        }).then(
          (r) => r.json() as Promise<{ data: { id: string; attributes: { token: string } } }>,
        );
      // The run's own key, even with exactly the suite's name shape, is never swept.
      const own = await create('lc-conformance-20260101t0000-abcdef-ci-runner');
      const prefixOnly = await create('lc-conformance-ci');
      const lookalike = await create('lc-conformance-20260101t0000-abcdef-lifecycle');
      const { code, report } = await runCli(
        ['--sweep-age-minutes', '0', '--writes-per-minute', '0', '--reads-per-minute', '0'],
        {
          LATITUDE_API_BASE_URL: p.url,
          LATITUDE_API_TOKEN: own.data.attributes.token,
        },
      );
      expect(code).toBe(0);
      const ids = p.keys().map((k) => k.id);
      expect(ids).toContain(own.data.id);
      expect(ids).toContain(prefixOnly.data.id);
      // The look-alike has exactly the suite's shape and is older than 0 minutes: swept.
      expect(ids).not.toContain(lookalike.data.id);
      expect(report!.cleanup.swept).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('reports findings and cleanup when the provider goes away mid-run, then exits 2', async () => {
    // A proxy that cuts every connection once the run has rotated its key.
    let cut = false;
    const proxy = await faultyProxy(provider.url, {
      intercept: (req) => {
        if (cut && req.method !== 'DELETE') {
          req.socket.destroy();
          return true;
        }
        if (req.method === 'PUT') cut = true;
        return false;
      },
    });
    try {
      const { code, report, err, out } = await runCli(
        ['--writes-per-minute', '0', '--reads-per-minute', '0'],
        {
          LATITUDE_API_BASE_URL: proxy.url,
          LATITUDE_API_TOKEN: provider.rootToken,
        },
      );
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(/stopped answering/);
      expect(report?.error).toMatch(/stopped answering/);
      expect(report!.cleanup.created).toBeGreaterThan(0);
      expect(out.join('\n')).toMatch(/keys: \d+ created, \d+ deleted/);
      // Deletes still went through: nothing of the run is left on the account.
      expect(prefixed(provider)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('fails a refused create whose key was stored anyway, and deletes that key', async () => {
    // A proxy that stores a wrong-type create (fixing its type on the way) but answers 422.
    const proxy = await faultyProxy(provider.url, {
      intercept: (req, res) => {
        if (req.method !== 'POST') return false;
        let body = '';
        const headers = {
          authorization: String(req.headers.authorization ?? ''),
          'content-type': String(req.headers['content-type'] ?? ''),
        };
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (!body.includes('"type":"api_key"')) {
            void fetch(`${provider.url}${req.url}`, {
              method: 'POST',
              headers,
              body,
            }).then(async (r) => {
              res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? '' });
              res.end(await r.text());
            });
            return;
          }
          void fetch(`${provider.url}${req.url}`, {
            method: 'POST',
            headers,
            body: body.replace('"type":"api_key"', '"type":"api_keys"'),
          }).then(() => {
            res.writeHead(422, { 'content-type': 'application/vnd.api+json' });
            res.end(
              JSON.stringify({
                errors: [{ code: 'VALIDATION_ERROR', status: '422', title: 'Invalid' }],
              }),
            );
          });
        });
        return true;
      },
    });
    try {
      const { code, report } = await runCli(['--only', 'input.wrong_type'], {
        LATITUDE_API_BASE_URL: proxy.url,
        LATITUDE_API_TOKEN: provider.rootToken,
      });
      expect(code).toBe(1);
      expect(report!.checks.find((c) => c.status === 'failed')).toMatchObject({
        code: 'input.wrong_type',
        message: expect.stringMatching(/refused, yet the key exists/),
      });
      expect(prefixed(provider)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('stops with exit 2 when the base URL is not the API root', async () => {
    const { code, err } = await runCli([], {
      LATITUDE_API_BASE_URL: `${provider.url}/v1`,
      LATITUDE_API_TOKEN: provider.rootToken,
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(
      /answered 404 at the first call: LATITUDE_API_BASE_URL should be the API root/,
    );
  });

  it('stops with exit 2 when the token can read but not write', async () => {
    const readOnly = await fetch(`${provider.url}/auth/api_keys`, {
      method: 'POST',
      headers: { Authorization: provider.rootToken, 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify({
        data: { type: 'api_keys', attributes: { name: 'ci read-only', read_only: true } },
      }),
    }).then((r) => r.json() as Promise<{ data: { id: string; attributes: { token: string } } }>);
    const { code, err } = await runCli(['--writes-per-minute', '0', '--reads-per-minute', '0'], {
      LATITUDE_API_BASE_URL: provider.url,
      LATITUDE_API_TOKEN: readOnly.data.attributes.token,
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/must be a key that can write, not a read-only one/);
    expect(prefixed(provider)).toEqual([]);
  });
});
