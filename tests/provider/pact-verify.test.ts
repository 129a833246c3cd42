import path from 'node:path';
import { baseOptions, committedContracts, verify } from '../../src/pact/verify';
import { FaultName, startProvider } from '../../src/provider';
import { pactVerifyProcess } from './pact-verify-process';

/**
 * The committed contract, replayed by Pact's verifier against the reference provider with the
 * shared state handlers and token filter: it passes against the provider as built and fails
 * against each fault the contract's matchers exist to catch, on the interactions and with the
 * mismatch that fault causes.
 */
const root = path.resolve(__dirname, '../..');
const contracts = committedContracts(root);

const CREATES = [
  'a request to create a read-only API key with allowed IPs',
  'a request to create an API key',
];

describe('pact verification against the reference provider', () => {
  it('verifies every interaction of contracts/', async () => {
    expect(contracts.length).toBeGreaterThan(0);
    // Verification sends more writes than the 20-a-minute limit allows across a run.
    const provider = await startProvider({ rateLimit: { enabled: false } });
    try {
      await expect(
        verify(
          baseOptions({
            providerBaseUrl: provider.url,
            providerToken: provider.rootToken,
            setState: provider.setState,
            pactUrls: contracts,
            logLevel: 'error',
          }),
        ),
      ).resolves.toBeUndefined();
    } finally {
      await provider.close();
    }
  }, 60_000);
});

interface FailedVerification {
  code: number;
  /** The interactions `pact verify` names as failed, in its order. */
  failed: string[];
  /** The verifier's own report (its mismatches), without colours. */
  report: string;
  rootToken: string;
}

/**
 * A verification expected to fail runs as `pact verify` in a child process: Pact's core prints
 * its report straight to the process's stdout, which nothing in-process can redirect, and a
 * failure report dozens of lines long belongs to this assertion, not to the test run's output.
 */
async function verifyExpectingFailure(
  faults: FaultName[],
  token: (rootToken: string) => string = (t) => t,
): Promise<FailedVerification> {
  const provider = await startProvider({
    faults,
    stateChangeEndpoint: true,
    rateLimit: { enabled: false },
  });
  try {
    const result = await pactVerifyProcess({
      PACT_PROVIDER_BASE_URL: provider.url,
      PACT_PROVIDER_STATES_URL: provider.stateChangeUrl,
      LATITUDE_API_TOKEN: token(provider.rootToken),
    });
    const summary = /Failed: (.*)\.$/m.exec(result.stderr)?.[1] ?? '';
    return {
      code: result.code,
      failed: [...summary.matchAll(/"([^"]+)"/g)].map((m) => m[1]),
      // eslint-disable-next-line no-control-regex
      report: result.stdout.replace(/\x1b\[[0-9;]*m/g, ''),
      rootToken: provider.rootToken,
    };
  } finally {
    await provider.close();
  }
}

describe('pact verification against a provider with a fault', () => {
  it('catches ids that break ^[a-zA-Z]+_[a-zA-Z0-9]+$ (hyphenated-id)', async () => {
    const res = await verifyExpectingFailure(['hyphenated-id']);

    expect(res.code).toBe(1);
    expect(res.failed).toEqual([
      ...CREATES,
      'a request to list API keys',
      'a request to rotate an API key',
      'a request to update the settings of an API key',
    ]);
    expect(res.report).toMatch(
      /\$\.data\.id -> Expected 'tok-\w+' to match '\^\[a-zA-Z\]\+_\[a-zA-Z0-9\]\+\$'/,
    );
  }, 60_000);

  it('catches a create and rotate that do not return the token (missing-token)', async () => {
    const res = await verifyExpectingFailure(['missing-token']);

    expect(res.code).toBe(1);
    expect(res.failed).toEqual([...CREATES, 'a request to rotate an API key']);
    expect(res.report).toContain(
      '$.data.attributes -> Actual map is missing the following keys: token',
    );
  }, 60_000);

  it('catches a create that answers 200 instead of 201 (create-200)', async () => {
    const res = await verifyExpectingFailure(['create-200']);

    expect(res.code).toBe(1);
    expect(res.failed).toEqual(CREATES);
    expect(res.report).toContain('expected 201 but was 200');
  }, 60_000);

  it('fails every authenticated interaction when the swapped-in token is not accepted', async () => {
    const res = await verifyExpectingFailure([], (rootToken) => `${rootToken}0`);

    expect(res.code).toBe(1);
    expect(res.failed).toContain('a request to list API keys');
    // The one interaction that sends no credential still passes.
    expect(res.failed).not.toContain('a request to create an API key without credentials');
    expect(res.report).toContain('expected 201 but was 401');
    expect(res.report + res.failed.join()).not.toContain(res.rootToken);
  }, 60_000);
});
