/**
 * Provider state names, shared by the Pact consumer tests (`given(...)`) and the provider side
 * (state handlers of the reference provider and of the verification setup). A state string that
 * drifts between the two sides silently breaks verification, so both import these constants.
 */
export const ProviderStates = {
  /** The caller's token is valid and can write. No parameters. */
  authenticated: 'an authenticated account',
  /**
   * A key exists and the caller may manage it. The handler creates one and returns
   * `{ apiKeyId }`, which consumer tests read through `fromProviderState('${apiKeyId}')`.
   */
  apiKeyExists: 'an API key exists',
  /** No key has the id the request uses. No parameters. */
  apiKeyMissing: 'no API key with the requested id exists',
  /** The account has no API keys at all (the list is empty). No parameters. */
  noApiKeys: 'no API keys exist',
} as const;

export type ProviderStateName = (typeof ProviderStates)[keyof typeof ProviderStates];
