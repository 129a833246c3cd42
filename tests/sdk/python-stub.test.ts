import path from 'node:path';
import { CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { SecretScrubber } from '../../src/redact';
import { loadContract } from '../../src/sdk/contract';
import { PACKAGE_ROOT } from '../../src/conformance/defaults';
import { KEY_ID_PATTERN } from '../../src/sdk/types';
import { runTarget, TargetRun } from '../../src/sdk/verify';
import { describeWithSdk } from './sdk-env';

/**
 * The Python SDK against the committed contract, served by the real pact stub server: every
 * lifecycle request must be one the contract describes and the SDK must parse every response the
 * contract promises. Where the SDK's headers differ from the contract, the difference is reported
 * and judged by the contract's own matchers.
 */
const contractsDir = path.join(PACKAGE_ROOT, CONTRACTS_DIR);

describeWithSdk('python', 'Python SDK 3.4.6 against the pact stub of contracts/', (driver) => {
  let run: TargetRun;

  beforeAll(async () => {
    run = await runTarget(driver(), 'stub', {
      contractsDir,
      env: process.env,
      scrubber: new SecretScrubber(),
    });
  }, 120_000);

  it('sends only lifecycle requests the contract describes', () => {
    expect(run.skipped).toBeUndefined();
    const lifecycle = run.exchanges.filter((e) =>
      ['list', 'create', 'update_settings', 'rotate', 'list_after', 'delete'].includes(
        e.step ?? '',
      ),
    );
    expect(lifecycle).toHaveLength(6);
    for (const e of lifecycle)
      expect({ step: e.step, unmatched: e.unmatched }).toEqual({
        step: e.step,
        unmatched: undefined,
      });
  });

  it("parses every response of the contract, including the created key's id and token", () => {
    for (const name of ['list', 'create', 'update_settings', 'rotate', 'list_after', 'delete']) {
      expect({ name, ok: run.steps.find((s) => s.step === name)?.ok }).toEqual({ name, ok: true });
    }
    const created = run.steps.find((s) => s.step === 'create')?.parsed?.key;
    expect(created?.id).toMatch(KEY_ID_PATTERN);
    expect(created?.token_present).toBe(true);
    expect(created?.last_slice_matches_token).toBe(true);
  });

  it('reports the Content-Type and Authorization differences against what the contract expects', () => {
    // What the committed contract expects of a create; the SDK sends neither.
    const create = loadContract(contractsDir).find(
      (i) => i.description === 'a request to create an API key',
    );
    expect(create?.headers['content-type']).toBe('application/vnd.api+json');
    expect(create?.headers.authorization).toMatch(/^Bearer \S+$/);

    const contentType = run.differences.find(
      (d) => d.code === 'request.header.content-type' && d.method === 'POST',
    );
    expect(contentType).toMatchObject({
      expected: 'application/vnd.api+json',
      received: 'application/json',
      contractAccepts: false,
      // application/json is a request type the spec documents: reported, not failed.
      specDocuments: true,
    });
    expect(run.checks.find((c) => c.code === 'contract.request.header.content-type')).toBe(
      undefined,
    );
    expect(
      run.differences.find((d) => d.code === 'request.header.authorization.form'),
    ).toMatchObject({
      expected: 'Bearer <token>',
      received: '<token> (raw, no scheme)',
      // The contract's matcher ^(Bearer )?\S+$ takes a raw token too.
      contractAccepts: true,
    });
  });
});
