import { SecretScrubber } from '../../src/redact';
import { runTarget, TargetRun } from '../../src/sdk/verify';
import { CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { PACKAGE_ROOT } from '../../src/conformance/defaults';
import path from 'node:path';
import { describeWithSdk } from './sdk-env';

/**
 * The Python SDK through its whole lifecycle against the reference provider, as a user of the SDK
 * would see it: results with the values they need, the SDK's error type on 401, 404 and 422, and
 * what actually went over the wire.
 */
describeWithSdk('python', 'Python SDK 3.4.6 against the reference provider', (driver) => {
  let run: TargetRun;
  const scrubber = new SecretScrubber();

  beforeAll(async () => {
    run = await runTarget(driver(), 'provider', {
      contractsDir: path.join(PACKAGE_ROOT, CONTRACTS_DIR),
      env: process.env,
      scrubber,
    });
  }, 120_000);

  const step = (name: string) => run.steps.find((s) => s.step === name);

  it('creates a key and parses an id of the documented form, with its token', () => {
    const created = step('create');
    expect(created?.ok).toBe(true);
    expect(created?.status).toBe(201);
    expect(created?.parsed?.key?.id).toMatch(/^[a-zA-Z]+_[a-zA-Z0-9]+$/);
    expect(created?.parsed?.key?.token_present).toBe(true);
    expect(created?.parsed?.key?.last_slice_matches_token).toBe(true);
  });

  it('updates settings without a token, rotates to a new token and deletes the key', () => {
    expect(step('update_settings')?.parsed?.key?.name).toMatch(
      /^lc-conformance-\d{8}t\d{4}-[0-9a-f]{6}-sdk-python-renamed$/,
    );
    expect(step('update_settings')?.parsed?.key?.token_present).toBe(false);
    const created = step('create')?.parsed?.key;
    const rotated = step('rotate')?.parsed?.key;
    expect(rotated?.id).toBe(created?.id);
    expect(rotated?.token_present).toBe(true);
    expect(rotated?.token_last_slice).not.toBe(created?.token_last_slice);
    expect(step('list_after')?.parsed?.contains_key).toBe(true);
    expect(step('delete')).toMatchObject({ ok: true, status: 200 });
  });

  it.each([
    ['unauthorized_no_token', 401, 'INVALID_TOKEN'],
    ['unauthorized_wrong_token', 401, 'INVALID_TOKEN'],
    ['not_found', 404, 'not_found'],
    ['create_without_name', 422, 'VALIDATION_ERROR'],
  ])('%s raises the SDK error type APIError with status %i', (name, status, code) => {
    const s = step(name);
    expect(s?.ok).toBe(false);
    expect(s?.error).toMatchObject({
      class: 'APIError',
      status,
      error_code: code,
      is_sdk_error: true,
    });
  });

  it('names the key it creates like the conformance run does, so a sweep finds leftovers', () => {
    expect(step('create')?.parsed?.key?.name).toMatch(
      /^lc-conformance-\d{8}t\d{4}-[0-9a-f]{6}-sdk-python$/,
    );
    expect(run.checks.find((c) => c.code === 'sdk.create.name')?.passed).toBe(true);
    expect(run.cleanup).toMatchObject({ deletedByVerification: [], leftBehind: [] });
  });

  it('passes every provider check', () => {
    expect(run.checks.filter((c) => !c.passed)).toEqual([]);
    expect(run.checks.length).toBeGreaterThanOrEqual(15);
  });

  it('sends the raw token (no Bearer), application/json bodies and a speakeasy User-Agent', () => {
    const authenticated = run.exchanges.filter((e) => !e.step?.startsWith('unauthorized_'));
    expect(authenticated.length).toBeGreaterThan(5);
    for (const e of authenticated) expect(e.authorizationForm).toBe('raw');
    expect(run.exchanges.find((e) => e.step === 'unauthorized_no_token')?.authorizationForm).toBe(
      'absent',
    );
    for (const e of run.exchanges.filter((x) => ['POST', 'PATCH', 'PUT'].includes(x.method))) {
      expect(e.contentType).toBe('application/json');
      expect(e.accept).toBe('application/vnd.api+json');
    }
    expect(run.exchanges.find((e) => e.method === 'DELETE')?.accept).toBe('*/*');
    for (const e of run.exchanges) expect(e.userAgent).toMatch(/^speakeasy-sdk\/python 3\.4\.6 /);
  });

  it('fills in the schema default when the name is left out, and sends none for name=None', () => {
    const leftOut = run.exchanges.find((e) => e.step === 'create_name_left_out');
    expect(leftOut?.body).toEqual({
      data: { type: 'api_keys', attributes: { name: 'Name of the API Key' } },
    });
    expect(run.exchanges.find((e) => e.step === 'create_without_name')?.body).toEqual({
      data: { type: 'api_keys', attributes: {} },
    });
  });

  it('never records or prints a token', () => {
    const text = JSON.stringify(run);
    expect(text).not.toMatch(/(?<![0-9a-f])[0-9a-f]{36}(?![0-9a-f])/);
    expect(text).not.toMatch(/"token":\s*"[^"[]/);
  });
});
