import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseCommandArgs } from '../args';
import { InputError, UsageError } from '../errors';
import type { Io } from '../io';
import { FaultName, isFaultName } from '../provider/faults';
import { SecretScrubber } from '../redact';
import { PACKAGE_ROOT } from '../conformance/defaults';
import { defaultCacheDir } from '../sdk/install';
import { MATRIX_FAULTS } from '../sdk/matrix';
import { failureLines, writeReports } from '../sdk/report';
import { PINNED_VERSIONS } from '../sdk/types';
import { prepareSdks, RequestedSdk, Target, targetName, verifySdks } from '../sdk/verify';

const USAGE = `usage: latitude-conformance sdk [install] [options]

  install                 only prepare the drivers (venv from PyPI, Go build from the module
                          proxy) in the cache; what CI runs before the tests
  --python-sdk VERSION    latitudesh-python-sdk version (default ${PINNED_VERSIONS.python})
  --go-sdk VERSION        github.com/latitudesh/latitudesh-go-sdk version (default ${PINNED_VERSIONS.go})
  --sdks LIST             which SDKs: python,go (default both; named here, an SDK that cannot be
                          installed fails the run)
  --ts-sdk PATH           a latitudesh-typescript-sdk build; there is no TypeScript driver, so
                          it is reported as not run and the run fails
  --against TARGET        stub | provider | BASE_URL, repeatable (default: stub and provider);
                          a named target that is skipped fails the run; a BASE_URL needs
                          LATITUDE_API_TOKEN and gets no fault matrix
  --faults LIST           matrix faults, comma-separated (default: the full matrix list)
  --no-matrix             skip the fault matrix
  --report-dir DIR        where the reports go (default reports/)
  --contracts DIR         pact files for the stub (default contracts/)
  --cache-dir DIR         driver cache (default .cache/sdk, or LATITUDE_SDK_CACHE)`;

function splitList(v: string | undefined): string[] | undefined {
  return v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Refuses a directory that cannot be created or written before anything is installed or run:
 * the nearest existing folder on its path must be a writable directory.
 */
export function checkWritableDir(dir: string, what: string): void {
  for (let p = dir; ; p = path.dirname(p)) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(p) !== p) continue;
      throw new InputError(`${what} ${dir} cannot be created: ${p} cannot be read (${code}).`);
    }
    if (!isDir) {
      throw new InputError(`${what} ${dir} cannot be created: ${p} is a file, not a directory.`);
    }
    try {
      accessSync(p, constants.W_OK);
    } catch {
      throw new InputError(
        p === dir
          ? `${what} ${dir} is not writable.`
          : `${what} ${dir} cannot be created: ${p} is not writable.`,
      );
    }
    return;
  }
}

/**
 * A base URL from --against. One carrying credentials (`https://user:pass@host`) is refused: the
 * token comes from LATITUDE_API_TOKEN only, and the password is never repeated.
 */
export function parseBaseUrl(t: string): { baseUrl: string } {
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    throw new UsageError(
      '--against takes stub, provider or an http(s) base URL; this one is not a valid URL.',
    );
  }
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw new UsageError(
      `--against ${url.origin}: a base URL must not carry credentials (user:password@); ` +
        'the token is taken from LATITUDE_API_TOKEN only.',
    );
  }
  return { baseUrl: t.replace(/\/$/, '') };
}

export async function sdk(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      'python-sdk': { type: 'string' },
      'go-sdk': { type: 'string' },
      sdks: { type: 'string' },
      'ts-sdk': { type: 'string' },
      against: { type: 'string', multiple: true },
      faults: { type: 'string' },
      'no-matrix': { type: 'boolean' },
      'report-dir': { type: 'string' },
      contracts: { type: 'string' },
      'cache-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const [mode, ...extra] = positionals;
  if (extra.length || (mode !== undefined && mode !== 'install' && mode !== 'verify')) {
    throw new UsageError(`unexpected argument "${positionals.join(' ')}".\n\n${USAGE}`);
  }

  const which = splitList(values.sdks) ?? ['python', 'go'];
  for (const s of which) {
    if (s !== 'python' && s !== 'go') {
      throw new UsageError(`--sdks takes python and/or go, got "${s}".`);
    }
  }
  const sdks: RequestedSdk[] = [];
  if (which.includes('python')) {
    sdks.push({
      sdk: 'python',
      version: values['python-sdk'] ?? PINNED_VERSIONS.python,
      explicit: values['python-sdk'] !== undefined || values.sdks !== undefined,
    });
  }
  if (which.includes('go')) {
    sdks.push({
      sdk: 'go',
      version: values['go-sdk'] ?? PINNED_VERSIONS.go,
      explicit: values['go-sdk'] !== undefined || values.sdks !== undefined,
    });
  }
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const tsSdk = values['ts-sdk'] ? resolve(values['ts-sdk']) : undefined;
  if (tsSdk && !existsSync(tsSdk)) {
    throw new InputError(`--ts-sdk ${values['ts-sdk']}: no such directory or tarball.`);
  }
  const cacheDir = values['cache-dir'] ? resolve(values['cache-dir']) : defaultCacheDir(io.env);
  const progress = (line: string) => io.stderr(line);

  const checkCacheDir = () =>
    checkWritableDir(cacheDir, values['cache-dir'] ? '--cache-dir' : 'the SDK cache directory');

  if (mode === 'install') {
    checkCacheDir();
    const prepared = await prepareSdks(sdks, cacheDir, io.env, progress);
    let code = 0;
    for (const p of prepared) {
      if (p.status === 'ready') {
        io.stdout(`${p.sdk} ${p.version}: ready`);
      } else {
        io.stdout(`${p.sdk} ${p.version}: not available (${p.kind}): ${p.reason}`);
        // A missing toolchain or an SDK the registry does not serve leaves its tests skipped with
        // that reason; a broken install of an available SDK is an error.
        if (p.kind === 'failed' || p.explicit) code = 1;
      }
    }
    return code;
  }

  const targets: Target[] = (values.against ?? ['stub', 'provider']).map((t) => {
    if (t === 'stub' || t === 'provider') return t;
    if (/^https?:\/\//i.test(t)) return parseBaseUrl(t);
    throw new UsageError(`--against takes stub, provider or an http(s) base URL, got "${t}".`);
  });
  // Checked before anything is installed: a real account cannot be verified without its token.
  const realTarget = targets.find((t) => typeof t !== 'string');
  if (realTarget && !io.env.LATITUDE_API_TOKEN) {
    throw new UsageError(
      `--against ${targetName(realTarget)} needs the account's token in LATITUDE_API_TOKEN ` +
        '(it is never taken from the command line).',
    );
  }
  const reportDir = values['report-dir']
    ? resolve(values['report-dir'])
    : path.join(PACKAGE_ROOT, 'reports');
  // Checked before anything is installed or run: a run must not end in an unwritable report.
  checkWritableDir(reportDir, values['report-dir'] ? '--report-dir' : 'the report directory');
  checkCacheDir();
  let matrixFaults: FaultName[] | undefined;
  if (!values['no-matrix'] && targets.includes('provider')) {
    const names = splitList(values.faults) ?? MATRIX_FAULTS;
    const unknown = names.filter((n) => !isFaultName(n));
    if (unknown.length) {
      throw new UsageError(`unknown fault(s) ${unknown.join(', ')} in --faults.`);
    }
    matrixFaults = names as FaultName[];
  }

  const scrubber = new SecretScrubber([io.env.LATITUDE_API_TOKEN]);
  const report = await verifySdks({
    sdks,
    targets,
    targetsExplicit: values.against !== undefined,
    contractsDir: values.contracts
      ? resolve(values.contracts)
      : path.join(PACKAGE_ROOT, 'contracts'),
    cacheDir,
    env: io.env,
    progress: (line) => progress(scrubber.scrub(line)),
    scrubber,
    matrixFaults,
    tsSdk,
    realToken: io.env.LATITUDE_API_TOKEN,
  });
  const written = writeReports(report, reportDir, scrubber);
  for (const line of failureLines(report)) io.stdout(scrubber.scrub(line));
  if (report.typescript.status === 'skipped') {
    io.stdout(`typescript SDK: skipped: ${report.typescript.reason}`);
  }
  for (const f of written.files) io.stdout(`wrote ${path.relative(io.cwd, f) || f}`);
  io.stdout(`sdk verification ${report.passed ? 'passed' : 'failed'}`);
  return report.passed ? 0 : 1;
}
