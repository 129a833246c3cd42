/**
 * Names and example values the committed contract is built from. The consumer tests write them
 * into contracts/, the publish guard knows them as fake (src/pact/fake-tokens.ts), and the
 * verification setup swaps the fake Authorization for the provider's real token. Keeping them in
 * one module stops the three drifting.
 */

/** The pacticipant names in contracts/ and on the broker. */
export const CONSUMER_NAME = 'latitude-api-keys-client';
export const PROVIDER_NAME = 'latitude-api-keys';

/** The committed pact file(s), relative to the repository root. */
export const CONTRACTS_DIR = 'contracts';
export const CONTRACT_FILE = `${CONSUMER_NAME}-${PROVIDER_NAME}.json`;

/**
 * Visibly fake credentials: "fake" is not hex, so none of these can be mistaken for (or work as)
 * a real Latitude.sh token, which is 36 hex characters.
 */
export const FAKE_TOKENS = {
  /** What the client sends as its credential in every authenticated interaction. */
  caller: 'fake0000000000000000000000000000call',
  /** The token a create answers with (its last slice: `00001`). */
  created: 'fake00000000000000000000000000000001',
  /** The new token a rotate answers with (its last slice: `00002`). */
  rotated: 'fake00000000000000000000000000000002',
  /** The last slice a list or update shows for an existing key. */
  existingLastSlice: '0000e',
} as const;

/** The spec's own published example token (post-api-key, 201 example): public, never valid. */
export const SPEC_EXAMPLE_TOKENS = [
  '54ebfcfa2ad7f9fe0d4e081306554174d063',
  'aeb7b57029087fd4449a8f0fc218d1e17b4c',
] as const;

