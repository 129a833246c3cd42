import { createServer, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FAULT_NAMES, FaultName, isFaultName } from './faults';
import { newToken, newUserId } from './ids';
import { RateLimiter, RateLimitOptions } from './rate-limiter';
import { createRequestListener, PROVIDER_STATES_PATH, ProviderContext } from './server';
import { specApiVersion } from './spec-version';
import { StateAction, StateHandlers } from './state-handlers';
import { KeyStore } from './store';

export { FAULTS, FAULT_NAMES, isFaultName } from './faults';
export type { FaultName, FaultInfo } from './faults';
export { ProviderStates } from './states';
export type { ProviderStateName } from './states';
export { DEFAULT_RATE_LIMIT } from './rate-limiter';
export type { RateLimitOptions } from './rate-limiter';
export { MAX_NAME_LENGTH } from './request-validation';
export { API_KEYS_PATH, PROVIDER_STATES_PATH } from './server';

export interface ProviderOptions {
  /** Default 0: the system picks a free port; read it back from `port`/`url`. */
  port?: number;
  /** Default: generated, 36 lower-case hex characters like the real tokens. */
  rootToken?: string;
  faults?: FaultName[];
  /** Default: enabled, 60 GET and 20 writes per minute per key. */
  rateLimit?: RateLimitOptions;
  /** Default: `info.version` of specs/latitude-api-keys.yaml. */
  apiVersion?: string;
  /** The account owner every key reports as `user`. Default: a generated user_ id. */
  user?: { id: string; email: string };
  /**
   * Tests only: take the client address from X-Forwarded-For so allowed_ips (IPv4, IPv6, CIDR)
   * can be exercised from 127.0.0.1. Never enable it on a provider others can reach.
   */
  trustForwardedFor?: boolean;
  /** How long the slow-list fault holds the list. Default 15 000 ms. */
  slowMs?: number;
  /**
   * Tests only: the provider's clock in milliseconds since the epoch (rate-limit windows and the
   * key timestamps), so a test can move time instead of sleeping. Default: Date.now.
   */
  clock?: () => number;
  /**
   * Tests only: called each time the slow-list fault starts holding a list, so a test can tell a
   * held list from a slow machine without measuring time.
   */
  onListHeld?: () => void;
  /** Serve POST /_pact/provider-states for `pact verify` (`{state, params, action}`). Default off. */
  stateChangeEndpoint?: boolean;
}

export interface RunningProvider {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  rootToken: string;
  /** `${url}/_pact/provider-states` when `stateChangeEndpoint` is on. */
  stateChangeUrl?: string;
  close(): Promise<void>;
  /**
   * Provider states for Pact verification: returns values for fromProviderState, e.g.
   * `{ apiKeyId }` for ProviderStates.apiKeyExists. `teardown` deletes the keys setups created.
   */
  setState(
    name: string,
    params?: Record<string, unknown>,
    action?: StateAction,
  ): Promise<Record<string, unknown>>;
  /** Count/list of keys currently stored (tests check cleanup). The root token is not a key. */
  keys(): Array<{ id: string; name: string; readOnly: boolean }>;
  /** The faults now active. */
  faults(): FaultName[];
  /** Replaces the active faults without a restart. */
  setFaults(faults: FaultName[]): void;
  /** Changes the rate limits (and forgets every count so far). */
  configureRateLimit(options: Partial<RateLimitOptions>): void;
}

export const DEFAULT_USER_EMAIL = 'owner@latitude-conformance.test';
export const DEFAULT_SLOW_MS = 15_000;

function checkedFaults(faults: readonly string[]): Set<FaultName> {
  const unknown = faults.filter((f) => !isFaultName(f));
  if (unknown.length > 0) {
    throw new Error(`unknown fault ${unknown.join(', ')}; valid faults: ${FAULT_NAMES.join(', ')}`);
  }
  return new Set(faults as FaultName[]);
}

/** Starts the reference provider on 127.0.0.1 (never another interface). */
export async function startProvider(opts: ProviderOptions = {}): Promise<RunningProvider> {
  const rootToken = opts.rootToken ?? newToken();
  if (rootToken.length === 0 || /\s/.test(rootToken)) {
    throw new Error('rootToken must be a non-empty string without whitespace');
  }
  const closing = new AbortController();
  const clock = opts.clock ?? Date.now;
  const ctx: ProviderContext = {
    store: new KeyStore(),
    rootToken,
    apiVersion: opts.apiVersion ?? specApiVersion(),
    user: opts.user ?? { id: newUserId(), email: DEFAULT_USER_EMAIL },
    faults: checkedFaults(opts.faults ?? []),
    rateLimiter: new RateLimiter(opts.rateLimit ?? {}, clock),
    trustForwardedFor: opts.trustForwardedFor ?? false,
    slowMs: opts.slowMs ?? DEFAULT_SLOW_MS,
    closing: closing.signal,
    now: () => new Date(clock()),
    onListHeld: opts.onListHeld,
  };
  const states = new StateHandlers(ctx);
  if (opts.stateChangeEndpoint) ctx.stateChange = (body) => states.fromRequest(body);

  const server: Server = createServer(createRequestListener(ctx));
  // Malformed HTTP gets a JSON:API 400 too, not node's plain-text default.
  server.on('clientError', (_err, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({
      errors: [
        {
          code: 'bad_request',
          status: '400',
          title: 'Request Error',
          detail: 'Malformed HTTP request',
          meta: {},
        },
      ],
    });
    socket.end(
      'HTTP/1.1 400 Bad Request\r\nContent-Type: application/vnd.api+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    rootToken,
    stateChangeUrl: opts.stateChangeEndpoint ? url + PROVIDER_STATES_PATH : undefined,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
    setState: (name, params, action) => states.apply(name, params, action),
    keys: () => ctx.store.all().map((k) => ({ id: k.id, name: k.name, readOnly: k.readOnly })),
    faults: () => [...ctx.faults],
    setFaults(faults) {
      const next = checkedFaults(faults);
      ctx.faults.clear();
      for (const f of next) ctx.faults.add(f);
    },
    configureRateLimit: (options) => ctx.rateLimiter.configure(options),
  };
}
