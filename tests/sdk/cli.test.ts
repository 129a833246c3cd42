import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('refuses a real base URL without LATITUDE_API_TOKEN before installing anything', async () => {
    const env = { ...process.env };
    delete env.LATITUDE_API_TOKEN;
    const io = bufferIo(env);
    expect(await main(['sdk', '--against', 'https://api.example.invalid'], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(
      /--against https:\/\/api\.example\.invalid needs the account's token in LATITUDE_API_TOKEN/,
    );
    expect(io.err.join('\n')).not.toMatch(/\[install\]/);
  });

  it('refuses a base URL carrying credentials without repeating the password', async () => {
    const io = bufferIo({ ...process.env, LATITUDE_API_TOKEN: 'some-token' });
    const code = await main(
      ['sdk', '--against', 'https://someone:s3cr3t-Pa55@api.example.invalid/v1'],
      io,
    );
    expect(code).toBe(2);
    const text = [...io.err, ...io.out].join('\n');
    expect(text).toMatch(/--against https:\/\/api\.example\.invalid: a base URL must not carry/);
    expect(text).not.toContain('s3cr3t-Pa55');
    expect(text).not.toMatch(/\[install\]/);
  });

  describe('directories that cannot be written', () => {
    let dir: string;
    let file: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'sdk-cli-dirs-'));
      file = path.join(dir, 'a-file');
      writeFileSync(file, 'not a directory\n');
    });
    afterAll(() => {
      chmodSync(dir, 0o700);
      rmSync(dir, { recursive: true, force: true });
    });
    const run = async (args: string[]) => {
      const io = bufferIo(process.env);
      const code = await main(['sdk', '--sdks', 'python', '--no-matrix', ...args], io);
      return { code, err: io.err.join('\n') };
    };

    it.each([['--report-dir'], ['--cache-dir']])(
      '%s under a file: a clear input error before anything is installed',
      async (flag) => {
        const { code, err } = await run([flag, path.join(file, 'sub')]);
        expect(code).toBe(2);
        expect(err).toContain(
          `${flag} ${path.join(file, 'sub')} cannot be created: ${file} is a file`,
        );
        expect(err).not.toMatch(/internal error|ENOTDIR|\[install\]/);
      },
    );

    it('sdk install --cache-dir under a file', async () => {
      const io = bufferIo(process.env);
      expect(await main(['sdk', 'install', '--cache-dir', path.join(file, 'c')], io)).toBe(2);
      expect(io.err.join('\n')).toMatch(/--cache-dir .* cannot be created: .* is a file/);
    });

    const notRoot = typeof process.getuid === 'function' && process.getuid() !== 0;
    (notRoot ? it : it.skip)('--report-dir in a directory without write permission', async () => {
      const locked = path.join(dir, 'locked');
      mkdirSync(locked, { mode: 0o500 });
      const { code, err } = await run(['--report-dir', path.join(locked, 'reports')]);
      expect(code).toBe(2);
      expect(err).toMatch(/--report-dir .* cannot be created: .*locked is not writable/);
      expect(err).not.toMatch(/internal error|EACCES/);
    });
  });

  it('prints its usage with --help', async () => {
    const io = bufferIo(process.env);
    expect(await main(['sdk', '--help'], io)).toBe(0);
    expect(io.out.join('\n')).toMatch(/--ts-sdk PATH/);
  });
});

describe('sdk command: a run that verifies nothing fails', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sdk-cli-none-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Toolchains that are not there make every SDK unavailable on any machine; the cache is a
  // throwaway one so the real cache's record of the pinned versions is left alone.
  const noToolchains = {
    ...process.env,
    LATITUDE_SDK_PYTHON: '/nonexistent/python3',
    LATITUDE_SDK_GO: '/nonexistent/go',
  };
  const run = async (args: string[]) => {
    const io = bufferIo(noToolchains);
    const code = await main(
      ['sdk', ...args, '--cache-dir', path.join(dir, 'cache'), '--report-dir', dir],
      io,
    );
    return { code, out: io.out.join('\n') };
  };

  it('--sdks go --against provider with the Go SDK unavailable', async () => {
    const { code, out } = await run(['--sdks', 'go', '--against', 'provider', '--no-matrix']);
    expect(out).toMatch(
      /NOT RUN go v1\.19\.3 \(toolchain-missing\): \/nonexistent\/go is not installed/,
    );
    expect(out).toMatch(
      /NOTHING VERIFIED: no SDK could be installed: go v1\.19\.3: \/nonexistent\/go is not installed/,
    );
    expect(out).toMatch(/sdk verification failed/);
    expect(code).toBe(1);
    expect(readFileSync(path.join(dir, 'sdk-verify.md'), 'utf8')).toMatch(
      /Nothing was verified: no SDK could be installed/,
    );
  });

  it('the default SDKs at their pinned versions, neither of them available', async () => {
    const { code, out } = await run(['--no-matrix']);
    expect(out).toMatch(
      /NOTHING VERIFIED: no SDK could be installed: python 3\.4\.6: .*; go v1\.19\.3: /,
    );
    expect(code).toBe(1);
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

  it('deletes keys the SDK left on a base URL whose create answers 200, and says so', async () => {
    // The SDK raises on the 200 create, so neither it nor its cleanup deletes the key; the
    // default-name create of the name-left-out plan is not deleted by the driver either.
    const provider = await startProvider({
      port: 0,
      rateLimit: { enabled: false },
      faults: ['create-200'],
    });
    try {
      const io = bufferIo({ ...process.env, LATITUDE_API_TOKEN: provider.rootToken });
      await main(
        ['sdk', '--sdks', 'python', '--against', provider.url, '--no-matrix', '--report-dir', dir],
        io,
      );
      expect(provider.keys()).toEqual([]);
      const report = JSON.parse(readFileSync(path.join(dir, 'sdk-verify.json'), 'utf8'));
      const cleanup = report.runs[0].cleanup;
      expect(cleanup.created.length).toBeGreaterThanOrEqual(2);
      expect(cleanup.deletedByVerification.length).toBeGreaterThanOrEqual(2);
      expect(cleanup.leftBehind).toEqual([]);
      expect(readFileSync(path.join(dir, 'sdk-verify.md'), 'utf8')).toMatch(
        /keys: \d+ created, \d+ deleted by the SDK, [2-9] deleted by the verification, 0 left behind/,
      );
    } finally {
      await provider.close();
    }
  }, 120_000);

  it('refuses a --ts-sdk path that does not exist', async () => {
    const io = bufferIo(process.env);
    const code = await main(['sdk', '--ts-sdk', path.join(dir, 'no-such-build.tgz')], io);
    expect(code).toBe(2);
    expect(io.err.join('\n')).toMatch(/no such directory or tarball/);
  });

  it('fails when --ts-sdk asks for the TypeScript SDK, which has no driver', async () => {
    // A build to point at (its content is never read: there is no driver to run it with).
    writeFileSync(path.join(dir, 'latitudesh-typescript-sdk-0.3.10.tgz'), '');
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
        path.join(dir, 'latitudesh-typescript-sdk-0.3.10.tgz'),
        '--report-dir',
        dir,
      ],
      io,
    );
    const out = io.out.join('\n');
    expect(out).toMatch(
      /NOT RUN typescript: no TypeScript driver: .*latitudesh-typescript-sdk-0\.3\.10\.tgz/,
    );
    expect(out).toMatch(/sdk verification failed/);
    expect(code).toBe(1);
  }, 120_000);

  it('fails when a target named with --against is skipped', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sdk-no-contracts-'));
    try {
      const io = bufferIo(process.env);
      const code = await main(
        [
          'sdk',
          '--sdks',
          'python',
          '--against',
          'provider',
          '--against',
          'stub',
          '--no-matrix',
          '--contracts',
          empty,
          '--report-dir',
          dir,
        ],
        io,
      );
      const out = io.out.join('\n');
      expect(out).toMatch(
        /NOT RUN python 3\.4\.6 against stub: no pact files in .*: nothing to serve/,
      );
      expect(out).toMatch(/sdk verification failed/);
      expect(code).toBe(1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);
});
