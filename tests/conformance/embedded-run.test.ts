import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECK_CODES } from '../../src/conformance/catalogue';
import { runCli } from './helpers';

describe('npm run conformance against the embedded reference provider', () => {
  let result: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    result = await runCli([]);
  });

  it('passes every check and exits 0', () => {
    const failed = result.report?.checks.filter((c) => c.status !== 'passed');
    expect(failed).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('reports every check code of the catalogue', () => {
    const codes = new Set(result.report!.checks.map((c) => c.code));
    expect(CHECK_CODES.filter((c) => !codes.has(c))).toEqual([]);
  });

  it('leaves nothing behind and says so', () => {
    const { cleanup } = result.report!;
    expect(cleanup.created).toBeGreaterThan(0);
    expect(cleanup.deleted).toBe(cleanup.created);
    expect(cleanup.leftBehind).toEqual([]);
    expect(result.out.join('\n')).toMatch(/keys: \d+ created, \d+ deleted, 0 left behind/);
  });

  it('writes the JSON report in the published shape', () => {
    const r = result.report!;
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining([
        'target',
        'spec',
        'startedAt',
        'durationMs',
        'summary',
        'checks',
        'cleanup',
      ]),
    );
    expect(r.target).toMatch(/embedded/);
    expect(r.summary.passed).toBe(r.checks.length);
    for (const c of r.checks) {
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining([
          'code',
          'title',
          'operation',
          'status',
          'message',
          'pointer',
          'expected',
          'received',
        ]),
      );
    }
  });

  it('writes JUnit XML and a self-contained HTML page', () => {
    const junit = fs.readFileSync(path.join(result.dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/^<\?xml/);
    expect(junit).toMatch(/<testsuites name="latitude-conformance" tests="\d+" failures="0"/);
    const html = fs.readFileSync(path.join(result.dir, 'conformance.html'), 'utf8');
    expect(html).toContain('PASSED');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });

  it('shows progress and a summary on the console', () => {
    const out = result.out.join('\n');
    expect(out).toMatch(/\[1\] security: credentials/);
    expect(out).toMatch(/PASSED: \d+ passed, 0 failed, 0 skipped/);
  });
});
