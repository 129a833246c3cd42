import { ApiKeysClient } from '../../src/client';
import { ProviderOptions, RunningProvider, startProvider } from '../../src/provider';

/** Shared set-up for the reference provider's own tests: a provider on port 0 and a client. */
export interface Harness {
  provider: RunningProvider;
  /** Authenticated with the root token, `Bearer` scheme. */
  client: ApiKeysClient;
  /** A client with another token (undefined: no Authorization header). */
  as(token: string | undefined, scheme?: 'bearer' | 'raw'): ApiKeysClient;
}

export async function harness(opts: ProviderOptions = {}): Promise<Harness> {
  // The lifecycle tests make more requests than 20 writes; rate limits have their own tests.
  const provider = await startProvider({ rateLimit: { enabled: false }, ...opts });
  const client = new ApiKeysClient({
    baseUrl: provider.url,
    token: provider.rootToken,
    timeoutMs: 5_000,
  });
  return {
    provider,
    client,
    as: (token, scheme = 'bearer') => client.withToken(token, scheme),
  };
}

/** A client whose requests claim to come from `address` (the provider must trust X-Forwarded-For). */
export function clientFrom(
  provider: RunningProvider,
  token: string,
  address: string,
): ApiKeysClient {
  return new ApiKeysClient({
    baseUrl: provider.url,
    token,
    timeoutMs: 5_000,
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), 'X-Forwarded-For': address },
      }),
  });
}

export const TOKEN_SHAPE = /^[0-9a-f]{36}$/;
export const KEY_ID_SHAPE = /^tok_[A-Za-z0-9]+$/;
export const USER_ID_SHAPE = /^user_[A-Za-z0-9]+$/;
