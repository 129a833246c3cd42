import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../conformance/defaults';
import { SdkName } from './types';

/**
 * Prepares each SDK's driver in a cache directory: a virtual environment with the Python SDK from
 * PyPI, a Go binary built against the Go SDK from the module proxy. A prepared version is reused;
 * `install` is what CI runs before the tests so the tests never download anything themselves.
 */

export const GO_SDK_MODULE = 'github.com/latitudesh/latitudesh-go-sdk';
export const PYTHON_SDK_PACKAGE = 'latitudesh-python-sdk';

export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return env.LATITUDE_SDK_CACHE ?? path.join(PACKAGE_ROOT, '.cache', 'sdk');
}

export interface InstalledDriver {
  sdk: SdkName;
  version: string;
  command: string;
  args: string[];
}

/**
 * Why a driver is not available. `toolchain-missing` (no python3/go here) and `sdk-unavailable`
 * (the registry does not serve that version) leave the SDK's tests skipped with the reason;
 * `failed` (a broken install of an SDK that is there) fails them.
 */
export type InstallFailureKind = 'toolchain-missing' | 'sdk-unavailable' | 'failed';

export type InstallOutcome =
  | { ok: true; sdk: SdkName; version: string; driver: InstalledDriver; reused: boolean }
  | { ok: false; sdk: SdkName; version: string; kind: InstallFailureKind; reason: string };

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  missing: boolean;
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? 600_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          missing: e?.code === 'ENOENT',
        });
      },
    );
  });
}

/**
 * The last lines of a tool's error output, one line, with registry addresses left out: reasons go
 * into reports that may be committed, and which mirror answered is not the point.
 */
function tail(text: string, lines = 6): string {
  return text
    .trim()
    .split('\n')
    .slice(-lines)
    .map((l) => l.trim())
    .join(' ')
    .replace(/reading https?:\/\/\S+?:\s*/g, 'the module proxy answered ')
    .replace(/https?:\/\/\S+/g, '(registry)');
}

/** `v1.19.3` for `1.19.3` or `v1.19.3`. */
export function goVersion(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}

export interface Toolchain {
  available: boolean;
  command: string;
  version?: string;
  reason?: string;
}

export async function pythonToolchain(env: NodeJS.ProcessEnv): Promise<Toolchain> {
  const command = env.LATITUDE_SDK_PYTHON ?? 'python3';
  const r = await run(command, ['-c', 'import sys, venv; print(sys.version.split()[0])'], {
    env,
    timeoutMs: 30_000,
  });
  if (r.missing) return { available: false, command, reason: `${command} is not installed` };
  if (r.code !== 0) {
    return {
      available: false,
      command,
      reason: `${command} has no venv module: ${tail(r.stderr, 2)}`,
    };
  }
  return { available: true, command, version: r.stdout.trim() };
}

export async function goToolchain(env: NodeJS.ProcessEnv): Promise<Toolchain> {
  const command = env.LATITUDE_SDK_GO ?? 'go';
  const r = await run(command, ['version'], { env, timeoutMs: 30_000 });
  if (r.missing) return { available: false, command, reason: `${command} is not installed` };
  if (r.code !== 0) return { available: false, command, reason: tail(r.stderr, 2) };
  return { available: true, command, version: r.stdout.trim() };
}

const MARKER = '.latitude-conformance-installed';

function markerMatches(dir: string, expected: string): boolean {
  const file = path.join(dir, MARKER);
  return existsSync(file) && readFileSync(file, 'utf8').trim() === expected;
}

/**
 * Runs `fn` holding a lock directory next to `dir`, so two test workers (or a test and a CLI run)
 * preparing the same SDK version do not build into the same place at once. A lock older than the
 * longest install is taken to be left over from a killed run.
 */
async function withInstallLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${dir}.lock`;
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0;
      if (age > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The cache directory of one SDK version's driver. */
function driverDir(sdk: SdkName, version: string, cacheDir: string): string {
  return path.join(cacheDir, sdk === 'go' ? `go-${goVersion(version)}` : `python-${version}`);
}

/** Next to the driver's directory (which a failed install removes): the last install's outcome. */
function outcomeFile(dir: string): string {
  return `${dir}.outcome.json`;
}

async function installRecorded(
  sdk: SdkName,
  version: string,
  cacheDir: string,
  install: () => Promise<InstallOutcome>,
): Promise<InstallOutcome> {
  const dir = driverDir(sdk, version, cacheDir);
  return withInstallLock(dir, async () => {
    const outcome = await install();
    writeFileSync(outcomeFile(dir), JSON.stringify(outcome) + '\n');
    return outcome;
  });
}

export function installPython(
  version: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<InstallOutcome> {
  return installRecorded('python', version, cacheDir, () =>
    installPythonUnlocked(version, cacheDir, env),
  );
}

export function installGo(
  requested: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<InstallOutcome> {
  return installRecorded('go', requested, cacheDir, () =>
    installGoUnlocked(requested, cacheDir, env),
  );
}

/**
 * The driver the last install of this SDK version prepared, or why it is not available, read
 * from the cache without installing anything (jest must know whether a suite runs before it runs
 * anything, so the tests install first and then ask here). Undefined when it was never installed.
 */
export function installedDriver(
  sdk: SdkName,
  version: string,
  cacheDir: string,
): InstallOutcome | undefined {
  const file = outcomeFile(driverDir(sdk, version, cacheDir));
  if (!existsSync(file)) return undefined;
  const outcome = JSON.parse(readFileSync(file, 'utf8')) as InstallOutcome;
  if (outcome.ok && !existsSync(outcome.driver.command)) {
    return {
      ok: false,
      sdk,
      version: outcome.version,
      kind: 'failed',
      reason: `the ${sdk} driver ${outcome.driver.command} is gone from the cache: install again`,
    };
  }
  return outcome;
}

async function installPythonUnlocked(
  version: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<InstallOutcome> {
  const toolchain = await pythonToolchain(env);
  if (!toolchain.available) {
    return {
      ok: false,
      sdk: 'python',
      version,
      kind: 'toolchain-missing',
      reason: toolchain.reason!,
    };
  }
  const dir = path.join(cacheDir, `python-${version}`);
  const python = path.join(dir, 'bin', 'python');
  const driver: InstalledDriver = {
    sdk: 'python',
    version,
    command: python,
    args: [path.join(PACKAGE_ROOT, 'sdk', 'python', 'driver.py')],
  };
  const stamp = `${PYTHON_SDK_PACKAGE}==${version} python ${toolchain.version}`;
  if (markerMatches(dir, stamp) && existsSync(python)) {
    return { ok: true, sdk: 'python', version, driver, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const venv = await run(toolchain.command, ['-m', 'venv', dir], { env });
  if (venv.code !== 0) {
    return {
      ok: false,
      sdk: 'python',
      version,
      kind: 'failed',
      reason: `python3 -m venv failed: ${tail(venv.stderr)}`,
    };
  }
  const pip = await run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      `${PYTHON_SDK_PACKAGE}==${version}`,
    ],
    { env },
  );
  if (pip.code !== 0) {
    const unavailable = /No matching distribution|Could not find a version/i.test(pip.stderr);
    rmSync(dir, { recursive: true, force: true });
    return {
      ok: false,
      sdk: 'python',
      version,
      kind: unavailable ? 'sdk-unavailable' : 'failed',
      reason: `pip install ${PYTHON_SDK_PACKAGE}==${version} failed: ${tail(pip.stderr, 3)}`,
    };
  }
  writeFileSync(path.join(dir, MARKER), stamp + '\n');
  return { ok: true, sdk: 'python', version, driver, reused: false };
}

/**
 * Builds sdk/go in a temporary copy whose go.mod is switched to `version`, so the committed go.mod
 * keeps the pinned default whatever version is verified.
 */
async function installGoUnlocked(
  requested: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<InstallOutcome> {
  const version = goVersion(requested);
  const toolchain = await goToolchain(env);
  if (!toolchain.available) {
    return { ok: false, sdk: 'go', version, kind: 'toolchain-missing', reason: toolchain.reason! };
  }
  const dir = path.join(cacheDir, `go-${version}`);
  const binary = path.join(dir, 'sdk-driver-go');
  const driver: InstalledDriver = { sdk: 'go', version, command: binary, args: [] };
  const source = path.join(PACKAGE_ROOT, 'sdk', 'go');
  const sourceStamp = ['go.mod', 'go.sum', 'main.go']
    .map((f) =>
      existsSync(path.join(source, f)) ? readFileSync(path.join(source, f), 'utf8') : '',
    )
    .join('\0');
  const stamp = `${GO_SDK_MODULE}@${version} ${toolchain.version} ${hash(sourceStamp)}`;
  if (markerMatches(dir, stamp) && existsSync(binary)) {
    return { ok: true, sdk: 'go', version, driver, reused: true };
  }
  const work = mkdtempSync(path.join(tmpdir(), 'sdk-driver-go-'));
  try {
    for (const f of ['go.mod', 'go.sum', 'main.go']) {
      if (existsSync(path.join(source, f))) copyFileSync(path.join(source, f), path.join(work, f));
    }
    const goEnv = { ...env, GOFLAGS: '-mod=mod' };
    const get = await run(toolchain.command, ['get', `${GO_SDK_MODULE}@${version}`], {
      cwd: work,
      env: goEnv,
    });
    if (get.code !== 0) {
      const unavailable = /403|404|410|not available|unknown revision|invalid version/i.test(
        get.stderr,
      );
      return {
        ok: false,
        sdk: 'go',
        version,
        kind: unavailable ? 'sdk-unavailable' : 'failed',
        reason: `go get ${GO_SDK_MODULE}@${version} failed: ${tail(get.stderr, 3)}`,
      };
    }
    mkdirSync(dir, { recursive: true });
    const build = await run(toolchain.command, ['build', '-o', binary, '.'], {
      cwd: work,
      env: goEnv,
    });
    if (build.code !== 0) {
      return {
        ok: false,
        sdk: 'go',
        version,
        kind: 'failed',
        reason: `go build of the driver against ${version} failed: ${tail(build.stderr, 8)}`,
      };
    }
    writeFileSync(path.join(dir, MARKER), stamp + '\n');
    return { ok: true, sdk: 'go', version, driver, reused: false };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
