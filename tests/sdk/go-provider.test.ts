import path from 'node:path';
import { CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { SecretScrubber } from '../../src/redact';
import { PACKAGE_ROOT } from '../../src/conformance/defaults';
import { judgeRun } from '../../src/sdk/matrix';
import { KEY_ID_PATTERN } from '../../src/sdk/types';
import { runTarget, TargetRun } from '../../src/sdk/verify';
import { startProvider } from '../../src/provider';
import { runDriver } from '../../src/sdk/driver';
import { pairSteps } from '../../src/sdk/pairing';
import { startRecordingProxy } from '../../src/sdk/recorder';
import { describeWithSdk } from './sdk-env';

/**
 * The Go SDK through its whole lifecycle against the reference provider: results, its error types
 * (*components.APIError, or *components.ErrorObject where the operation documents one), what it
 * sends, and the timestamp strictness the facts credit it with.
 */
describeWithSdk('go', 'Go SDK v1.19.3 against the reference provider', (driver) => {
  let run: TargetRun;

  beforeAll(async () => {
    run = await runTarget(driver(), 'provider', {
      contractsDir: path.join(PACKAGE_ROOT, CONTRACTS_DIR),
      env: process.env,
      scrubber: new SecretScrubber(),
    });
  }, 120_000);

  const step = (name: string) => run.steps.find((s) => s.step === name);

  it('creates a key and parses an id of the documented form, with its token', () => {
    const created = step('create');
    expect(created).toMatchObject({ ok: true, status: 201 });
    expect(created?.parsed?.key?.id).toMatch(KEY_ID_PATTERN);
    expect(created?.parsed?.key?.token_present).toBe(true);
    expect(created?.parsed?.key?.last_slice_matches_token).toBe(true);
  });

  it.each([
    ['unauthorized_no_token', 401],
    ['unauthorized_wrong_token', 401],
    ['not_found', 404],
    ['create_without_name', 422],
  ])('%s raises a components error with status %i', (name, status) => {
    const s = step(name);
    expect(s?.ok).toBe(false);
    expect(s?.status).toBe(status);
    expect(s?.error?.class).toMatch(/^\*components\.(APIError|ErrorObject)$/);
  });

  it('passes every provider check', () => {
    expect(run.checks.filter((c) => !c.passed)).toEqual([]);
  });

  it('sends the raw token (no Bearer) and application/json bodies', () => {
    // Guarded: with nothing recorded the loops below would pass without checking anything.
    const authenticated = run.exchanges.filter((e) => !e.step?.startsWith('unauthorized_'));
    expect(authenticated.length).toBeGreaterThan(5);
    for (const e of authenticated) expect(e.authorizationForm).toBe('raw');
    // create, update settings (PATCH) and rotate (PUT) at least.
    const withBody = run.exchanges.filter((x) => ['POST', 'PATCH', 'PUT'].includes(x.method));
    expect(withBody.length).toBeGreaterThanOrEqual(3);
    for (const e of withBody) expect(e.contentType).toBe('application/json');
    for (const e of run.exchanges) expect(e.userAgent).toMatch(/^speakeasy-sdk\/go /);
  });

  it('rejects timestamps without a zone (not RFC 3339)', async () => {
    const provider = await startProvider({
      port: 0,
      rateLimit: { enabled: false },
      faults: ['naive-timestamp'],
    });
    const proxy = await startRecordingProxy(provider.url);
    try {
      const r = await runDriver(driver(), {
        baseUrl: proxy.url,
        token: provider.rootToken,
        plans: ['lifecycle'],
        env: process.env,
      });
      const cell = judgeRun(r, pairSteps(r, proxy.exchanges), 'naive-timestamp');
      expect(cell.outcome).toBe('rejects');
      expect(cell.rejections.join(' ')).toMatch(/create/);
    } finally {
      await proxy.close();
      await provider.close();
    }
  }, 60_000);
});
