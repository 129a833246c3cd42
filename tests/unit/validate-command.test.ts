import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';

const ROOT = join(__dirname, '../..');
const TRAFFIC = join(__dirname, '../fixtures/traffic');
const PROVIDER = join(ROOT, '../shared/reference/latitude-openapi.yaml');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'validate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = bufferIo({}, ROOT);
  const code = await main(['validate', ...args, '--report-dir', dir], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

const report = () => JSON.parse(readFileSync(join(dir, 'validate.json'), 'utf8'));

describe('validate', () => {
  it('exits 0 and writes the report when every exchange conforms', async () => {
    const { code, out } = await run(join(TRAFFIC, 'conforming.ndjson'));
    expect(code).toBe(0);
    expect(out).toMatch(/exchanges\s+5\n\s+conforming\s+5\n\s+not conforming 0/);
    const r = report();
    expect(r.summary).toMatchObject({
      exchanges: 5,
      conforming: 5,
      nonConforming: 0,
      unmatched: 0,
    });
    expect(Object.keys(r.summary.byOperation).sort()).toEqual([
      'delete-api-key',
      'get-api-keys',
      'post-api-key',
      'rotate-api-key',
      'update-api-key',
    ]);
    expect(r.spec.version).toBe('2023-06-01');
  });

  it('checks the other lines of a file with a line that is not JSON, then exits 2 naming it', async () => {
    const { code, out, err } = await run(join(TRAFFIC, 'mixed.ndjson'));
    expect(code).toBe(2);
    expect(err).toMatch(/^error: 1 record of .*mixed\.ndjson could not be read: line 4 \(not JSON/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(out).toMatch(/response\.body\.schema\s+2/);
    const r = report();
    expect(r.summary).toMatchObject({
      exchanges: 6,
      conforming: 2,
      nonConforming: 3,
      unmatched: 1,
      unreadable: 1,
      byCode: {
        'response.body.schema': 2,
        'response.content_type.mismatch': 1,
        'response.status.undocumented': 1,
      },
    });
    expect(r.unreadable).toEqual([expect.objectContaining({ where: 'line 4', line: 4 })]);
    expect(r.unmatched.routes).toEqual({ 'GET /servers': 1 });
    expect(r.unmatched.sample).toEqual([
      { where: 'line 6', method: 'GET', url: '/servers', status: 200 },
    ]);
    expect(
      r.findings.map((f: { where: string; code: string; pointer: string }) => [
        f.where,
        f.code,
        f.pointer,
      ]),
    ).toEqual([
      ['line 2', 'response.body.schema', '/data/id'],
      ['line 5', 'response.content_type.mismatch', ''],
      ['line 5', 'response.body.schema', '/data/attributes/created_at'],
      ['line 7', 'response.status.undocumented', ''],
    ]);
  });

  it('exits 1 on a HAR with a violation and checks the recorded request too', async () => {
    const { code, out } = await run(join(TRAFFIC, 'capture.har'));
    expect(code).toBe(1);
    expect(out).toContain('(HAR)');
    const r = report();
    expect(r.summary).toMatchObject({ exchanges: 2, conforming: 1, nonConforming: 1 });
    expect(r.findings[0]).toMatchObject({
      where: 'entry 2',
      code: 'response.body.schema',
      pointer: '/data/0/attributes/read_only',
    });
  });

  it('checks request bodies when the recording has them', async () => {
    const created = JSON.parse(
      readFileSync(join(TRAFFIC, 'conforming.ndjson'), 'utf8').split('\n')[1],
    );
    const line = JSON.stringify({
      ...created,
      request: {
        headers: { 'content-type': 'application/json' },
        body: { data: { type: 'api_keys', attributes: { read_only: 'no' } } },
      },
    });
    writeFileSync(join(dir, 'req.ndjson'), line + '\n');
    const { code } = await run(join(dir, 'req.ndjson'));
    expect(code).toBe(1);
    expect(
      report().findings.map((f: { code: string; pointer: string }) => [f.code, f.pointer]),
    ).toEqual([
      ['request.body.schema', '/data/attributes/name'],
      ['request.body.schema', '/data/attributes/read_only'],
    ]);
  });

  it('--undocumented-errors checks an error body instead of reporting its status', async () => {
    const line = (body: unknown) =>
      JSON.stringify({
        method: 'DELETE',
        path: '/auth/api_keys/tok_x',
        status: 404,
        headers: { 'content-type': 'application/vnd.api+json' },
        body,
      });
    writeFileSync(
      join(dir, 'errors.ndjson'),
      [
        line({
          errors: [{ code: 'not_found', status: '404', title: 'Error', detail: 'x', meta: {} }],
        }),
        line({ errors: 'not found' }),
      ].join('\n'),
    );
    expect((await run(join(dir, 'errors.ndjson'))).code).toBe(1);
    expect(report().summary.byCode).toEqual({ 'response.status.undocumented': 2 });
    expect((await run(join(dir, 'errors.ndjson'), '--undocumented-errors')).code).toBe(1);
    expect(report().summary.byCode).toEqual({ 'response.error.schema': 1 });
  });

  it('validates against the full provider spec with --spec', async () => {
    const { code, out } = await run(join(TRAFFIC, 'conforming.ndjson'), '--spec', PROVIDER);
    expect(code).toBe(0);
    expect(out).toContain('latitude-openapi.yaml');
  });

  it.each([
    [['nope.ndjson'], /cannot read .*nope\.ndjson: no such file/],
    [
      [join(TRAFFIC, 'not-a-har.har')],
      /is not a HAR file: it has no log\.entries array; expected \{"log"/,
    ],
    [[], /validate takes exactly one traffic file, got 0/],
    [[join(TRAFFIC, 'conforming.ndjson'), '--bogus'], /Unknown option '--bogus'/],
    [
      [join(TRAFFIC, 'conforming.ndjson'), '--spec', join(TRAFFIC, 'missing.yaml')],
      /cannot read the spec .*missing\.yaml: no such file/,
    ],
  ])('exits 2 with one paragraph for %j', async (args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('says a HAR with invalid JSON is not HAR, with line and column', async () => {
    writeFileSync(join(dir, 'broken.har'), '{\n  "log": {\n    "entries": [,]\n  }\n}\n');
    const { code, err } = await run(join(dir, 'broken.har'));
    expect(code).toBe(2);
    expect(err).toMatch(/broken\.har is not a HAR file: invalid JSON at line 3, column 17/);
  });

  it('checks the other HAR entries when one was never answered, then exits 2 naming it', async () => {
    const har = JSON.parse(readFileSync(join(TRAFFIC, 'capture.har'), 'utf8'));
    har.log.entries.push({ ...har.log.entries[0], response: { status: 0, headers: [] } });
    writeFileSync(join(dir, 'aborted.har'), JSON.stringify(har, null, 1));
    const { code, err } = await run(join(dir, 'aborted.har'));
    expect(code).toBe(2);
    expect(err).toMatch(
      /1 record of .*aborted\.har could not be read: entry 3 \(HAR entry without a response \(status 0\)\)/,
    );
    expect(report().summary).toMatchObject({ exchanges: 2, nonConforming: 1, unreadable: 1 });
  });

  it('names a JSON line that is not an exchange as unreadable', async () => {
    const good = readFileSync(join(TRAFFIC, 'conforming.ndjson'), 'utf8').split('\n')[0];
    writeFileSync(join(dir, 'odd.ndjson'), [good, '{"status": 200}', '[1,2]', good].join('\n'));
    const { code, err } = await run(join(dir, 'odd.ndjson'));
    expect(code).toBe(2);
    expect(err).toMatch(
      /2 records of .*odd\.ndjson could not be read: line 2 \(missing "method"\), line 3 \(not an exchange object\)/,
    );
    expect(report().summary).toMatchObject({ exchanges: 2, conforming: 2, unreadable: 2 });
  });

  it('--progress prints a line on stderr every 100,000 records', async () => {
    const good = readFileSync(join(TRAFFIC, 'conforming.ndjson'), 'utf8').split('\n')[4];
    writeFileSync(join(dir, 'many.ndjson'), (good + '\n').repeat(200_001));
    const { code, err } = await run(join(dir, 'many.ndjson'), '--progress');
    expect(code).toBe(0);
    expect(err.split('\n')).toEqual([
      'validate: 100,000 records checked…',
      'validate: 200,000 records checked…',
    ]);
  });

  it('refuses an empty file', async () => {
    writeFileSync(join(dir, 'empty.ndjson'), '\n\n');
    const { code, err } = await run(join(dir, 'empty.ndjson'));
    expect(code).toBe(2);
    expect(err).toMatch(/holds no exchanges/);
  });

  it('keeps the report bounded on a long file and counts every exchange', async () => {
    const bad = JSON.stringify({
      method: 'GET',
      path: '/auth/api_keys',
      status: 200,
      headers: { 'content-type': 'application/vnd.api+json' },
      body: { data: [{ id: 'tok-1', type: 'api_keys' }], meta: {} },
    });
    writeFileSync(join(dir, 'long.ndjson'), (bad + '\n').repeat(5000));
    const { code } = await run(join(dir, 'long.ndjson'));
    expect(code).toBe(1);
    const r = report();
    expect(r.summary).toMatchObject({ exchanges: 5000, nonConforming: 5000, findings: 5000 });
    expect(r.findings).toHaveLength(1000);
    expect(r.findingsTruncated).toBe(true);
  });
});

describe('validate --operation', () => {
  it('checks only the selected operations and counts the rest as not selected', async () => {
    const { code, out } = await run(
      join(TRAFFIC, 'conforming.ndjson'),
      '--operation',
      'get-api-keys',
      '--operation',
      'post-api-key',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/conforming\s+2\n/);
    expect(out).toMatch(/not selected\s+3 /);
    const r = report();
    expect(r.summary).toMatchObject({ exchanges: 5, conforming: 2, notSelected: 3 });
    expect(Object.keys(r.summary.byOperation).sort()).toEqual(['get-api-keys', 'post-api-key']);
    expect(r.operations).toEqual(['get-api-keys', 'post-api-key']);
  });

  it('refuses an operationId the spec does not have: one paragraph, exit 2, the known ids', async () => {
    const { code, out, err } = await run(
      join(TRAFFIC, 'conforming.ndjson'),
      '--operation',
      'post-api-keys',
    );
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^error: --operation "post-api-keys": the spec .* has no such operationId/);
    expect(err).toMatch(
      /get-api-keys, post-api-key, rotate-api-key, delete-api-key, update-api-key\.$/,
    );
  });

  it('lists the first 20 operationIds and a count for a large spec', async () => {
    const { code, err } = await run(
      join(TRAFFIC, 'conforming.ndjson'),
      '--spec',
      PROVIDER,
      '--operation',
      'nope',
    );
    expect(code).toBe(2);
    expect(err).toMatch(/Its operationIds \(the first 20 of \d+\): /);
    const listed = err.slice(err.indexOf('): ') + 3).split(', ');
    expect(listed).toHaveLength(20);
  });
});

describe('validate --allow-format', () => {
  it('says on stderr which allowed format is not enforced, and where', async () => {
    const traffic = join(dir, 'things.ndjson');
    writeFileSync(
      traffic,
      JSON.stringify({
        method: 'GET',
        url: '/things',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { serial: 'x', at: '2026-01-14T15:56:29Z' },
      }) + '\n',
    );
    const { code, err } = await run(
      traffic,
      '--spec',
      join(__dirname, '../fixtures/spec/unknown-format.yaml'),
      '--allow-format',
      'serial-number',
    );
    expect(code).toBe(0);
    expect(err.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^validate: format "serial-number" is not enforced \(allowed by --allow-format\), used at #\/paths\/~1things\/get\/responses\/200\/content\/application~1json\/schema\/properties\/serial/,
      ),
    ]);
  });
});

describe('validate end to end (the installed bin)', () => {
  it('prints the summary and exits with the documented codes', () => {
    const bin = join(ROOT, 'bin/latitude-conformance.js');
    const ok = spawnSync(
      process.execPath,
      [bin, 'validate', join(TRAFFIC, 'conforming.ndjson'), '--report-dir', dir],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/conforming\s+5/);
    const har = spawnSync(
      process.execPath,
      [bin, 'validate', join(TRAFFIC, 'capture.har'), '--report-dir', dir],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(har.status).toBe(1);
    const bad = spawnSync(process.execPath, [bin, 'validate', join(TRAFFIC, 'not-a-har.har')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*not a HAR file/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
