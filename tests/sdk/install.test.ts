import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installedDriver, installGo, installPython } from '../../src/sdk/install';

/** What an install leaves in the cache for the tests (and anyone else) to read back. */
describe('installed driver lookup', () => {
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'sdk-cache-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('knows nothing of a version that was never installed', () => {
    expect(installedDriver('python', '3.4.6', cacheDir)).toBeUndefined();
  });

  it.each([
    ['python', '3.4.6', { LATITUDE_SDK_PYTHON: '/nonexistent/python3' }, '3.4.6'],
    ['go', '1.19.3', { LATITUDE_SDK_GO: '/nonexistent/go' }, 'v1.19.3'],
  ] as const)(
    'reads back why %s %s is unavailable when its toolchain is missing',
    async (sdk, version, env, recorded) => {
      const install = sdk === 'python' ? installPython : installGo;
      const outcome = await install(version, cacheDir, { ...process.env, ...env });
      expect(outcome).toMatchObject({ ok: false, kind: 'toolchain-missing' });
      expect(installedDriver(sdk, version, cacheDir)).toEqual({
        ok: false,
        sdk,
        version: recorded,
        kind: 'toolchain-missing',
        reason: `${Object.values(env)[0]} is not installed`,
      });
    },
  );
});
