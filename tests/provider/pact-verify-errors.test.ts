import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';
import { RunningProvider, startProvider } from '../../src/provider';
import { REFUSED_URL } from '../support/net';
import { pactVerifyProcess } from './pact-verify-process';

/**
 * `pact verify` mistakes a user can make (a provider that is not running, a folder or a file that
 * is not a pact, a log level Pact does not know) end in one message and exit 2, and no log level
 * makes the verifier print the tokens the provider issues.
 */
const root = path.resolve(__dirname, '../..');
const HEX36 = /(?<![0-9a-f])[0-9a-f]{36}(?![0-9a-f])/;

async function verify(env: Record<string, string>, args: string[] = []) {
  const io = bufferIo({ LATITUDE_API_TOKEN: 'fake-token-for-this-test', ...env }, root);
  const code = await main(['pact', 'verify', ...args], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

describe('pact verify: user errors are exit 2 with one message', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pact-verify-errors-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a provider that cannot be reached before verifying anything', async () => {
    const { code, err } = await verify({ PACT_PROVIDER_BASE_URL: REFUSED_URL });

    expect(code).toBe(2);
    expect(err).toMatch(/PACT_PROVIDER_BASE_URL=http:\/\/127\.0\.0\.1:2 cannot be reached/);
    expect(err).not.toMatch(/\n\s+at /);
  }, 20_000);

  it('refuses a state-change URL that cannot be reached', async () => {
    const provider = await startProvider({ rateLimit: { enabled: false } });
    try {
      const { code, err } = await verify({
        PACT_PROVIDER_BASE_URL: provider.url,
        PACT_PROVIDER_STATES_URL: `${REFUSED_URL}/_pact/state`,
      });

      expect(code).toBe(2);
      expect(err).toMatch(/PACT_PROVIDER_STATES_URL=.* cannot be reached/);
    } finally {
      await provider.close();
    }
  }, 20_000);

  it('refuses a directory as a pact file', async () => {
    const { code, err } = await verify({ PACT_PROVIDER_BASE_URL: REFUSED_URL }, [dir]);

    expect(code).toBe(2);
    expect(err).toMatch(/is a directory, not a pact file/);
  });

  it('refuses a file that is not a pact', async () => {
    const file = path.join(dir, 'package.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'not-a-pact' }));

    const { code, err } = await verify({ PACT_PROVIDER_BASE_URL: REFUSED_URL }, [file]);

    expect(code).toBe(2);
    expect(err).toMatch(/package\.json is not a pact file/);
    expect(err).not.toContain('"name"');
  });

  it('refuses a log level Pact does not know', async () => {
    const { code, err } = await verify({
      PACT_PROVIDER_BASE_URL: REFUSED_URL,
      PACT_LOG_LEVEL: 'verbose',
    });

    expect(code).toBe(2);
    expect(err).toMatch(/PACT_LOG_LEVEL must be one of error, warn, info/);
  });
});

describe('pact verify with PACT_LOG_LEVEL=debug', () => {
  let provider: RunningProvider;

  beforeAll(async () => {
    provider = await startProvider({ stateChangeEndpoint: true, rateLimit: { enabled: false } });
  });
  afterAll(() => provider.close());

  it('logs at info, says so, and prints no token the provider issues', async () => {
    const { code, stdout, stderr } = await pactVerifyProcess({
      PACT_LOG_LEVEL: 'debug',
      PACT_PROVIDER_BASE_URL: provider.url,
      PACT_PROVIDER_STATES_URL: provider.stateChangeUrl,
      LATITUDE_API_TOKEN: provider.rootToken,
    });

    expect(code).toBe(0);

    expect(stdout).toContain('Verified: the provider honours every interaction.');
    expect(stderr).toMatch(/PACT_LOG_LEVEL=debug .* logging at info instead/);
    expect(stdout + stderr).not.toContain(provider.rootToken);
    expect(stdout + stderr).not.toMatch(HEX36);
  }, 90_000);
});
