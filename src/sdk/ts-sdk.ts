import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The TypeScript SDK (`latitudesh-typescript-sdk`) is not published on the npm registry, so it can
 * only be checked from a local build: a directory or an `npm pack` tarball given with --ts-sdk.
 * It is installed into the cache and loaded to confirm it is the SDK; running the lifecycle
 * through it needs a driver this suite does not have yet, and the report says so.
 */

export const TS_SDK_PACKAGE = 'latitudesh-typescript-sdk';

export interface TsSdkStatus {
  status: 'skipped' | 'installed' | 'failed';
  reason: string;
  version?: string;
}

export const TS_SDK_SKIPPED: TsSdkStatus = {
  status: 'skipped',
  reason:
    `${TS_SDK_PACKAGE} is not on the npm registry; pass --ts-sdk PATH (a directory or .tgz of a ` +
    'build) to include it',
};

function npm(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      args,
      { cwd, env, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      (err, so, se) => resolve({ code: err ? 1 : 0, out: `${so}\n${se}`.trim() }),
    );
  });
}

export async function prepareTsSdk(
  sdkPath: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<TsSdkStatus> {
  const abs = path.resolve(sdkPath);
  if (!existsSync(abs)) return { status: 'failed', reason: `--ts-sdk ${sdkPath} does not exist` };
  const isDir = statSync(abs).isDirectory();
  if (!isDir && !/\.(tgz|tar\.gz)$/.test(abs)) {
    return {
      status: 'failed',
      reason: `--ts-sdk takes a directory or a .tgz tarball, got ${sdkPath}`,
    };
  }
  const dir = path.join(
    cacheDir,
    `typescript-${createHash('sha256').update(abs).digest('hex').slice(0, 12)}`,
  );
  mkdirSync(dir, { recursive: true });
  const install = await npm(
    ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, abs],
    dir,
    env,
  );
  if (install.code !== 0) {
    return {
      status: 'failed',
      reason: `npm install ${sdkPath} failed: ${install.out.slice(-400)}`,
    };
  }
  const pkgJson = path.join(dir, 'node_modules', TS_SDK_PACKAGE, 'package.json');
  if (!existsSync(pkgJson)) {
    return {
      status: 'failed',
      reason: `${sdkPath} installed, but it is not ${TS_SDK_PACKAGE} (no node_modules/${TS_SDK_PACKAGE})`,
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require(pkgJson) as { version?: string }).version;
  return {
    status: 'installed',
    version,
    reason:
      `${TS_SDK_PACKAGE} ${version ?? ''} installed from ${sdkPath}, but not run: there is no ` +
      'TypeScript driver yet, so its lifecycle and matrix are not checked',
  };
}
