import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { driverEnv, runDriver } from '../../src/sdk/driver';
import type { InstalledDriver } from '../../src/sdk/install';

/** Third-party SDK code gets only what its driver needs from the environment. */
describe('the environment a driver runs with', () => {
  const parent: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: '/home/someone',
    LANG: 'C.UTF-8',
    TMPDIR: '/tmp/x',
    HTTPS_PROXY: 'http://proxy.example:3128',
    PACT_BROKER_TOKEN: 'pact-broker-secret',
    LATITUDE_API_TOKEN: 'account-secret',
    LATITUDESH_BEARER: 'bearer-secret',
    AWS_SECRET_ACCESS_KEY: 'aws-secret',
    GITHUB_TOKEN: 'gh-secret',
  };

  it('keeps the few variables a driver needs and adds the token and the name prefix', () => {
    const env = driverEnv(parent, 'run-token-value', 'lc-conformance-20260101t0000-abcdef-sdk');
    expect(env).toMatchObject({
      PATH: process.env.PATH,
      HOME: '/home/someone',
      LANG: 'C.UTF-8',
      TMPDIR: '/tmp/x',
      HTTPS_PROXY: 'http://proxy.example:3128',
      LATITUDE_SDK_TOKEN: 'run-token-value',
      LATITUDE_SDK_NAME_PREFIX: 'lc-conformance-20260101t0000-abcdef-sdk',
    });
    for (const name of [
      'PACT_BROKER_TOKEN',
      'LATITUDE_API_TOKEN',
      'LATITUDESH_BEARER',
      'AWS_SECRET_ACCESS_KEY',
      'GITHUB_TOKEN',
    ]) {
      expect(env).not.toHaveProperty(name);
    }
  });

  it('is what the driver process really sees', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sdk-driver-env-'));
    try {
      const script = path.join(dir, 'driver.js');
      writeFileSync(
        script,
        'console.log(JSON.stringify({ step: "env", ok: true, names: Object.keys(process.env).sort(),' +
          ' prefix: process.env.LATITUDE_SDK_NAME_PREFIX }));\n',
      );
      const driver: InstalledDriver = {
        sdk: 'python',
        version: 'test',
        command: process.execPath,
        args: [script],
      };
      const run = await runDriver(driver, {
        baseUrl: 'http://127.0.0.1:9',
        token: 'run-token-value',
        plans: ['lifecycle'],
        env: parent,
        namePrefix: 'lc-conformance-20260101t0000-abcdef-sdk',
      });
      expect(run.fatal).toBeUndefined();
      const seen = run.steps[0] as unknown as { names: string[]; prefix: string };
      expect(seen.prefix).toBe('lc-conformance-20260101t0000-abcdef-sdk');
      expect(seen.names).toContain('LATITUDE_SDK_TOKEN');
      expect(seen.names).not.toContain('PACT_BROKER_TOKEN');
      expect(seen.names).not.toContain('LATITUDE_API_TOKEN');
      expect(seen.names).not.toContain('LATITUDESH_BEARER');
      expect(seen.names).not.toContain('GITHUB_TOKEN');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
