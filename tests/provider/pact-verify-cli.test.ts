import path from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';
import { verifyOptionsFromEnv } from '../../src/pact/verify';
import { RunningProvider, startProvider } from '../../src/provider';
import { REFUSED_URL } from '../support/net';
import { pactVerifyProcess } from './pact-verify-process';

/**
 * `latitude-conformance pact verify` (npm run pact:verify) as a provider team runs it in CI:
 * everything comes from the environment, the token never shows in the output.
 */
const root = path.resolve(__dirname, '../..');

describe('pact verify against a running provider', () => {
  let provider: RunningProvider;

  beforeAll(async () => {
    provider = await startProvider({ stateChangeEndpoint: true, rateLimit: { enabled: false } });
  });
  afterAll(() => provider.close());

  it('verifies contracts/ through the state-change URL and never prints the token', async () => {
    const { code, stdout, stderr } = await pactVerifyProcess({
      PACT_PROVIDER_BASE_URL: provider.url,
      PACT_PROVIDER_STATES_URL: provider.stateChangeUrl,
      LATITUDE_API_TOKEN: provider.rootToken,
    });

    expect(code).toBe(0);
    expect(stdout).toContain('Verified: the provider honours every interaction.');
    expect(stdout + stderr).not.toContain(provider.rootToken);
  }, 60_000);

  it('says up front that the state-change URL is missing when the contract needs states', async () => {
    const failed = await pactVerifyProcess({
      PACT_PROVIDER_BASE_URL: provider.url,
      LATITUDE_API_TOKEN: provider.rootToken,
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/PACT_PROVIDER_STATES_URL is not set/);
    expect(failed.stderr).toMatch(/an API key exists/);
  }, 60_000);

  it('exits 1 and says so when the provider breaks the contract', async () => {
    provider.setFaults(['create-200']);
    try {
      const failed = await pactVerifyProcess({
        PACT_PROVIDER_BASE_URL: provider.url,
        PACT_PROVIDER_STATES_URL: provider.stateChangeUrl,
        LATITUDE_API_TOKEN: provider.rootToken,
      });

      expect(failed.code).toBe(1);
      // The fault's interactions, named: not any error that also ends the run with exit 1.
      expect(failed.stderr).toContain(
        'does not honour the contract. Failed: "a request to create a read-only API key with allowed IPs", "a request to create an API key".',
      );
      expect(failed.stdout + failed.stderr).not.toContain(provider.rootToken);
    } finally {
      provider.setFaults([]);
    }
  }, 60_000);
});

describe('pact verify configuration', () => {
  it('exits 2 with a clear message when PACT_PROVIDER_BASE_URL is missing', async () => {
    const io = bufferIo({ LATITUDE_API_TOKEN: 'fake-token-for-this-test' }, root);

    const code = await main(['pact', 'verify'], io);

    expect(code).toBe(2);
    expect(io.err.join('\n')).toMatch(/PACT_PROVIDER_BASE_URL is not set/);
  });

  it('exits 2 when there is no provider token to swap in', async () => {
    const io = bufferIo({ PACT_PROVIDER_BASE_URL: REFUSED_URL }, root);

    expect(await main(['pact', 'verify'], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(/LATITUDE_API_TOKEN is not set/);
  });

  it('verifies the committed files and publishes nothing by default', () => {
    const io = bufferIo(
      { PACT_PROVIDER_BASE_URL: REFUSED_URL, LATITUDE_API_TOKEN: 'fake-token' },
      root,
    );

    const options = verifyOptionsFromEnv([], io);

    expect(options.pactUrls).toEqual([
      path.join(root, 'contracts', 'latitude-api-keys-client-latitude-api-keys.json'),
    ]);
    expect(options.publishVerificationResult).toBeUndefined();
    expect(options.pactBrokerUrl).toBeUndefined();
  });

  it('publishes to the broker only when asked, as the commit under test', () => {
    const io = bufferIo(
      {
        PACT_PROVIDER_BASE_URL: REFUSED_URL,
        LATITUDE_API_TOKEN: 'fake-token',
        PACT_BROKER_PUBLISH_VERIFICATION_RESULTS: 'true',
        PACT_BROKER_BASE_URL: 'https://broker.example',
        PACT_BROKER_TOKEN: 'fake-broker-token',
        GIT_COMMIT: '0123456789abcdef0123456789abcdef01234567',
        GIT_BRANCH: 'main',
      },
      root,
    );

    const options = verifyOptionsFromEnv([], io);

    expect(options).toMatchObject({
      publishVerificationResult: true,
      pactBrokerUrl: 'https://broker.example',
      providerVersion: '0123456789abcdef0123456789abcdef01234567',
      providerVersionBranch: 'main',
    });
  });

  const publishing = {
    PACT_PROVIDER_BASE_URL: REFUSED_URL,
    LATITUDE_API_TOKEN: 'fake-token',
    PACT_BROKER_PUBLISH_VERIFICATION_RESULTS: 'true',
    GIT_COMMIT: '0123456789abcdef0123456789abcdef01234567',
  };

  // `pact publish` is the reference: the same broker settings fail the same way in both commands.
  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['no broker URL', {}, /^error: PACT_BROKER_BASE_URL is not set/],
    [
      'credentials inside the broker URL',
      { PACT_BROKER_BASE_URL: 'https://ci:hunter2-broker-password@broker.example' },
      /^error: PACT_BROKER_BASE_URL \(https:\/\/broker\.example\/\) carries credentials/,
    ],
    [
      'a username without a password',
      { PACT_BROKER_BASE_URL: 'https://broker.example', PACT_BROKER_USERNAME: 'ci' },
      /^error: PACT_BROKER_PASSWORD is not set/,
    ],
  ])(
    'refuses to publish with %s, exactly as pact publish does (exit 2)',
    async (_case, broker, message) => {
      const verifyIo = bufferIo({ ...publishing, ...broker }, root);
      const publishIo = bufferIo({ GIT_COMMIT: publishing.GIT_COMMIT, ...broker }, root);

      expect(await main(['pact', 'verify'], verifyIo)).toBe(2);
      expect(await main(['pact', 'publish'], publishIo)).toBe(2);

      expect(verifyIo.err.join('\n')).toMatch(message);
      expect(verifyIo.err).toEqual(publishIo.err);
      expect(verifyIo.err.join('\n')).not.toContain('hunter2-broker-password');
    },
  );

  it('takes the provider version and branch from CI variables before git, as pact publish does', () => {
    // root is a git checkout: without the CI variables git's HEAD and branch would be used.
    const io = bufferIo(
      {
        PACT_PROVIDER_BASE_URL: REFUSED_URL,
        LATITUDE_API_TOKEN: 'fake-token',
        PACT_BROKER_PUBLISH_VERIFICATION_RESULTS: 'true',
        PACT_BROKER_BASE_URL: 'https://broker.example',
        PACT_BROKER_TOKEN: 'fake-broker-token',
        GITHUB_SHA: 'feedface00000000000000000000000000000000',
        GITHUB_HEAD_REF: 'feature/keys',
        GITHUB_REF_NAME: '42/merge',
      },
      root,
    );

    const options = verifyOptionsFromEnv([], io);

    expect(options.providerVersion).toBe('feedface00000000000000000000000000000000');
    expect(options.providerVersionBranch).toBe('feature/keys');
  });
});
