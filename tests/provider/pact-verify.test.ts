import path from 'node:path';
import { baseOptions, committedContracts, verify } from '../../src/pact/verify';
import { FaultName, startProvider } from '../../src/provider';

/**
 * The committed contract, replayed by Pact's verifier against the reference provider with the
 * shared state handlers and token filter: it passes against the provider as built and fails
 * against each fault the contract's matchers exist to catch.
 */
const root = path.resolve(__dirname, '../..');
const contracts = committedContracts(root);

async function verifyAgainstReferenceProvider(
  faults: FaultName[],
  token?: (rootToken: string) => string,
): Promise<void> {
  // Verification sends more writes than the 20-a-minute limit allows across a run.
  const provider = await startProvider({ faults, rateLimit: { enabled: false } });
  try {
    await verify(
      baseOptions({
        providerBaseUrl: provider.url,
        providerToken: token ? token(provider.rootToken) : provider.rootToken,
        setState: provider.setState,
        pactUrls: contracts,
        logLevel: 'error',
      }),
    );
  } finally {
    await provider.close();
  }
}

describe('pact verification against the reference provider', () => {
  it('verifies every interaction of contracts/', async () => {
    expect(contracts.length).toBeGreaterThan(0);
    await expect(verifyAgainstReferenceProvider([])).resolves.toBeUndefined();
  }, 60_000);

  it.each<[FaultName, string]>([
    ['hyphenated-id', 'ids must match ^[a-zA-Z]+_[a-zA-Z0-9]+$'],
    ['missing-token', 'create and rotate must return the token'],
    ['create-200', 'create must answer 201'],
  ])(
    'fails when the provider has the fault %s (%s)',
    async (fault) => {
      await expect(verifyAgainstReferenceProvider([fault])).rejects.toThrow();
    },
    60_000,
  );

  it('fails when the token swapped in for the fake one is not accepted', async () => {
    await expect(
      verifyAgainstReferenceProvider([], (rootToken) => `${rootToken}0`),
    ).rejects.toThrow();
  }, 60_000);
});
