import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';
import { startProvider } from '../../src/provider';
import { describeWithSdk } from './sdk-env';

/** `latitude-conformance sdk` as a user runs it. */
describe('sdk command: arguments', () => {
  it('refuses an unknown target and an unknown fault with a usage error', async () => {
    const io = bufferIo(process.env);
    expect(await main(['sdk', '--against', 'ftp://x'], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(/--against takes stub, provider or an http\(s\) base URL/);
    const io2 = bufferIo(process.env);
    expect(await main(['sdk', '--faults', 'no-such-fault', '--sdks', 'python'], io2)).toBe(2);
    expect(io2.err.join('\n')).toMatch(/unknown fault\(s\) no-such-fault/);
  });

  it('prints its usage with --help', async () => {
    const io = bufferIo(process.env);
    expect(await main(['sdk', '--help'], io)).toBe(0);
    expect(io.out.join('\n')).toMatch(/--ts-sdk PATH/);
  });
});

describeWithSdk('python', 'sdk command against the reference provider (Python SDK)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sdk-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies, writes the reports and the matrix, and says the TypeScript SDK was skipped', async () => {
    const io = bufferIo(process.env);
    const code = await main(
      [
        'sdk',
        '--sdks',
        'python',
        '--against',
        'provider',
        '--faults',
        'delete-204',
        '--report-dir',
        dir,
      ],
      io,
    );
    const out = io.out.join('\n');
    expect(out).toMatch(
      /typescript SDK: skipped: latitudesh-typescript-sdk is not on the npm registry/,
    );
    expect(out).toMatch(/sdk verification passed/);
    expect(code).toBe(0);
    expect(io.err.join('\n')).toMatch(/\[matrix 2\/2\] python 3\.4\.6 × delete-204: rejects/);
    const matrix = JSON.parse(readFileSync(path.join(dir, 'sdk-matrix.json'), 'utf8'));
    expect(
      matrix.cells.map((c: { fault: string; outcome: string }) => [c.fault, c.outcome]),
    ).toEqual([
      ['none', 'accepts'],
      ['delete-204', 'rejects'],
    ]);
    expect(readFileSync(path.join(dir, 'sdk-matrix.md'), 'utf8')).toMatch(
      /\| `delete-204`: .* \| \*\*rejects\*\*: delete: APIError \|/,
    );
    const verify = readFileSync(path.join(dir, 'sdk-verify.md'), 'utf8');
    expect(verify).toMatch(/## python 3\.4\.6 against provider/);
    expect(verify).not.toMatch(/(?<![0-9a-f])[0-9a-f]{36}(?![0-9a-f])/);
  }, 120_000);

  it('runs against a base URL with the token from LATITUDE_API_TOKEN, and cleans up', async () => {
    const provider = await startProvider({ port: 0, rateLimit: { enabled: false } });
    try {
      const io = bufferIo({ ...process.env, LATITUDE_API_TOKEN: provider.rootToken });
      const code = await main(
        ['sdk', '--sdks', 'python', '--against', provider.url, '--report-dir', dir],
        io,
      );
      expect(io.out.join('\n')).toMatch(/sdk verification passed/);
      expect(code).toBe(0);
      expect(provider.keys()).toEqual([]);
      const report = readFileSync(path.join(dir, 'sdk-verify.md'), 'utf8');
      expect(report).toContain(`## python 3.4.6 against ${provider.url}`);
      expect(report).toMatch(/every key the run created was deleted \| yes/);
      expect(report).not.toContain(provider.rootToken);
    } finally {
      await provider.close();
    }
  }, 120_000);

  it('fails clearly when --ts-sdk names nothing that exists', async () => {
    const io = bufferIo(process.env);
    const code = await main(
      [
        'sdk',
        '--sdks',
        'python',
        '--against',
        'provider',
        '--no-matrix',
        '--ts-sdk',
        path.join(dir, 'nope.tgz'),
        '--report-dir',
        dir,
      ],
      io,
    );
    expect(code).toBe(1);
    expect(io.out.join('\n')).toMatch(
      /typescript SDK: failed: --ts-sdk .*nope\.tgz does not exist/,
    );
  }, 120_000);
});
