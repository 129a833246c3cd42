import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli';
import { CONTRACTS_REPORT_FILE } from '../../src/commands/contracts';
import { bufferIo } from '../../src/io';

/**
 * `contracts check` prints and writes the examples it finds wrong. A pact may hold a real
 * credential (that is what the publish guard is for), so nothing the check prints or writes may
 * carry one: not under Authorization, not under a token-like key, not anywhere else.
 */
const BEARER = 'c0ffee0badc0ffee0badc0ffee0badc0ffee'; // 36 hex
const HEXRUN = 'deadbeefdeadbeef1234567890ab'; // 28 hex, not a 36-hex token
const API_KEY = 'Zq8sLk2PvX9mRt4Wc7Yb'; // not hex at all

const root = path.resolve(__dirname, '../..');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-secrets-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function pact(): object {
  return {
    consumer: { name: 'fixture-consumer' },
    provider: { name: 'latitude-api-keys' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'a request to list API keys',
        request: {
          method: 'GET',
          path: `/auth/api_keys?api_key=${API_KEY}`,
          headers: { Accept: ['application/vnd.api+json'], Authorization: [`Bearer ${BEARER}`] },
          matchingRules: {
            header: {
              Authorization: {
                combine: 'AND',
                matchers: [{ match: 'regex', regex: '^Token .*$' }],
              },
            },
            query: {
              api_key: { combine: 'AND', matchers: [{ match: 'regex', regex: '^[0-9]+$' }] },
            },
          },
        },
        response: {
          status: 200,
          headers: { 'Content-Type': ['application/vnd.api+json'] },
          body: {
            content: { data: [], meta: { note: `session ${HEXRUN}` } },
            contentType: 'application/vnd.api+json',
            encoded: false,
          },
          matchingRules: {
            body: {
              '$.meta.note': { combine: 'AND', matchers: [{ match: 'regex', regex: '^none$' }] },
            },
          },
        },
      },
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  };
}

async function check(args: string[], cwd = root) {
  const io = bufferIo({}, cwd);
  const code = await main(['contracts', 'check', ...args], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

describe('contracts check keeps credentials out of its output', () => {
  it('redacts Authorization values, token-like keys and token-shaped values', async () => {
    const file = path.join(dir, 'pact.json');
    fs.writeFileSync(file, JSON.stringify(pact()));
    const reportDir = path.join(dir, 'reports');

    const { code, out, err } = await check(['--report-dir', reportDir, file]);
    const report = fs.readFileSync(path.join(reportDir, CONTRACTS_REPORT_FILE), 'utf8');

    expect(code).toBe(1);
    expect(out).toContain('[contract.matcher.regex_example]');
    expect(report).toContain('contract.matcher.regex_example');
    for (const text of [out, err, report]) {
      expect(text).not.toContain(BEARER.slice(0, 16));
      expect(text).not.toContain(HEXRUN.slice(0, 16));
      expect(text).not.toContain(API_KEY.slice(0, 10));
    }
    expect(out).toContain('[REDACTED]');
  });
});

describe('contracts check: where it runs and writes', () => {
  it('finds its default spec and contracts from outside the repository', async () => {
    const { code, out, err } = await check([], dir);

    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/All \d+ interaction\(s\) agree with the spec\./);
  });

  it('exits 2 with one message for a report directory it cannot write', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, '');

    const { code, err } = await check(['--report-dir', path.join(blocker, 'reports')]);

    expect(code).toBe(2);
    expect(err).toMatch(/cannot write the report to .*not-a-folder/);
    expect(err).not.toMatch(/internal error/);
  });
});
