import fs from 'node:fs';
import path from 'node:path';
import type { VerifierOptions } from '@pact-foundation/pact';
import type { JsonMap } from '@pact-foundation/pact/src/common/jsonTypes';
import type { StateHandlers } from '@pact-foundation/pact/src/dsl/verifier/proxy/types';
import { parseCommandArgs } from '../args';
import { CONTRACTS_DIR, PROVIDER_NAME } from '../contracts/fixtures';
import { parsePact } from '../contracts/pact-file';
import { InputError, TargetError, UsageError } from '../errors';
import type { Io } from '../io';
import { ProviderStates } from '../provider/states';
import { brokerConfigFromEnv } from './broker-config';
import { gitIn, resolvePublishVersion } from './broker-version';

/**
 * Provider verification: the one setup shared by the verification tests and `pact verify`
 * (`baseOptions`, `stateHandlersFor`, `authorizationFilter`), after pactflow/example-provider.
 * The contract carries a fake Authorization; the request filter swaps in the provider's real token
 * in Pact's proxy, so the token never reaches the verifier's own output or logs.
 */

type StateAction = 'setup' | 'teardown';
type SetState = (
  name: string,
  params: Record<string, unknown>,
  action: StateAction,
) => Promise<Record<string, unknown>>;

type RequestFilter = NonNullable<VerifierOptions['requestFilter']>;

/** One handler per shared provider state, each delegating setup and teardown to `setState`. */
export function stateHandlersFor(setState: SetState): StateHandlers {
  // The core asks for a nameless state before an interaction that has none (the 401 one).
  const handlers: StateHandlers = { '': async () => undefined };
  for (const name of Object.values(ProviderStates)) {
    const params = (p: unknown) =>
      p && typeof p === 'object' ? (p as Record<string, unknown>) : {};
    handlers[name] = {
      setup: async (p) => (await setState(name, params(p), 'setup')) as JsonMap,
      teardown: async (p) => {
        await setState(name, params(p), 'teardown');
        return undefined;
      },
    };
  }
  return handlers;
}

/** A provider's own state-change endpoint: POST `{state, params, action}`, JSON values back. */
export function remoteSetState(url: string, timeoutMs = 10_000): SetState {
  return async (state, params, action) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ state, params, action }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new Error(
        `the state-change URL ${url} could not be reached: ${(err as Error).message}`,
      );
    }
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`the state-change URL answered ${res.status} for ${action} "${state}"`);
    }
    try {
      const values: unknown = text ? JSON.parse(text) : {};
      return values && typeof values === 'object' ? (values as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
}

interface FilterRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Replaces the contract's fake Authorization with the real token, keeping the scheme the contract
 * used (`Bearer <token>` or the raw token). A request without Authorization (the 401 interaction)
 * stays without one.
 */
export function authorizationFilter(token: string): RequestFilter {
  const filter = (req: FilterRequest, _res: unknown, next: () => void) => {
    const sent = req.headers.authorization;
    if (typeof sent === 'string') {
      req.headers.authorization = /^Bearer\s/i.test(sent) ? `Bearer ${token}` : token;
    }
    next();
  };
  return filter as unknown as RequestFilter;
}

export interface VerificationSetup {
  providerBaseUrl: string;
  /** The token the provider accepts; swapped into every request that carries Authorization. */
  providerToken: string;
  /** Pact files or URLs; default: every contracts/*.json. */
  pactUrls?: string[];
  /** In-process states (tests against the reference provider)... */
  setState?: SetState;
  /** ...or the provider's own state-change URL (`{state, params, action}` POSTs). */
  stateChangeUrl?: string;
  logLevel?: VerifierOptions['logLevel'];
}

/** Every pact file in contracts/, as absolute paths. */
export function committedContracts(cwd: string): string[] {
  const dir = path.resolve(cwd, CONTRACTS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The verifier options every verification starts from. */
export function baseOptions(setup: VerificationSetup): VerifierOptions {
  const options: VerifierOptions = {
    provider: PROVIDER_NAME,
    providerBaseUrl: setup.providerBaseUrl,
    pactUrls: setup.pactUrls ?? committedContracts(process.cwd()),
    requestFilter: authorizationFilter(setup.providerToken),
    // Teardown lets each interaction start from a clean account (keys made by a setup go away).
    providerStatesSetupTeardown: true,
    logLevel: setup.logLevel ?? 'warn',
    // No contract to verify is an error, not a silent pass.
    failIfNoPactsFound: true,
  };
  if (setup.setState) {
    // pact-js types this option as its proxy's handlers intersected with pact-core's.
    options.stateHandlers = stateHandlersFor(setup.setState) as VerifierOptions['stateHandlers'];
  }
  if (setup.stateChangeUrl && !setup.setState) {
    // Through the proxy's handlers rather than the core's providerStatesSetupUrl: the core also
    // posts a nameless state for interactions without one, which a provider's endpoint may refuse.
    options.stateHandlers = stateHandlersFor(
      remoteSetState(setup.stateChangeUrl),
    ) as VerifierOptions['stateHandlers'];
  }
  return options;
}

/** Runs Pact's verifier; resolves on success, rejects with the verifier's error otherwise. */
export async function verify(options: VerifierOptions): Promise<void> {
  const { Verifier } = await import('@pact-foundation/pact');
  await new Verifier(options).verifyProvider();
}

// ---------------------------------------------------------------------------------------------
// `latitude-conformance pact verify` (npm run pact:verify): for a provider team's own CI.

const USAGE = `usage: latitude-conformance pact verify [FILES...]

Verifies the pact files (default: contracts/*.json) against a running provider.
Environment:
  PACT_PROVIDER_BASE_URL     the provider to verify (required)
  PACT_PROVIDER_STATES_URL   the provider's state-change URL (POST {state, params, action})
  LATITUDE_API_TOKEN         a token the provider accepts (required; never printed)
  PACT_BROKER_PUBLISH_VERIFICATION_RESULTS=true
                             verify the broker's pacts for ${PROVIDER_NAME} and publish the
                             result; needs PACT_BROKER_BASE_URL (+ PACT_BROKER_TOKEN or
                             PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD). The provider version
                             and branch come from the same variables as for \`pact publish\`
                             (GIT_COMMIT, GITHUB_SHA, CI_COMMIT_SHA, …; GIT_BRANCH,
                             GITHUB_HEAD_REF, GITHUB_REF_NAME, …), then from git`;

function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** Options for `pact verify` from its arguments and environment (exported for tests). */
export function verifyOptionsFromEnv(files: string[], io: Io): VerifierOptions {
  const env = io.env;
  const baseUrl = env.PACT_PROVIDER_BASE_URL;
  if (!baseUrl) {
    throw new UsageError(
      'PACT_PROVIDER_BASE_URL is not set: point it at the provider to verify, e.g. PACT_PROVIDER_BASE_URL=http://127.0.0.1:8080.',
    );
  }
  if (!isUrl(baseUrl)) {
    throw new UsageError(`PACT_PROVIDER_BASE_URL must be an http(s) URL, got "${baseUrl}".`);
  }
  const token = env.LATITUDE_API_TOKEN;
  if (!token) {
    throw new UsageError(
      'LATITUDE_API_TOKEN is not set: give a token the provider accepts (the contract only holds a fake one).',
    );
  }
  const statesUrl = env.PACT_PROVIDER_STATES_URL || undefined;
  if (statesUrl && !isUrl(statesUrl)) {
    throw new UsageError(`PACT_PROVIDER_STATES_URL must be an http(s) URL, got "${statesUrl}".`);
  }

  const publish = env.PACT_BROKER_PUBLISH_VERIFICATION_RESULTS === 'true';
  const pactUrls = files.length
    ? files.map((f) => (isUrl(f) ? f : path.resolve(io.cwd, f)))
    : committedContracts(io.cwd);
  for (const file of pactUrls) if (!isUrl(file)) assertPactFile(file, io.cwd);

  const options = baseOptions({
    providerBaseUrl: baseUrl,
    providerToken: token,
    stateChangeUrl: statesUrl,
    pactUrls,
    logLevel: verifierLogLevel(env.PACT_LOG_LEVEL, io),
  });
  if (!publish) {
    if (!pactUrls.length) {
      throw new InputError(`no pact files: ${CONTRACTS_DIR}/ has no *.json and none were given.`);
    }
    return options;
  }

  // The same configuration and version rules as `pact publish`, so a setting that publish refuses
  // (credentials in the URL, half a username and password) is refused here too, with the same
  // message, and a CI run records the same commit on both sides.
  const config = brokerConfigFromEnv(env);
  const { version, branch } = resolvePublishVersion(env, gitIn(io.cwd));
  // A result can only be attached to a pact the broker holds: pacts come from the broker then
  // (or from PACT_URL, the pact a broker webhook asked to verify), never from local files.
  const fromBroker: VerifierOptions = {
    ...options,
    pactUrls: env.PACT_URL ? [env.PACT_URL] : files.length ? pactUrls : [],
    pactBrokerUrl: config.baseUrl,
    ...(config.auth.kind === 'token'
      ? { pactBrokerToken: config.auth.token }
      : { pactBrokerUsername: config.auth.username, pactBrokerPassword: config.auth.password }),
    publishVerificationResult: true,
    providerVersion: version.value,
    providerVersionBranch: branch?.value,
    failIfNoPactsFound: true,
  };
  if (!env.PACT_URL && !files.length) {
    fromBroker.consumerVersionSelectors = [{ mainBranch: true }, { deployedOrReleased: true }];
    fromBroker.enablePending = true;
  }
  return fromBroker;
}

/**
 * The verifier's log level from PACT_LOG_LEVEL. Below info, Pact's proxy and core print every
 * request and response in full, including the tokens the provider issues and the real token the
 * filter swaps in, so debug and trace are clamped to info (and the run says so).
 */
const LOG_LEVELS = ['error', 'warn', 'info'] as const;
const CLAMPED_LEVELS = ['debug', 'trace'];

export function verifierLogLevel(
  requested: string | undefined,
  io: Pick<Io, 'stderr'>,
): VerifierOptions['logLevel'] {
  if (!requested) return 'warn';
  const level = requested.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) {
    return level as (typeof LOG_LEVELS)[number];
  }
  if (CLAMPED_LEVELS.includes(level)) {
    io.stderr(
      `pact verify: PACT_LOG_LEVEL=${requested} would print the tokens the provider issues; logging at info instead.`,
    );
    return 'info';
  }
  throw new UsageError(
    `PACT_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (debug and trace are logged at info), got "${requested}".`,
  );
}

/** A local pact file is read and parsed before the verifier sees it: anything else is an InputError. */
function assertPactFile(file: string, cwd: string): void {
  const shown = path.relative(cwd, file) || file;
  let text: string;
  try {
    if (fs.statSync(file).isDirectory()) {
      throw new InputError(
        `${shown} is a directory, not a pact file: name the *.json files in it.`,
      );
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `no pact file at ${file}.`
        : `the pact file ${shown} could not be read: ${(err as Error).message}`,
    );
  }
  parsePact(text, shown);
}

/**
 * The provider (and its state-change URL) must answer at all before verification starts:
 * otherwise Pact's proxy dies with a stack trace and every state change times out in turn.
 * Any HTTP answer, even an error status, counts as reachable.
 */
export async function assertReachable(
  url: string,
  variable: string,
  timeoutMs = 5_000,
): Promise<void> {
  try {
    const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new TargetError(
      `${variable}=${url} cannot be reached (${why}): start the provider, or point ${variable} at where it runs.`,
    );
  }
}

/** Which interactions failed, from the verifier's error (its full report is printed above it). */
function failureSummary(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  try {
    const result = JSON.parse(message) as {
      interactionResults?: { description: string; result: string }[];
    };
    const failed = (result.interactionResults ?? []).filter((r) => r.result !== 'OK');
    if (failed.length) {
      return `Failed: ${failed.map((r) => `"${r.description}"`).join(', ')}.`;
    }
  } catch {
    // Not the verifier's JSON report: show its message as it is.
  }
  return message;
}

/** Provider states named by local pact files (URLs and unreadable files are left to Pact). */
function statesUsed(pactUrls: string[]): string[] {
  const names = new Set<string>();
  for (const file of pactUrls) {
    if (/^https?:/i.test(file)) continue;
    try {
      for (const i of parsePact(fs.readFileSync(file, 'utf8'), file).interactions) {
        for (const state of i.providerStates) if (state) names.add(state);
      }
    } catch {
      // Reported by the verification itself.
    }
  }
  return [...names];
}

export async function verifyCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const options = verifyOptionsFromEnv(positionals, io);
  if (options.providerBaseUrl) {
    await assertReachable(options.providerBaseUrl, 'PACT_PROVIDER_BASE_URL');
  }
  const statesUrl = io.env.PACT_PROVIDER_STATES_URL;
  if (statesUrl) await assertReachable(statesUrl, 'PACT_PROVIDER_STATES_URL');
  else {
    // Without a state-change URL every interaction that needs a state fails with Pact's own
    // "no state handler" line; say up front what is missing.
    const states = statesUsed(options.pactUrls ?? []);
    if (states.length > 0) {
      io.stderr(
        `warning: the contract's interactions need provider states (${states.join('; ')}) but ` +
          'PACT_PROVIDER_STATES_URL is not set: those interactions will fail. Point it at the ' +
          "provider's state-change endpoint (the reference provider's: --provider-states).",
      );
    }
  }
  const source = options.pactBrokerUrl
    ? `the pacts for ${PROVIDER_NAME} on ${options.pactBrokerUrl}`
    : (options.pactUrls ?? []).map((u) => path.relative(io.cwd, u) || u).join(', ');
  io.stdout(`Verifying ${source} against ${options.providerBaseUrl}`);
  try {
    await verify(options);
  } catch (err) {
    io.stderr(`pact verify: the provider does not honour the contract. ${failureSummary(err)}`);
    return 1;
  }
  io.stdout(
    options.publishVerificationResult
      ? `Verified; result published for provider version ${options.providerVersion}.`
      : 'Verified: the provider honours every interaction.',
  );
  return 0;
}
