import { randomBytes } from 'node:crypto';
import {
  ApiKey,
  ApiKeysClient,
  ApiResponse,
  ClientNetworkError,
  ClientTimeoutError,
  Exchange,
} from '../client';
import { TargetError, UserError } from '../errors';
import { SecretScrubber } from '../redact';
import type { SpecEngine } from '../spec';
import { CHECK_CODES, CheckCode, selectChecks } from './catalogue';
import * as responses from './checks/responses';
import * as semantic from './checks/semantic';
import { sampleInvalidBodies } from './fuzz';
import { Ledger } from './ledger';
import { Pacer } from './pacer';
import { CheckResult, Results } from './results';
import { fail, pass } from './verdict';

export interface RunOptions {
  baseUrl: string;
  token: string;
  /** What the report calls the target: the base URL, or `embedded reference provider`. */
  targetLabel: string;
  engine: SpecEngine;
  specSource: string;
  only?: string[];
  skip?: string[];
  fuzzRuns: number;
  readsPerMinute: number;
  writesPerMinute: number;
  timeoutMs: number;
  maxRetries: number;
  /** Keys named with the prefix and older than this are swept at the start (minutes). */
  sweepAgeMinutes: number;
  /** Where the ledger lives; undefined keeps it in memory. */
  ledgerFile?: string;
  namePrefix: string;
  runId: string;
  fuzzSeed: number;
  progress: (line: string) => void;
  /** Aborting stops the run between two requests; cleanup still runs. */
  signal?: AbortSignal;
  /** Every secret the run must never write (the configured token is added automatically). */
  scrubber?: SecretScrubber;
}

export interface CleanupSummary {
  created: number;
  deleted: number;
  leftBehind: string[];
  /** Keys of earlier runs this run deleted before starting (ledger and prefix-and-age sweep). */
  swept: number;
}

export interface RunReport {
  target: string;
  spec: string;
  runId: string;
  startedAt: string;
  durationMs: number;
  /** `unreached`: selected checks that could not run (a step they need failed): incomplete. */
  summary: { passed: number; failed: number; skipped: number; unreached: number };
  checks: CheckResult[];
  cleanup: CleanupSummary;
  requests: {
    total: number;
    reads: number;
    writes: number;
    retries: number;
    byOperation: Record<string, number>;
  };
  fuzz: { runs: number; seed: number };
  /** Set when the run was stopped before its end (a signal), with the reason. */
  interrupted?: string;
  /** Set when the run could not go on (the provider stopped answering, …): the run's findings
   *  and its cleanup up to then are still reported. */
  error?: string;
}

export class RunAborted extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RunAborted';
  }
}

/** Whether a key name has exactly the shape a run gives its keys: `<prefix>-<run id>-<purpose>`. */
export function isSuiteKeyName(name: string, prefix: string): boolean {
  const p = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${p}-\\d{8}t\\d{4}-[0-9a-f]{6}-\\S`).test(name);
}

/** The name a create body carries (parsed or raw text), to look the key up afterwards. */
function nameSentIn(body: unknown): string | undefined {
  if (typeof body === 'string') return /"name":\s*"([^"]+)"/.exec(body)?.[1];
  const name = (body as { data?: { attributes?: { name?: unknown } } })?.data?.attributes?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Names a run gives its keys: `<prefix>-<runId>-<purpose>`, so sweeps can find them. */
export function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13).toLowerCase();
  return `${t}-${randomBytes(3).toString('hex')}`;
}

interface Step {
  operation: string;
  label: string;
}

/**
 * The conformance run: a fixed scenario of requests against one target, with every response put
 * through the spec engine and every step through the rules no schema states. The scenario order
 * is the lifecycle a user lives through; checks whose steps could not run are skipped with why.
 */
export class ConformanceRun {
  private readonly results: Results;
  private readonly scrubber: SecretScrubber;
  private readonly pacer: Pacer;
  private readonly ledger: Ledger;
  private readonly client: ApiKeysClient;
  private readonly byOperation: Record<string, number> = {};
  private readonly createdKeys: ApiKey[] = [];
  private swept = 0;
  private total = 0;

  constructor(private readonly o: RunOptions) {
    const { selected } = selectChecks(o.only, o.skip);
    this.scrubber = o.scrubber ?? new SecretScrubber();
    this.scrubber.add(o.token);
    this.results = new Results(selected, this.scrubber);
    this.pacer = new Pacer({
      readsPerMinute: o.readsPerMinute,
      writesPerMinute: o.writesPerMinute,
      maxRetries: o.maxRetries,
      maxRetryWaitMs: 120_000,
      signal: o.signal,
      onWait: (ms, why) => {
        if (ms >= 1000) o.progress(`  … waiting ${(ms / 1000).toFixed(1)} s (${why})`);
      },
    });
    this.ledger = new Ledger(o.ledgerFile, o.baseUrl, o.runId);
    this.client = new ApiKeysClient({
      baseUrl: o.baseUrl,
      token: o.token,
      timeoutMs: o.timeoutMs,
      sendPolicy: this.pacer.policy,
      userAgent: 'latitude-conformance',
      onExchange: (ex) => this.observe(ex),
    });
  }

  private name(purpose: string): string {
    return `${this.o.namePrefix}-${this.o.runId}-${purpose}`;
  }

  async run(): Promise<RunReport> {
    const started = new Date();
    let interrupted: string | undefined;
    let error: string | undefined;
    // Before anything exists on the account: a rejected token or a target that is not there
    // stops the run at once, with one message and no report.
    try {
      await this.preflight();
    } catch (err) {
      if (err instanceof RunAborted) {
        throw new UserError(`${err.message} before the run started: nothing was created.`);
      }
      throw err;
    }
    try {
      await this.sweep();
      await this.phase(
        'security: credentials',
        ['security.no_credentials', 'security.wrong_token'],
        () => this.credentials(),
      );
      const key = await this.phase(
        'lifecycle: create, list, update, rotate',
        ['semantic', 'lifecycle'],
        () => this.lifecycle(),
      );
      await this.phase(
        'security: read-only key',
        [
          'security.read_only_can_read',
          'security.read_only_cannot_create',
          'security.read_only_cannot_rotate',
          'security.read_only_cannot_update',
          'security.read_only_cannot_delete',
          'semantic.read_only_echoed',
        ],
        () => this.readOnlyKey(),
      );
      await this.phase(
        'security: IP allow-list',
        ['security.ip_allowlist', 'semantic.allowed_ips_echoed'],
        () => this.ipRestrictedKey(),
      );
      await this.phase('security: client-chosen token', ['security.token_not_writable'], () =>
        this.tokenNotWritable(),
      );
      await this.phase('negative input', ['input'], () => this.negativeInput());
      await this.phase(`fuzz: ${this.o.fuzzRuns} generated invalid bodies`, ['input.fuzz'], () =>
        this.fuzz(),
      );
      await this.phase('lifecycle: delete', ['lifecycle'], () => this.deletion(key));
    } catch (err) {
      if (err instanceof RunAborted) interrupted = err.message;
      else error = (err as Error)?.message ?? String(err);
    } finally {
      await this.cleanup(interrupted !== undefined || error !== undefined);
    }
    const checks = this.results.lines();
    const count = (s: string) => checks.filter((c) => c.status === s).length;
    return {
      target: this.o.targetLabel,
      spec: this.o.specSource,
      runId: this.o.runId,
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      summary: {
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
        unreached: this.results.unreached().length,
      },
      checks,
      cleanup: this.cleanupSummary,
      requests: {
        total: this.total,
        reads: this.pacer.stats.reads,
        writes: this.pacer.stats.writes,
        retries: this.pacer.stats.retries,
        byOperation: this.byOperation,
      },
      fuzz: { runs: this.o.fuzzRuns, seed: this.o.fuzzSeed },
      interrupted,
      error,
    };
  }

  // ---------------------------------------------------------------- plumbing

  private cleanupSummary: CleanupSummary = { created: 0, deleted: 0, leftBehind: [], swept: 0 };

  private phaseNo = 0;
  private async phase<T>(
    title: string,
    codes: string[],
    body: () => Promise<T>,
  ): Promise<T | undefined> {
    this.phaseNo++;
    if (!this.results.anySelected(codes)) {
      this.o.progress(`[${this.phaseNo}] ${title}: not selected`);
      return undefined;
    }
    const before = this.total;
    const t0 = Date.now();
    this.o.progress(`[${this.phaseNo}] ${title}`);
    const out = await body();
    this.o.progress(`    ${this.total - before} requests, ${Date.now() - t0} ms`);
    return out;
  }

  private checkAborted(): void {
    if (this.o.signal?.aborted) {
      throw new RunAborted(String(this.o.signal.reason ?? 'interrupted'));
    }
  }

  /** Every exchange: count it, learn its secrets, check it against the spec, keep the ledger. */
  private observe(ex: Exchange): void {
    this.total++;
    this.byOperation[ex.operationId] = (this.byOperation[ex.operationId] ?? 0) + 1;
    let body: { data?: ApiKey | ApiKey[] } | undefined;
    try {
      body = ex.responseBody ? JSON.parse(ex.responseBody) : undefined;
    } catch {
      body = undefined;
    }
    const docs = Array.isArray(body?.data) ? body.data : body?.data ? [body.data] : [];
    for (const d of docs) this.scrubber.add(d?.attributes?.token as string | undefined);

    // Whatever created a key (a lifecycle step, or a faulty provider accepting bad input), the
    // ledger knows it before the next request goes out.
    // POST creates; a PUT or PATCH answering with another id has made a key too.
    const created =
      ['POST', 'PUT', 'PATCH'].includes(ex.method) && ex.status >= 200 && ex.status < 300;
    const single = !Array.isArray(body?.data) ? (body?.data as ApiKey | undefined) : undefined;
    if (created && typeof single?.id === 'string') {
      this.ledger.recordCreated(single.id, String(single.attributes?.name ?? ''));
    }
    if (ex.method === 'DELETE' && (ex.status === 200 || ex.status === 204 || ex.status === 404)) {
      const id = decodeURIComponent(ex.path.split('/').pop() ?? '');
      if (this.ledger.outstanding().some((e) => e.id === id)) this.ledger.recordDeleted(id);
    }

    if (ex.status === 429) {
      this.results.record(
        'transport.rate_limited',
        ex.operationId,
        fail(
          `still rate limited after ${this.o.maxRetries} retries`,
          `an answer within the pacing of ${this.o.writesPerMinute} writes and ${this.o.readsPerMinute} reads a minute`,
          429,
        ),
      );
    } else {
      this.results.record('transport.rate_limited', ex.operationId, pass());
    }
    this.results.record('transport.timeout', ex.operationId, pass());

    const findings = this.o.engine.validateResponse(
      ex.operationId,
      ex.status,
      ex.responseHeaders,
      ex.responseBody,
      { undocumentedErrors: true },
    );
    const failed = new Set(findings.map((f) => f.code));
    for (const f of findings) {
      this.results.record(f.code, ex.operationId, {
        ok: false,
        message: `${ex.method} ${ex.path} → ${ex.status}: ${f.message}`,
        pointer: f.pointer,
        expected: f.expected,
        received: f.received,
      });
    }
    const common: CheckCode[] = [
      'response.content_type.missing',
      'response.content_type.mismatch',
      'response.body.missing',
      'response.body.unexpected',
      'response.body.not_json',
    ];
    const applicable: CheckCode[] =
      ex.status >= 400
        ? [...common, 'response.error.schema']
        : ['response.status.undocumented', ...common, 'response.body.schema'];
    for (const code of applicable) {
      if (!failed.has(code)) this.results.record(code, ex.operationId, pass());
    }
  }

  /**
   * One request. A timeout becomes a `transport.timeout` finding and the step's result is
   * undefined (the checks that needed it are skipped); a lost connection ends the run.
   */
  private async call<T>(
    step: Step,
    send: () => Promise<ApiResponse<T>>,
  ): Promise<ApiResponse<T> | undefined> {
    this.checkAborted();
    try {
      return await send();
    } catch (err) {
      // Interrupted (possibly in a pacing wait, which the client reports as a network error).
      this.checkAborted();
      if (err instanceof ClientTimeoutError) {
        this.results.record(
          'transport.timeout',
          step.operation,
          fail(
            `${step.label}: ${err.message}`,
            `an answer within ${this.o.timeoutMs} ms`,
            'no answer',
          ),
        );
        return undefined;
      }
      if (err instanceof ClientNetworkError) {
        throw new TargetError(
          `the provider at ${this.o.baseUrl} stopped answering during "${step.label}": ${err.message}.`,
        );
      }
      throw err;
    }
  }

  /**
   * The keys of a list response, or undefined after recording that the list could not answer
   * the check (a check whose evidence never came is a failure, not a silent skip).
   */
  private listedKeys(
    list: ApiResponse<{ data?: ApiKey[] }> | undefined,
    code: CheckCode,
  ): ApiKey[] | undefined {
    if (!list) return undefined; // a timeout, already a transport.timeout finding
    if (list.status >= 200 && list.status < 300 && Array.isArray(list.body?.data)) {
      return list.body.data;
    }
    this.results.record(
      code,
      'get-api-keys',
      fail(
        `the list answered ${list.status} without a data array, so the key could not be looked up`,
        '200 with a data array',
        list.rawBody,
      ),
    );
    return undefined;
  }

  private skipAll(codes: CheckCode[], reason: string): void {
    for (const c of codes) this.results.skip(c, reason);
  }

  private asClient(token: string | undefined): ApiKeysClient {
    return this.client.withToken(token);
  }

  /** Remember a key the run created, for the checks that compare keys with each other. */
  private noteCreated(key: ApiKey | undefined): void {
    if (!key) return;
    const first = this.createdKeys[0];
    this.createdKeys.push(key);
    if (first)
      this.results.record(
        'semantic.user_consistent',
        'post-api-key',
        semantic.sameUser(first, key),
      );
  }

  // ---------------------------------------------------------------- phases

  /** The first call tells whether the target is there and takes the token. */
  private async preflight(): Promise<void> {
    this.o.progress(`[0] preflight: ${this.o.targetLabel}`);
    const res = await this.call({ operation: 'get-api-keys', label: 'first list' }, () =>
      this.client.list(),
    );
    if (res && (res.status === 401 || res.status === 403)) {
      throw new TargetError(
        `the provider at ${this.o.baseUrl} rejected the token at the first call (${res.status}). ` +
          'Check LATITUDE_API_TOKEN: it must be a valid API key of the account, not read-only.',
      );
    }
    // No such route: the base URL does not point at the API (a path too many or too few).
    if (
      res &&
      (res.status === 404 || res.status === 405 || (res.status >= 300 && res.status < 400))
    ) {
      throw new TargetError(
        `GET ${this.o.baseUrl}/auth/api_keys answered ${res.status} at the first call: ` +
          'LATITUDE_API_BASE_URL should be the API root (e.g. https://api.latitude.sh), with no path.',
      );
    }
  }

  /**
   * Keys earlier runs left behind. The ledger's first: those of a run that is gone (its process
   * on this host has ended) at once, others once older than the sweep age, since their run may be
   * going on elsewhere. Then keys whose name has exactly the shape this suite gives its keys
   * (`<prefix>-<run id>-<purpose>`) and older than the sweep age. Never the key the run itself
   * authenticates with, whatever its name.
   */
  private async sweep(): Promise<void> {
    const cutoff = Date.now() - this.o.sweepAgeMinutes * 60_000;
    for (const e of this.ledger.leftoversFromEarlierRuns(cutoff)) {
      const res = await this.call({ operation: 'delete-api-key', label: 'sweep' }, () =>
        this.client.delete(e.id),
      );
      if (res && (res.status === 200 || res.status === 204 || res.status === 404)) {
        this.ledger.recordDeleted(e.id);
        if (res.status !== 404) this.swept++;
      }
    }
    const list = await this.call({ operation: 'get-api-keys', label: 'sweep list' }, () =>
      this.client.list(),
    );
    const keys = Array.isArray(list?.body?.data) ? list.body.data : [];
    const ownSlice = this.o.token.slice(-5);
    for (const k of keys) {
      const name = k?.attributes?.name;
      const created = Date.parse(String(k?.attributes?.created_at ?? ''));
      if (typeof name !== 'string' || !k.id || !isSuiteKeyName(name, this.o.namePrefix)) continue;
      if (name.startsWith(this.name('')) || Number.isNaN(created) || created > cutoff) continue;
      if (k.attributes?.token_last_slice === ownSlice) continue;
      const res = await this.call({ operation: 'delete-api-key', label: 'sweep' }, () =>
        this.client.delete(k.id!),
      );
      if (res && (res.status === 200 || res.status === 204)) this.swept++;
    }
    if (this.swept > 0)
      this.o.progress(`    swept ${this.swept} key(s) left behind by earlier runs`);
  }

  private async credentials(): Promise<void> {
    const none = await this.call(
      { operation: 'get-api-keys', label: 'list without credentials' },
      () => this.asClient(undefined).list(),
    );
    if (none)
      this.results.record(
        'security.no_credentials',
        'get-api-keys',
        responses.refusedWith(none, [401], 'a request without credentials'),
      );
    const wrong = await this.call(
      { operation: 'get-api-keys', label: 'list with a wrong token' },
      () => this.asClient(randomBytes(18).toString('hex')).list(),
    );
    if (wrong)
      this.results.record(
        'security.wrong_token',
        'get-api-keys',
        responses.refusedWith(wrong, [401], 'a request with a wrong token'),
      );
  }

  /** Checks every create response gets. */
  private checkCreated(
    key: ApiKey | undefined,
    sent: { name: string; read_only?: boolean; allowed_ips?: string[] },
  ): void {
    const op = 'post-api-key';
    this.results.record('semantic.token_presence', op, semantic.tokenShown(key, 'create'));
    this.results.record('semantic.token_last_slice', op, semantic.tokenLastSliceMatchesToken(key));
    this.results.record('semantic.name_echoed', op, semantic.nameEchoed(key, sent.name));
    if (sent.read_only !== undefined)
      this.results.record(
        'semantic.read_only_echoed',
        op,
        semantic.readOnlyEchoed(key, sent.read_only),
      );
    if (sent.allowed_ips !== undefined)
      this.results.record(
        'semantic.allowed_ips_echoed',
        op,
        semantic.allowedIpsEchoed(key, sent.allowed_ips),
      );
    this.results.record('semantic.timestamps_ordered', op, semantic.timestampsOrdered(key));
    this.results.record('semantic.last_used_at_null', op, semantic.lastUsedAtNull(key));
    this.results.record(
      'semantic.api_version',
      op,
      semantic.apiVersionIsSpecVersion(key, this.o.engine.version),
    );
    this.noteCreated(key);
  }

  private async lifecycle(): Promise<{ id: string; token: string | undefined } | undefined> {
    const lifecycleCodes = CHECK_CODES.filter(
      (c) => c.startsWith('lifecycle.') || c.startsWith('semantic.'),
    );
    const sent = { name: this.name('lifecycle'), read_only: false };
    const created = await this.call({ operation: 'post-api-key', label: 'create' }, () =>
      this.client.create(sent),
    );
    const key = created?.body?.data;
    if (created && (created.status === 401 || created.status === 403)) {
      // The token reads but cannot write: nothing below can run, and it is not the provider's fault.
      throw new TargetError(
        `the provider refused to create a key with the configured token (${created.status}): ` +
          'LATITUDE_API_TOKEN must be a key that can write, not a read-only one.',
      );
    }
    if (!created || created.status >= 300 || !key?.id) {
      this.skipAll(
        lifecycleCodes,
        `not reached: create answered ${created?.status ?? 'nothing'} without a key`,
      );
      return undefined;
    }
    const id = key.id;
    this.checkCreated(key, sent);
    let token = typeof key.attributes?.token === 'string' ? key.attributes.token : undefined;

    if (token) {
      const own = await this.call(
        { operation: 'get-api-keys', label: 'list with the new token' },
        () => this.asClient(token).list(),
      );
      if (own)
        this.results.record(
          'lifecycle.new_token_authenticates',
          'post-api-key',
          responses.succeeded(own, 'a request with the token create returned'),
        );
    } else {
      this.skipAll(
        [
          'lifecycle.new_token_authenticates',
          'lifecycle.update_keeps_token',
          'lifecycle.rotated_token_refused',
        ],
        'not reached: create returned no token',
      );
    }

    const list = await this.call({ operation: 'get-api-keys', label: 'list' }, () =>
      this.client.list(),
    );
    const entries = this.listedKeys(list, 'lifecycle.created_key_listed');
    if (entries) {
      entries.forEach((k, i) =>
        this.results.record(
          'semantic.token_presence',
          'get-api-keys',
          semantic.tokenHidden(k, 'the list', `/data/${i}`),
        ),
      );
      const i = entries.findIndex((k) => k?.id === id);
      this.results.record(
        'lifecycle.created_key_listed',
        'get-api-keys',
        i >= 0
          ? pass()
          : fail(
              'the key just created is not in the list',
              id,
              entries.map((k) => k?.id),
            ),
      );
      if (i >= 0) {
        this.results.record(
          'lifecycle.listed_without_token',
          'get-api-keys',
          semantic.tokenHidden(entries[i], 'the listed key', `/data/${i}`),
        );
        this.results.record(
          'semantic.timestamps_ordered',
          'get-api-keys',
          semantic.timestampsOrdered(entries[i]),
        );
        if (token)
          this.results.record(
            'semantic.token_last_slice',
            'get-api-keys',
            semantic.lastSliceIsCurrent(entries[i], token),
          );
      }
    }

    const renamed = { name: this.name('lifecycle-renamed') };
    const updated = await this.call({ operation: 'update-api-key', label: 'update settings' }, () =>
      this.client.update(id, renamed),
    );
    const after = updated?.body?.data;
    if (updated && updated.status < 300 && after) {
      const op = 'update-api-key';
      this.results.record(
        'semantic.token_presence',
        op,
        semantic.tokenHidden(after, 'the settings update', '/data'),
      );
      this.results.record('semantic.name_echoed', op, semantic.nameEchoed(after, renamed.name));
      this.results.record('semantic.identity_stable', op, semantic.identityStable(key, after));
      this.results.record('semantic.timestamps_ordered', op, semantic.timestampsOrdered(after));
      this.results.record(
        'semantic.api_version',
        op,
        semantic.apiVersionIsSpecVersion(after, this.o.engine.version),
      );
      if (token) {
        this.results.record(
          'semantic.token_last_slice',
          op,
          semantic.lastSliceIsCurrent(after, token),
        );
        const still = await this.call(
          { operation: 'get-api-keys', label: 'list with the token after update' },
          () => this.asClient(token).list(),
        );
        if (still) {
          const v = responses.succeeded(still, "the key's token after a settings update");
          this.results.record(
            'lifecycle.update_keeps_token',
            op,
            v.ok ? semantic.lastSliceIsCurrent(after, token) : v,
          );
        }
      }
    }

    const rotated = await this.call({ operation: 'rotate-api-key', label: 'rotate' }, () =>
      this.client.rotate(id),
    );
    const fresh = rotated?.body?.data;
    if (rotated && rotated.status < 300 && fresh) {
      const op = 'rotate-api-key';
      const newToken =
        typeof fresh.attributes?.token === 'string' ? fresh.attributes.token : undefined;
      this.results.record('semantic.token_presence', op, semantic.tokenShown(fresh, 'rotate'));
      this.results.record(
        'semantic.token_last_slice',
        op,
        semantic.tokenLastSliceMatchesToken(fresh),
      );
      this.results.record('semantic.identity_stable', op, semantic.identityStable(key, fresh));
      this.results.record('semantic.timestamps_ordered', op, semantic.timestampsOrdered(fresh));
      if (newToken && token) {
        this.results.record(
          'lifecycle.rotate_new_token',
          op,
          newToken !== token
            ? pass()
            : fail(
                'rotate returned the token the key already had',
                'a new token',
                '[the old token]',
                '/data/attributes/token',
              ),
        );
      }
      if (token && newToken !== token) {
        const old = await this.call(
          { operation: 'get-api-keys', label: 'list with the rotated-away token' },
          () => this.asClient(token).list(),
        );
        if (old)
          this.results.record(
            'lifecycle.rotated_token_refused',
            op,
            responses.refusedWith(old, [401], 'a request with the rotated-away token'),
          );
      }
      if (newToken) {
        const works = await this.call(
          { operation: 'get-api-keys', label: 'list with the rotated token' },
          () => this.asClient(newToken).list(),
        );
        if (works)
          this.results.record(
            'lifecycle.new_token_authenticates',
            op,
            responses.succeeded(works, 'a request with the token rotate returned'),
          );
        token = newToken;
      }
    }
    return { id, token };
  }

  private async readOnlyKey(): Promise<void> {
    const codes: CheckCode[] = [
      'security.read_only_can_read',
      'security.read_only_cannot_create',
      'security.read_only_cannot_rotate',
      'security.read_only_cannot_update',
      'security.read_only_cannot_delete',
    ];
    const sent = { name: this.name('read-only'), read_only: true };
    const created = await this.call(
      { operation: 'post-api-key', label: 'create a read-only key' },
      () => this.client.create(sent),
    );
    const key = created?.body?.data;
    const token = key?.attributes?.token;
    if (!created || created.status >= 300 || !key?.id || typeof token !== 'string') {
      this.skipAll(codes, 'not reached: the read-only key could not be created with a token');
      return;
    }
    this.checkCreated(key, sent);
    const ro = this.asClient(token);
    const read = await this.call({ operation: 'get-api-keys', label: 'read-only key lists' }, () =>
      ro.list(),
    );
    if (read)
      this.results.record(
        'security.read_only_can_read',
        'get-api-keys',
        responses.succeeded(read, 'a GET with a read-only key'),
      );

    const refused = (res: ApiResponse<unknown>, what: string) =>
      res.status >= 400 && res.status < 500
        ? responses.refusedWith(res, [res.status], what)
        : fail(`${what} was answered ${res.status}`, '4xx (403)', res.status);
    const c = await this.call({ operation: 'post-api-key', label: 'read-only key creates' }, () =>
      ro.create({ name: this.name('made-by-read-only') }),
    );
    if (c)
      this.results.record(
        'security.read_only_cannot_create',
        'post-api-key',
        refused(c, 'a create with a read-only key'),
      );
    const u = await this.call({ operation: 'update-api-key', label: 'read-only key updates' }, () =>
      ro.update(key.id!, { name: this.name('read-only-renamed') }),
    );
    if (u)
      this.results.record(
        'security.read_only_cannot_update',
        'update-api-key',
        refused(u, 'an update with a read-only key'),
      );
    const r = await this.call({ operation: 'rotate-api-key', label: 'read-only key rotates' }, () =>
      ro.rotate(key.id!),
    );
    if (r)
      this.results.record(
        'security.read_only_cannot_rotate',
        'rotate-api-key',
        refused(r, 'a rotate with a read-only key'),
      );
    // After a rotate that got through, the key's token is the new one.
    const roNow =
      r && r.status < 300 && typeof r.body?.data?.attributes?.token === 'string'
        ? this.asClient(r.body.data.attributes.token)
        : ro;
    const d = await this.call({ operation: 'delete-api-key', label: 'read-only key deletes' }, () =>
      roNow.delete(key.id!),
    );
    if (d)
      this.results.record(
        'security.read_only_cannot_delete',
        'delete-api-key',
        refused(d, 'a delete with a read-only key'),
      );
    await this.deleteQuietly(key.id);
  }

  private async ipRestrictedKey(): Promise<void> {
    // Documentation ranges (RFC 5737, RFC 3849): no runner is ever in them.
    const sent = { name: this.name('ip-restricted'), allowed_ips: ['192.0.2.0/24', '2001:db8::1'] };
    const created = await this.call(
      { operation: 'post-api-key', label: 'create an IP-restricted key' },
      () => this.client.create(sent),
    );
    const key = created?.body?.data;
    const token = key?.attributes?.token;
    if (!created || created.status >= 300 || !key?.id) {
      this.skipAll(
        ['security.ip_allowlist'],
        'not reached: the IP-restricted key could not be created',
      );
      return;
    }
    this.checkCreated(key, sent);
    if (typeof token === 'string') {
      const res = await this.call(
        { operation: 'get-api-keys', label: 'list from outside allowed_ips' },
        () => this.asClient(token).list(),
      );
      if (res)
        this.results.record(
          'security.ip_allowlist',
          'get-api-keys',
          responses.refusedWith(res, [401, 403], 'a request from outside allowed_ips'),
        );
    } else {
      this.results.skip('security.ip_allowlist', 'not reached: create returned no token');
    }
    await this.deleteQuietly(key.id);
  }

  private async tokenNotWritable(): Promise<void> {
    // Visibly fake, and never a shape the provider issues.
    const chosen = `fake-client-chosen-token-${this.o.runId}`.slice(0, 36);
    const res = await this.call(
      { operation: 'post-api-key', label: 'create with a client-chosen token' },
      () =>
        this.client.send({
          operationId: 'post-api-key',
          method: 'POST',
          path: '/auth/api_keys',
          body: {
            data: {
              type: 'api_keys',
              attributes: { name: this.name('chosen-token'), token: chosen },
            },
          },
        }),
    );
    if (!res) return;
    const key = (res.body as { data?: ApiKey } | undefined)?.data;
    if (res.status >= 400 && res.status < 500) {
      this.results.record(
        'security.token_not_writable',
        'post-api-key',
        responses.refusedWith(res, [res.status], 'a create that sets data.attributes.token'),
      );
      return;
    }
    if (res.status >= 500) {
      this.results.record(
        'security.token_not_writable',
        'post-api-key',
        fail(
          `a create that sets data.attributes.token made the provider fail (${res.status})`,
          '400',
          res.status,
        ),
      );
      return;
    }
    if (key?.attributes?.token === chosen) {
      this.results.record(
        'security.token_not_writable',
        'post-api-key',
        fail(
          'the provider adopted the token the client chose',
          "a 400, or a token of the provider's choosing",
          '[the client-chosen token]',
          '/data/attributes/token',
        ),
      );
    } else {
      const probe = await this.call(
        { operation: 'get-api-keys', label: 'list with the client-chosen token' },
        () => this.asClient(chosen).list(),
      );
      this.results.record(
        'security.token_not_writable',
        'post-api-key',
        probe && probe.status < 300
          ? fail(
              'the token the client chose authenticates',
              '401 for the client-chosen token',
              probe.status,
            )
          : pass('accepted, but the client-chosen token was ignored'),
      );
    }
    if (key?.id) await this.deleteQuietly(key.id);
  }

  private async negativeInput(): Promise<void> {
    const post = (label: string, body: unknown, contentType?: string) =>
      this.call({ operation: 'post-api-key', label }, () =>
        this.client.send({
          operationId: 'post-api-key',
          method: 'POST',
          path: '/auth/api_keys',
          body,
          contentType,
        }),
      );
    const bad: Array<[CheckCode, string, unknown, string?]> = [
      [
        'input.missing_name',
        'create without a name',
        { data: { type: 'api_keys', attributes: {} } },
      ],
      [
        'input.wrong_type',
        'create with data.type "api_key"',
        { data: { type: 'api_key', attributes: { name: this.name('wrong-type') } } },
      ],
      [
        'input.invalid_allowed_ips',
        'create with invalid allowed_ips',
        {
          data: {
            type: 'api_keys',
            attributes: { name: this.name('bad-ips'), allowed_ips: ['not-an-ip', '300.1.2.3/40'] },
          },
        },
      ],
      [
        'input.non_json_body',
        'create with a body that is not JSON',
        `{"data": {"type": "api_keys", "attributes": {"name": "${this.name('not-json')}"`,
      ],
      [
        'input.unsupported_content_type',
        'create with Content-Type text/plain',
        JSON.stringify({
          data: { type: 'api_keys', attributes: { name: this.name('text-plain') } },
        }),
        'text/plain',
      ],
      [
        'input.long_name',
        'create with a 10,000-character name',
        {
          data: {
            type: 'api_keys',
            attributes: {
              name: this.name('long-') + 'x'.repeat(10_000 - this.name('long-').length),
            },
          },
        },
      ],
    ];
    const refusedNames = new Map<string, CheckCode>();
    for (const [code, label, body, contentType] of bad) {
      if (!this.results.isSelected(code)) continue;
      const res = await post(label, body, contentType);
      if (!res) continue;
      this.results.record(code, 'post-api-key', responses.refusedAsClientError(res, label));
      await this.deleteIfCreated(res);
      const name = nameSentIn(body);
      if (name && res.status >= 400) refusedNames.set(name, code);
    }
    await this.noKeysNamed(refusedNames);
    if (this.results.isSelected('input.non_ascii_name')) {
      const name = this.name('ünïcødé-東京-🔑');
      const res = await this.call(
        { operation: 'post-api-key', label: 'create with a non-ASCII name' },
        () => this.client.create({ name }),
      );
      if (res) {
        const key = res.body?.data;
        const v = responses.succeeded(res, 'a create with a non-ASCII name');
        this.results.record(
          'input.non_ascii_name',
          'post-api-key',
          v.ok ? semantic.nameEchoed(key, name) : v,
        );
        if (v.ok) this.noteCreated(key);
        await this.deleteIfCreated(res);
      }
    }
  }

  private async fuzz(): Promise<void> {
    if (this.o.fuzzRuns === 0) {
      this.results.notRun(
        'input.fuzz',
        'not run: --fuzz-runs 0 (the default on a real account, where every body is a write)',
      );
      return;
    }
    const bodies = sampleInvalidBodies(this.name('fuzz'), this.o.fuzzRuns, this.o.fuzzSeed);
    let done = 0;
    for (const body of bodies) {
      const res = await this.call({ operation: 'post-api-key', label: 'fuzz' }, () =>
        this.client.send({
          operationId: 'post-api-key',
          method: 'POST',
          path: '/auth/api_keys',
          body,
        }),
      );
      done++;
      if (done % 50 === 0) this.o.progress(`    fuzz ${done}/${bodies.length}`);
      if (!res) continue;
      const v = responses.refusedAsClientError(res, 'a generated invalid body');
      this.results.record(
        'input.fuzz',
        'post-api-key',
        v.ok
          ? v
          : {
              ...v,
              message: `${v.message} (seed ${this.o.fuzzSeed}): ${JSON.stringify(body)}`,
            },
      );
      await this.deleteIfCreated(res);
    }
  }

  private async deletion(
    key: { id: string; token: string | undefined } | undefined,
  ): Promise<void> {
    const codes: CheckCode[] = [
      'lifecycle.delete_response',
      'lifecycle.deleted_token_refused',
      'lifecycle.deleted_key_unlisted',
    ];
    if (!key) {
      this.skipAll(codes, 'not reached: the lifecycle key was never created');
    } else {
      const res = await this.call({ operation: 'delete-api-key', label: 'delete' }, () =>
        this.client.delete(key.id),
      );
      if (res) {
        this.results.record(
          'lifecycle.delete_response',
          'delete-api-key',
          responses.deleteBody(res),
        );
        if (key.token) {
          const after = await this.call(
            { operation: 'get-api-keys', label: "list with the deleted key's token" },
            () => this.asClient(key.token).list(),
          );
          if (after)
            this.results.record(
              'lifecycle.deleted_token_refused',
              'delete-api-key',
              responses.refusedWith(after, [401], "a request with a deleted key's token"),
            );
        } else {
          this.results.skip('lifecycle.deleted_token_refused', 'not reached: the key had no token');
        }
        const list = await this.call(
          { operation: 'get-api-keys', label: 'list after delete' },
          () => this.client.list(),
        );
        const listed = this.listedKeys(list, 'lifecycle.deleted_key_unlisted');
        if (listed) {
          const still = listed.some((k) => k?.id === key.id);
          this.results.record(
            'lifecycle.deleted_key_unlisted',
            'delete-api-key',
            still ? fail('the deleted key is still listed', 'absent', key.id) : pass(),
          );
        }
      }
    }
    const missing = await this.call(
      { operation: 'delete-api-key', label: 'delete an unknown id' },
      () => this.client.delete(`tok_lcUnknown${this.o.runId.replace(/[^a-zA-Z0-9]/g, '')}`),
    );
    if (missing)
      this.results.record(
        'lifecycle.unknown_id_404',
        'delete-api-key',
        responses.refusedWith(missing, [404], 'a delete of an unknown id'),
      );
  }

  /**
   * "Refused" must mean nothing was created: a provider that answers 4xx yet stores the key
   * fails the check that sent it, and the key is deleted.
   */
  private async noKeysNamed(refused: Map<string, CheckCode>): Promise<void> {
    if (refused.size === 0) return;
    const list = await this.call(
      { operation: 'get-api-keys', label: 'list after refused creates' },
      () => this.client.list(),
    );
    const keys = list && list.status < 300 && Array.isArray(list.body?.data) ? list.body.data : [];
    for (const k of keys) {
      const code =
        typeof k?.attributes?.name === 'string' ? refused.get(k.attributes.name) : undefined;
      if (!code || !k.id) continue;
      this.results.record(
        code,
        'post-api-key',
        fail('the create was refused, yet the key exists', 'no key', k.id),
      );
      await this.deleteQuietly(k.id);
    }
  }

  private async deleteIfCreated(res: ApiResponse<unknown>): Promise<void> {
    const id = (res.body as { data?: ApiKey } | undefined)?.data?.id;
    if (res.status >= 200 && res.status < 300 && typeof id === 'string')
      await this.deleteQuietly(id);
  }

  private async deleteQuietly(id: string): Promise<void> {
    await this.call({ operation: 'delete-api-key', label: 'clean up' }, () =>
      this.client.delete(id),
    );
  }

  /**
   * Deletes every key this run created and has not deleted, then looks at the list to see what
   * is really gone. Runs after a failure and after an interruption too.
   */
  private async cleanup(interrupted: boolean): Promise<void> {
    this.pacer.interruptible = false;
    this.pacer.budgetless = interrupted;
    // Keys that escaped the ledger (a create whose answer timed out or was cut off) still carry
    // this run's name: the list finds them, and they are counted and deleted like the rest.
    for (const k of (await this.listQuietly()) ?? []) {
      const name = k?.attributes?.name;
      if (k?.id && typeof name === 'string' && name.startsWith(this.name(''))) {
        this.ledger.recordCreated(k.id, name);
      }
    }
    const outstanding = this.ledger.outstanding();
    if (outstanding.length > 0) {
      this.o.progress(
        `[cleanup] deleting ${outstanding.length} key(s)${interrupted ? ' after the interruption' : ''}`,
      );
    }
    for (const e of outstanding) {
      try {
        const res = await this.client.delete(e.id);
        if (res.status === 200 || res.status === 204 || res.status === 404)
          this.ledger.recordDeleted(e.id);
      } catch {
        // Unreachable now: the entry stays in the ledger and the next run deletes it.
      }
    }
    const mine = this.ledger.createdThisRun();
    const leftBehind = new Set(this.ledger.outstanding().map((e) => e.id));
    if (mine.length > 0) {
      // What is really gone: a provider may answer a delete without deleting.
      const listed = await this.listQuietly();
      const ids = new Set((listed ?? []).map((k) => k?.id));
      for (const e of mine) if (ids.has(e.id)) leftBehind.add(e.id);
    }
    this.cleanupSummary = {
      created: mine.length,
      deleted: mine.filter((e) => e.deletedAt && !leftBehind.has(e.id)).length,
      leftBehind: [...leftBehind],
      swept: this.swept,
    };
  }

  /** The account's keys, or undefined when the list cannot be had (cleanup goes on regardless). */
  private async listQuietly(): Promise<ApiKey[] | undefined> {
    try {
      const list = await this.client.list();
      return list.status < 300 && Array.isArray(list.body?.data) ? list.body.data : undefined;
    } catch {
      return undefined;
    }
  }
}

export async function runConformance(options: RunOptions): Promise<RunReport> {
  return new ConformanceRun(options).run();
}
