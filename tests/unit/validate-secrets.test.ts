import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';

/**
 * `validate` writes what it saw into the console and validate.json: neither may carry a
 * credential from the traffic, wherever it sits (a path, a query, a body cut for a preview).
 */
const TOKEN = '0123456789abcdef0123456789abcdef0123';
const LETTER_TOKEN = 'abcdef0123456789abcdef0123456789abcd';
const TAIL = TOKEN.slice(-10, -5); // characters a redaction never shows

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'validate-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  lines: unknown[],
  reportDir = join(dir, 'reports'),
  cwd = dir,
  extra: string[] = [],
) {
  const file = join(dir, 'traffic.ndjson');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const io = bufferIo({}, cwd);
  const code = await main(['validate', file, '--report-dir', reportDir, ...extra], io);
  let report = '';
  try {
    report = readFileSync(join(reportDir, 'validate.json'), 'utf8');
  } catch {
    /* no report */
  }
  return { code, out: io.out.join('\n'), err: io.err.join('\n'), report };
}

describe('validate keeps credentials out of its output', () => {
  it('scrubs a token in an unmatched route and drops query strings from the sample', async () => {
    const { out, report } = await run([
      { method: 'GET', url: `https://api.latitude.sh/auth/verify/${TOKEN}`, status: 200 },
      { method: 'GET', url: '/auth/elsewhere?api_key=not-hex-SECRET-value', status: 200 },
    ]);

    expect(out).toMatch(/GET \/auth\/verify\/\[REDACTED\]/);
    for (const text of [out, report]) {
      expect(text).not.toContain(TOKEN.slice(0, 20));
      expect(text).not.toContain('not-hex-SECRET-value');
    }
    const r = JSON.parse(report);
    expect(r.unmatched.sample.map((s: { url: string }) => s.url)).toContain('/auth/elsewhere');
  });

  it('scrubs a body preview before cutting it, so a token at the cut does not leak in part', async () => {
    const body = 'x'.repeat(99) + TOKEN + ' trailing text';
    const { out, report } = await run([
      {
        method: 'POST',
        url: '/auth/api_keys',
        status: 201,
        headers: { 'content-type': 'text/plain' },
        body,
      },
    ]);

    for (const text of [out, report]) {
      expect(text).not.toContain(TOKEN.slice(0, 12));
      expect(text).not.toContain(TAIL);
    }
  });
});

describe('validate: where it runs and writes', () => {
  it('finds its default spec from any working directory', async () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const { code, err } = await run(
      [{ method: 'GET', url: '/nowhere', status: 200 }],
      join(dir, 'r'),
      elsewhere,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('exits 2 with one message for a report directory it cannot write', async () => {
    // A plain file where a folder is needed: unwritable even for root.
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    const { code, err } = await run(
      [{ method: 'GET', url: '/nowhere', status: 200 }],
      join(blocker, 'reports'),
    );
    expect(code).toBe(2);
    expect(err).toMatch(/cannot write the report/);
    expect(err).not.toMatch(/internal error/);
  });

  it('keeps the start of a token out of the JSON parse error it reports', async () => {
    const { out, report } = await run([
      {
        method: 'POST',
        path: '/auth/api_keys',
        status: 201,
        headers: { 'content-type': 'application/vnd.api+json' },
        // A token that starts with a letter: JSON.parse quotes its first 10 characters.
        body: `${LETTER_TOKEN} is not JSON`,
      },
    ]);
    expect(out + report).toMatch(/not_json/);
    expect(out + report).not.toContain(LETTER_TOKEN.slice(0, 10));
  });

  it('keeps the start of a token out of an undocumented error body that is not JSON', async () => {
    const { out, err, report } = await run(
      [
        {
          method: 'DELETE',
          path: '/auth/api_keys/ak_1',
          status: 401,
          headers: { 'content-type': 'application/vnd.api+json' },
          body: `${LETTER_TOKEN} is your token`,
        },
      ],
      join(dir, 'reports'),
      dir,
      ['--undocumented-errors'],
    );
    expect(out + report).toMatch(/response\.body\.not_json/);
    expect(out + err + report).not.toContain(LETTER_TOKEN.slice(0, 10));
  });
});
