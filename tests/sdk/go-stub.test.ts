import path from 'node:path';
import { CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { SecretScrubber } from '../../src/redact';
import { PACKAGE_ROOT } from '../../src/conformance/defaults';
import { runTarget, TargetRun } from '../../src/sdk/verify';
import { describeWithSdk } from './sdk-env';

/** The Go SDK against the committed contract, served by the real pact stub server. */
describeWithSdk('go', 'Go SDK v1.19.3 against the pact stub of contracts/', (driver) => {
  let run: TargetRun;

  beforeAll(async () => {
    run = await runTarget(driver(), 'stub', {
      contractsDir: path.join(PACKAGE_ROOT, CONTRACTS_DIR),
      env: process.env,
      scrubber: new SecretScrubber(),
    });
  }, 120_000);

  const lifecycle = ['list', 'create', 'update_settings', 'rotate', 'list_after', 'delete'];

  it('sends only lifecycle requests the contract describes, and parses every response', () => {
    const sent = run.exchanges.filter((e) => lifecycle.includes(e.step ?? ''));
    expect(sent.map((e) => [e.step, e.unmatched ?? false])).toEqual(
      lifecycle.map((s) => [s, false]),
    );
    for (const name of lifecycle) {
      expect({ name, ok: run.steps.find((s) => s.step === name)?.ok }).toEqual({ name, ok: true });
    }
  });

  it("parses the created key's id and token from the contract's example", () => {
    const created = run.steps.find((s) => s.step === 'create')?.parsed?.key;
    expect(created?.id).toMatch(/^[a-zA-Z]+_[a-zA-Z0-9]+$/);
    expect(created?.token_present).toBe(true);
    expect(created?.last_slice_matches_token).toBe(true);
  });

  it('sends the raw token and application/json request bodies', () => {
    for (const e of run.exchanges.filter((x) => lifecycle.includes(x.step ?? ''))) {
      expect(e.authorizationForm).toBe('raw');
      if (['POST', 'PATCH', 'PUT'].includes(e.method))
        expect(e.contentType).toBe('application/json');
    }
  });
});
