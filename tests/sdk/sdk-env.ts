import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/conformance/defaults';
import { defaultCacheDir, installedDriver, InstalledDriver } from '../../src/sdk/install';
import { PINNED_VERSIONS } from '../../src/sdk/types';

/**
 * Whether an SDK's driver can run here, decided once when a test file is collected (jest needs to
 * know before it runs anything whether a `describe` is skipped). It runs the same
 * `latitude-conformance sdk install` CI runs before the tests, which reuses the cache, so after
 * `npm run sdk:install` this costs a second; then it reads what that install prepared.
 */

export type Availability =
  { ready: true; driver: InstalledDriver } | { ready: false; kind: string; reason: string };

const cache = new Map<string, Availability>();

export function sdkAvailability(sdk: 'python' | 'go'): Availability {
  const hit = cache.get(sdk);
  if (hit) return hit;
  const r = spawnSync(
    process.execPath,
    [path.join(PACKAGE_ROOT, 'bin', 'latitude-conformance.js'), 'sdk', 'install', '--sdks', sdk],
    { encoding: 'utf8', timeout: 600_000, env: process.env },
  );
  const outcome = installedDriver(sdk, PINNED_VERSIONS[sdk], defaultCacheDir(process.env));
  const result: Availability = !outcome
    ? {
        ready: false,
        kind: 'failed',
        reason: `sdk install left no result: ${(r.stderr ?? '').slice(-300)}`,
      }
    : outcome.ok
      ? { ready: true, driver: outcome.driver }
      : { ready: false, kind: outcome.kind, reason: outcome.reason };
  cache.set(sdk, result);
  return result;
}

/**
 * `describe` when the driver is ready, `describe.skip` with the reason in its name when the
 * toolchain is missing or the registry does not serve the pinned SDK. A broken install is not
 * skipped: its suite runs and fails with the install error.
 */
export function describeWithSdk(
  sdk: 'python' | 'go',
  name: string,
  body: (driver: () => InstalledDriver) => void,
): void {
  const a = sdkAvailability(sdk);
  if (a.ready) {
    describe(name, () => body(() => a.driver));
  } else if (a.kind === 'toolchain-missing' || a.kind === 'sdk-unavailable') {
    // Said once where a reader of the test output sees it: jest lists nothing for a file whose
    // tests are all skipped.
    process.stderr.write(`\n${name}: skipped: ${a.reason}\n`);
    describe.skip(`${name} [skipped: ${a.reason}]`, () => body(() => undefined as never));
  } else {
    describe(name, () => {
      it('has its driver installed', () => {
        throw new Error(`the ${sdk} driver could not be installed: ${a.reason}`);
      });
    });
  }
}
