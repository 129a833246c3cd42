import { existsSync, readdirSync } from 'node:fs';
import { DEFAULT_NAME_PREFIX, DEFAULT_SPEC } from '../conformance/defaults';
import { newRunId } from '../conformance/runner';
import { FAKE_TOKENS } from '../contracts/fixtures';
import { createEngine, loadSpec } from '../spec';
import type { FaultName } from '../provider/faults';
import { startProvider } from '../provider';
import { SecretScrubber } from '../redact';
import { DEFAULT_NAME, providerChecks, SdkCheck, stubChecks } from './checks';
import {
  compareWithContract,
  ContractInteraction,
  contractKeyIds,
  loadContract,
  RequestDifference,
  SpecMediaTypes,
} from './contract';
import { Plan, runDriver } from './driver';
import { InstalledDriver, installGo, installPython, InstallFailureKind } from './install';
import { MatrixReport, runMatrix } from './matrix';
import { pairSteps } from './pairing';
import { RecordedExchange, startRecordingProxy } from './recorder';
import { isUnmatched, startStub } from './stub';
import { typescriptSdkStatus, TsSdkStatus } from './ts-sdk';
import type { DriverStep, SdkName } from './types';

/** The media types the bundled spec documents per request, to tell alternatives from defects. */
async function specMediaTypes(): Promise<SpecMediaTypes> {
  const engine = createEngine(await loadSpec(DEFAULT_SPEC));
  const op = (method: string, path: string) => engine.matchOperation(method, path)?.operation;
  return {
    request: (method, path) => op(method, path)?.requestBody?.content.map((c) => c.mediaType),
    response: (method, path) =>
      op(method, path)
        ?.responseInfo.filter((r) => r.status.startsWith('2'))
        .flatMap((r) => r.content.map((c) => c.mediaType)),
  };
}

/**
 * The SDK release verification: prepare each SDK's driver, run it against the pact stub, the
 * reference provider or a real base URL through the recording proxy, check what a user would
 * notice, compare what it sent with the contract, and (against the provider) fill the fault
 * matrix. The CLI (commands/sdk.ts) is a thin shell over `verifySdks`.
 */

export type Target = 'stub' | 'provider' | { baseUrl: string };

export interface RequestedSdk {
  sdk: SdkName;
  version: string;
  /** Named on the command line (a version or --sdks): unavailable is then a failure, not a note. */
  explicit: boolean;
}

export interface VerifyOptions {
  sdks: RequestedSdk[];
  targets: Target[];
  /** Named with --against: a target skipped for every SDK is then a failure, not a note. */
  targetsExplicit: boolean;
  contractsDir: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  progress: (line: string) => void;
  scrubber: SecretScrubber;
  /** Faults for the matrix; undefined: no matrix. */
  matrixFaults?: FaultName[];
  tsSdk?: string;
  /** The credential for a real base URL (LATITUDE_API_TOKEN). */
  realToken?: string;
  /** Names the run's keys (`lc-conformance-<runId>-sdk-<sdk>`); default: a new one. */
  runId?: string;
}

/** The prefix the drivers name their keys with; they add `-<sdk>`. */
export function sdkNamePrefix(runId: string): string {
  return `${DEFAULT_NAME_PREFIX}-${runId}-sdk`;
}

export interface PreparedSdk {
  sdk: SdkName;
  version: string;
  status: 'ready' | 'unavailable';
  kind?: InstallFailureKind;
  reason?: string;
  explicit: boolean;
  driver?: InstalledDriver;
}

export interface TargetRun {
  target: string;
  sdk: SdkName;
  version: string;
  steps: DriverStep[];
  fatal?: string;
  exchanges: RecordedExchange[];
  differences: RequestDifference[];
  checks: SdkCheck[];
  observations: string[];
  /** What the verification deleted after the driver, and what it found still there. */
  cleanup?: KeyCleanup;
  skipped?: string;
}

export interface VerifyReport {
  generatedAt: string;
  /** The run id in the names of the keys the drivers created. */
  runId: string;
  sdks: PreparedSdk[];
  typescript: TsSdkStatus;
  runs: TargetRun[];
  matrix?: MatrixReport;
  passed: boolean;
  /** Why not one SDK was verified against any target, when that is so: the run fails. */
  nothingVerified?: string;
}

export function targetName(t: Target): string {
  return typeof t === 'string' ? t : t.baseUrl;
}

export async function prepareSdks(
  sdks: RequestedSdk[],
  cacheDir: string,
  env: NodeJS.ProcessEnv,
  progress: (line: string) => void = () => undefined,
): Promise<PreparedSdk[]> {
  const out: PreparedSdk[] = [];
  for (const r of sdks) {
    progress(`[install] ${r.sdk} ${r.version} …`);
    const res =
      r.sdk === 'python'
        ? await installPython(r.version, cacheDir, env)
        : await installGo(r.version, cacheDir, env);
    if (res.ok) {
      progress(`[install] ${r.sdk} ${res.version}: ${res.reused ? 'cached' : 'installed'}`);
      out.push({
        sdk: r.sdk,
        version: res.version,
        status: 'ready',
        driver: res.driver,
        explicit: r.explicit,
      });
    } else {
      progress(`[install] ${r.sdk} ${res.version}: not available (${res.kind}): ${res.reason}`);
      out.push({
        sdk: r.sdk,
        version: res.version,
        status: 'unavailable',
        kind: res.kind,
        reason: res.reason,
        explicit: r.explicit,
      });
    }
  }
  return out;
}

function hasContract(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json'));
}

function observations(exchanges: RecordedExchange[]): string[] {
  const out: string[] = [];
  const leftOut = exchanges.find((e) => e.step === 'create_name_left_out');
  const name = (leftOut?.body as { data?: { attributes?: { name?: unknown } } } | undefined)?.data
    ?.attributes?.name;
  if (leftOut) {
    out.push(
      name === undefined
        ? 'create with the name left out sends no name'
        : `create with the name left out sends name "${String(name)}"` +
            (name === DEFAULT_NAME ? ' (the schema default)' : ''),
    );
  }
  const without = exchanges.find((e) => e.step === 'create_without_name');
  if (without) {
    out.push(`create_without_name sends ${JSON.stringify(without.body)}`);
  }
  return out;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);
const is2xx = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

function responseKeyId(e: RecordedExchange): string | undefined {
  const id = (e.responseBody as { data?: { id?: unknown } } | undefined)?.data?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function deletedKeyId(e: RecordedExchange): string | undefined {
  const last = e.path.split('?')[0].split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Every key id a 2xx POST, PUT or PATCH answer carried, in the order first seen. */
export function keysCreated(exchanges: RecordedExchange[]): string[] {
  const ids = new Set<string>();
  for (const e of exchanges) {
    const id = WRITES.has(e.method) && is2xx(e.status) ? responseKeyId(e) : undefined;
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * Ids a 2xx POST, PUT or PATCH answer carried that no later 2xx DELETE removed: whatever the
 * status of the create (201, or a 200 from a provider that deviates) and whatever name it had.
 */
export function keysLeftBehind(exchanges: RecordedExchange[]): string[] {
  const live = new Set<string>();
  for (const e of exchanges) {
    if (!is2xx(e.status)) continue;
    if (WRITES.has(e.method)) {
      const id = responseKeyId(e);
      if (id) live.add(id);
    } else if (e.method === 'DELETE') {
      const id = deletedKeyId(e);
      if (id) live.delete(id);
    }
  }
  return [...live];
}

export interface KeyCleanup {
  /** Key ids the run's 2xx create/update answers carried. */
  created: string[];
  /** How many of them a 2xx DELETE sent by the SDK removed. */
  deletedBySdk: number;
  /** Ids the verification itself deleted afterwards (2xx, or 404: already gone). */
  deletedByVerification: string[];
  /** Ids still on the account after the cleanup, as its list shows them. */
  leftBehind: string[];
  /** Why the cleanup could not be confirmed (a failed delete or list). */
  error?: string;
}

/**
 * After a driver run, deletes every key the run created and did not delete, with the run's own
 * token, straight at the target (not through the SDK or the recording proxy), then lists the
 * keys to confirm none of them is left. Nothing an SDK did wrong can leave a live key behind
 * unnoticed.
 */
export async function cleanUpKeys(
  baseUrl: string,
  token: string,
  exchanges: RecordedExchange[],
  scrubber: SecretScrubber,
  timeoutMs = 30_000,
): Promise<KeyCleanup> {
  const created = keysCreated(exchanges);
  const remaining = keysLeftBehind(exchanges);
  const base = baseUrl.replace(/\/$/, '');
  const errors: string[] = [];
  const deletedByVerification: string[] = [];
  for (const id of remaining) {
    try {
      const res = await fetch(`${base}/auth/api_keys/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        headers: { Authorization: token, Accept: '*/*' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      if (is2xx(res.status) || res.status === 404) deletedByVerification.push(id);
      else errors.push(`DELETE ${id} answered ${res.status}`);
    } catch (err) {
      errors.push(`DELETE ${id} failed: ${scrubber.scrub((err as Error).message)}`);
    }
  }
  let leftBehind: string[];
  try {
    const res = await fetch(`${base}/auth/api_keys`, {
      headers: { Authorization: token, Accept: 'application/vnd.api+json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!is2xx(res.status)) throw new Error(`answered ${res.status}`);
    const data = (JSON.parse(text) as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new Error('answered without a data array');
    const listed = new Set(
      data.map((k) => (k as { id?: unknown } | null)?.id).filter((id) => typeof id === 'string'),
    );
    leftBehind = created.filter((id) => listed.has(id));
  } catch (err) {
    errors.push(`the key list to confirm it ${scrubber.scrub((err as Error).message)}`);
    leftBehind = remaining.filter((id) => !deletedByVerification.includes(id));
  }
  const deleted = new Set(remaining);
  return {
    created,
    deletedBySdk: created.filter((id) => !deleted.has(id)).length,
    deletedByVerification,
    leftBehind,
    ...(errors.length ? { error: errors.join('; ') } : {}),
  };
}

function cleanupLine(c: KeyCleanup): string {
  return (
    `keys: ${c.created.length} created, ${c.deletedBySdk} deleted by the SDK, ` +
    `${c.deletedByVerification.length} deleted by the verification, ` +
    `${c.leftBehind.length} left behind` +
    (c.leftBehind.length ? ` (${c.leftBehind.join(', ')})` : '') +
    (c.error ? `; cleanup not confirmed: ${c.error}` : '')
  );
}

/** Runs one driver against one target through the recording proxy. */
export async function runTarget(
  driver: InstalledDriver,
  target: Target,
  opts: Pick<VerifyOptions, 'contractsDir' | 'env' | 'scrubber' | 'realToken' | 'runId'>,
): Promise<TargetRun> {
  const base: TargetRun = {
    target: targetName(target),
    sdk: driver.sdk,
    version: driver.version,
    steps: [],
    exchanges: [],
    differences: [],
    checks: [],
    observations: [],
  };
  const spec = await specMediaTypes();
  const contract: ContractInteraction[] | undefined = hasContract(opts.contractsDir)
    ? loadContract(opts.contractsDir)
    : undefined;
  let upstream: { url: string; close(): Promise<void> };
  let token: string;
  let plans: Plan[] = ['lifecycle', 'errors', 'name-left-out'];
  let keyId: string | undefined;
  let missingId: string | undefined;

  if (target === 'stub') {
    if (!contract) {
      return { ...base, skipped: `no pact files in ${opts.contractsDir}: nothing to serve` };
    }
    upstream = await startStub(opts.contractsDir, opts.env);
    // The stub does not check credentials; the contract's own fake token keeps real ones out of
    // its logs.
    token = FAKE_TOKENS.caller;
    const ids = contractKeyIds(contract);
    keyId = ids.existing;
    missingId = ids.missing;
    plans = ['lifecycle', 'errors'];
  } else if (target === 'provider') {
    const provider = await startProvider({ port: 0, rateLimit: { enabled: false } });
    upstream = { url: provider.url, close: () => provider.close() };
    token = provider.rootToken;
  } else {
    if (!opts.realToken) {
      return { ...base, skipped: 'LATITUDE_API_TOKEN is not set: a real base URL needs a token' };
    }
    upstream = { url: target.baseUrl, close: async () => undefined };
    token = opts.realToken;
  }
  opts.scrubber.add(token);
  const proxy = await startRecordingProxy(upstream.url, opts.scrubber);
  try {
    const run = await runDriver(driver, {
      baseUrl: proxy.url,
      token,
      plans,
      keyId,
      missingId,
      env: opts.env,
      scrubber: opts.scrubber,
      namePrefix: sdkNamePrefix(opts.runId ?? newRunId()),
    });
    // Whatever the SDK did, no key the run created stays on the target (the stub keeps none).
    const cleanup =
      target === 'stub'
        ? undefined
        : await cleanUpKeys(upstream.url, token, proxy.exchanges, opts.scrubber);
    const paired = pairSteps(run, proxy.exchanges);
    if (target === 'stub') {
      for (const e of proxy.exchanges) {
        e.unmatched = isUnmatched(e.status, e.responseContentType, e.responseBody) || undefined;
      }
    }
    const checks = target === 'stub' ? stubChecks(run, paired) : providerChecks(run);
    // The 401 steps leave out or garble the credential on purpose; their headers are not the SDK's
    // normal behaviour and are not compared.
    const differences = contract
      ? proxy.exchanges
          .filter((e) => !e.step?.startsWith('unauthorized_'))
          .flatMap((e) => compareWithContract(e, contract, spec))
      : [];
    if (target === 'stub') {
      // A difference the contract's matchers would refuse is a failure against the contract; one
      // they accept (or that only the example differs in) is reported, not failed.
      const seen = new Set<string>();
      for (const d of differences.filter((x) => !x.contractAccepts && !x.specDocuments)) {
        const key = `${d.code} ${d.method}`;
        if (seen.has(key)) continue;
        seen.add(key);
        checks.push({
          code: `contract.${d.code}`,
          title: `${d.method} ${d.code.replace('request.header.', '')}: the contract accepts what the SDK sends`,
          step: d.step ?? '-',
          passed: false,
          expected: d.expected,
          received: d.received,
        });
      }
    }
    if (cleanup) {
      // On a real account every key left behind is a live credential: say which, loudly.
      checks.push({
        code: 'sdk.cleanup',
        title: 'every key the run created was deleted',
        step: 'delete',
        passed: cleanup.leftBehind.length === 0 && cleanup.error === undefined,
        expected: [],
        received: cleanup.error
          ? { leftBehind: cleanup.leftBehind, error: cleanup.error }
          : cleanup.leftBehind,
      });
    }
    if (run.fatal) {
      checks.push({
        code: 'sdk.driver',
        title: 'the driver ran to the end',
        step: '-',
        passed: false,
        expected: 'no driver failure',
        received: run.fatal,
      });
    }
    return {
      ...base,
      steps: run.steps,
      fatal: run.fatal,
      exchanges: proxy.exchanges,
      differences,
      checks,
      cleanup,
      observations: [
        ...observations(proxy.exchanges),
        ...(cleanup ? [cleanupLine(cleanup)] : []),
        ...(contract ? [] : ['no pact files in contracts/: request differences not computed']),
      ],
    };
  } finally {
    await proxy.close();
    await upstream.close();
  }
}

export async function verifySdks(opts: VerifyOptions): Promise<VerifyReport> {
  const runId = opts.runId ?? newRunId();
  const prepared = await prepareSdks(opts.sdks, opts.cacheDir, opts.env, opts.progress);
  const ready = prepared.filter((p) => p.status === 'ready' && p.driver);
  const typescript = typescriptSdkStatus(opts.tsSdk);
  opts.progress(`[typescript] ${typescript.status}: ${typescript.reason}`);
  opts.progress(`[verify] the drivers name their keys ${sdkNamePrefix(runId)}-<sdk>`);

  const runs: TargetRun[] = [];
  for (const p of ready) {
    for (const target of opts.targets) {
      opts.progress(`[verify] ${p.sdk} ${p.version} against ${targetName(target)} …`);
      const run = await runTarget(p.driver!, target, { ...opts, runId });
      const failed = run.checks.filter((c) => !c.passed).length;
      opts.progress(
        `[verify] ${p.sdk} ${p.version} against ${targetName(target)}: ` +
          (run.skipped
            ? `skipped (${run.skipped})`
            : `${run.checks.length - failed} of ${run.checks.length} checks passed, ` +
              `${run.differences.length} difference(s) from the contract`),
      );
      runs.push(run);
    }
  }

  let matrix: MatrixReport | undefined;
  if (opts.matrixFaults) {
    opts.progress(
      `[matrix] ${ready.length} SDK(s) × ${opts.matrixFaults.length + 1} runs (baseline + faults)`,
    );
    matrix = await runMatrix({
      drivers: ready.map((p) => p.driver!),
      unavailable: prepared
        .filter((p) => p.status === 'unavailable')
        .map((p) => ({ sdk: p.sdk, version: p.version, reason: p.reason ?? 'not available' })),
      faults: opts.matrixFaults,
      env: opts.env,
      progress: opts.progress,
      scrubber: opts.scrubber,
    });
  }

  return {
    generatedAt: new Date().toISOString(),
    runId,
    sdks: prepared.map(({ driver: _driver, ...rest }) => rest),
    typescript,
    runs,
    matrix,
    ...judgeVerification(prepared, runs, opts.targetsExplicit, typescript),
  };
}

/**
 * Whether the run passed: every check of every run passed, and nothing the user asked for was
 * left out. An SDK or a target named on the command line that could not be run, or --ts-sdk
 * (there is no TypeScript driver), fails the run; an SDK at its default version whose toolchain
 * is missing or whose registry does not serve it is a note. A run that verified no SDK against
 * any target never passes: it says why.
 */
export function judgeVerification(
  prepared: Pick<PreparedSdk, 'sdk' | 'version' | 'status' | 'kind' | 'reason' | 'explicit'>[],
  runs: Pick<TargetRun, 'sdk' | 'version' | 'target' | 'checks' | 'skipped'>[],
  targetsExplicit: boolean,
  typescript: TsSdkStatus,
): Pick<VerifyReport, 'passed' | 'nothingVerified'> {
  const verified = runs.filter((r) => !r.skipped);
  let nothingVerified: string | undefined;
  if (verified.length === 0) {
    const unavailable = prepared.filter((p) => p.status !== 'ready');
    nothingVerified =
      prepared.length === 0
        ? 'no SDK was asked for'
        : unavailable.length === prepared.length
          ? 'no SDK could be installed: ' +
            unavailable.map((p) => `${p.sdk} ${p.version}: ${p.reason}`).join('; ')
          : runs.length === 0
            ? 'no target to run against'
            : 'every run was skipped: ' + [...new Set(runs.map((r) => r.skipped))].join('; ');
  }
  const passed =
    nothingVerified === undefined &&
    runs.every((r) => r.checks.every((c) => c.passed)) &&
    !(targetsExplicit && runs.some((r) => r.skipped)) &&
    prepared.every((p) => p.status === 'ready' || (!p.explicit && p.kind !== 'failed')) &&
    typescript.status !== 'not-run';
  return nothingVerified === undefined ? { passed } : { passed, nothingVerified };
}
