import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli';
import { CONTRACTS_REPORT_FILE } from '../../src/commands/contracts';
import type { ContractsReport } from '../../src/contracts/check';
import { bufferIo } from '../../src/io';

/**
 * `contracts check`: a pact that asks for something the spec does not give is caught before any
 * provider is asked to honour it. Each case is a folder under fixtures/contracts-check with the
 * pact and the findings it must produce (code, interaction, where).
 */
const root = path.resolve(__dirname, '../..');
const casesDir = path.join(__dirname, 'fixtures', 'contracts-check');

interface Expected {
  why: string;
  exitCode: number;
  findings: Array<{ code: string; interaction: string; pointer: string; specLocation?: string }>;
}

async function check(args: string[]) {
  const io = bufferIo({}, root);
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-check-'));
  const code = await main(['contracts', 'check', '--report-dir', reportDir, ...args], io);
  const reportFile = path.join(reportDir, CONTRACTS_REPORT_FILE);
  const report = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ContractsReport)
    : undefined;
  fs.rmSync(reportDir, { recursive: true, force: true });
  return { code, out: io.out.join('\n'), err: io.err.join('\n'), report };
}

describe('contracts check on the committed contracts/', () => {
  it('finds every interaction in the spec and exits 0', async () => {
    const { code, out, report } = await check([]);

    expect(code).toBe(0);
    expect(report?.interactions).toHaveLength(9);
    expect(report?.findings).toEqual([]);
    expect(out).toContain('All 9 interaction(s) agree with the spec.');
  });
});

const withExpectations = fs
  .readdirSync(casesDir)
  .filter((c) => fs.existsSync(path.join(casesDir, c, 'expected.json')))
  .sort();

describe.each(withExpectations)('contracts check: a pact that %s', (name) => {
  const expected = JSON.parse(
    fs.readFileSync(path.join(casesDir, name, 'expected.json'), 'utf8'),
  ) as Expected;
  const pactFile = path.relative(root, path.join(casesDir, name, 'pact.json'));

  it(`${expected.why}: exit ${expected.exitCode}, ${expected.findings.length} finding(s)`, async () => {
    const { code, out, report } = await check([pactFile]);

    expect(code).toBe(expected.exitCode);
    expect(report?.findings).toHaveLength(expected.findings.length);
    for (const finding of expected.findings) {
      expect(report?.findings).toContainEqual(
        expect.objectContaining({ ...finding, file: pactFile }),
      );
      // The human summary names the interaction and the rule that failed.
      expect(out).toContain(`"${finding.interaction}"`);
      expect(out).toContain(`[${finding.code}]`);
    }
  });
});

describe('contracts check: files it cannot use', () => {
  it('exits 2 and says so for a file that is not JSON', async () => {
    const { code, err } = await check([
      'tests/contract/fixtures/contracts-check/not-json/pact.yaml',
    ]);

    expect(code).toBe(2);
    expect(err).toMatch(/not-json\/pact\.yaml is not JSON, so not a pact file/);
  });

  it('exits 2 and says so for JSON that is not a pact', async () => {
    const { code, err } = await check([
      'tests/contract/fixtures/contracts-check/not-a-pact/pact.json',
    ]);

    expect(code).toBe(2);
    expect(err).toMatch(/not-a-pact\/pact\.json is not a pact file: it has no consumer\.name/);
  });

  it('exits 2 for a pact file that does not exist', async () => {
    const { code, err } = await check(['contracts/no-such-pact.json']);

    expect(code).toBe(2);
    expect(err).toMatch(/no pact file at contracts\/no-such-pact\.json/);
  });

  it('exits 2 for a spec that cannot be loaded', async () => {
    const { code, err } = await check(['--spec', 'specs/no-such-spec.yaml']);

    expect(code).toBe(2);
    expect(err).toMatch(/no-such-spec\.yaml/);
  });
});
