import { ProviderStates } from './states';
import { newStoredKey, ProviderContext } from './server';

export type StateAction = 'setup' | 'teardown';

/**
 * Provider states for Pact verification. Setup returns the values consumer tests read through
 * `fromProviderState` (e.g. `{ apiKeyId }`); teardown deletes every key the setups created since
 * the last teardown, so one interaction's state never leaks into the next.
 */
export class StateHandlers {
  private readonly created = new Set<string>();

  constructor(private readonly ctx: ProviderContext) {}

  async apply(
    name: string,
    params: Record<string, unknown> = {},
    action: StateAction = 'setup',
  ): Promise<Record<string, unknown>> {
    if (action === 'teardown') {
      this.teardown();
      return {};
    }
    switch (name) {
      case ProviderStates.authenticated:
        return {};
      case ProviderStates.apiKeyExists: {
        const key = newStoredKey(this.ctx, {
          name: typeof params.name === 'string' ? params.name : 'Pact provider state key',
          readOnly: typeof params.readOnly === 'boolean' ? params.readOnly : false,
          allowedIps: [],
        });
        this.created.add(key.id);
        return { apiKeyId: key.id };
      }
      case ProviderStates.apiKeyMissing: {
        const id = typeof params.apiKeyId === 'string' ? params.apiKeyId : 'tok_doesNotExist0';
        const key = this.ctx.store.get(id);
        if (key) this.ctx.store.delete(key);
        return { apiKeyId: id };
      }
      case ProviderStates.noApiKeys:
        this.ctx.store.clear();
        return {};
      default:
        throw new Error(
          `unknown provider state "${name}"; known states: ${Object.values(ProviderStates)
            .map((s) => `"${s}"`)
            .join(', ')}`,
        );
    }
  }

  /** Answers a state-change request body `{ state, params, action }` (the Pact verifier's shape). */
  async fromRequest(body: unknown): Promise<Record<string, unknown>> {
    const b = (body ?? {}) as { state?: unknown; params?: unknown; action?: unknown };
    if (typeof b.state !== 'string' && b.action !== 'teardown') {
      throw new Error(
        'a state change needs {"state": "<name>", "params": {...}, "action": "setup"|"teardown"}',
      );
    }
    const action = b.action === 'teardown' ? 'teardown' : 'setup';
    const params =
      b.params && typeof b.params === 'object' ? (b.params as Record<string, unknown>) : {};
    return this.apply(typeof b.state === 'string' ? b.state : '', params, action);
  }

  private teardown(): void {
    for (const id of this.created) {
      const key = this.ctx.store.get(id);
      if (key) this.ctx.store.delete(key);
    }
    this.created.clear();
  }
}
