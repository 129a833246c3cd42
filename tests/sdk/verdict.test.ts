import { typescriptSdkStatus } from '../../src/sdk/ts-sdk';
import { judgeVerification, PreparedSdk, TargetRun } from '../../src/sdk/verify';

/** When `latitude-conformance sdk` says "passed": only when something was verified and held. */
describe('sdk verification verdict', () => {
  const python: PreparedSdk = { sdk: 'python', version: '3.4.6', status: 'ready', explicit: false };
  const goUnavailable: PreparedSdk = {
    sdk: 'go',
    version: 'v1.19.3',
    status: 'unavailable',
    kind: 'sdk-unavailable',
    reason: 'the module proxy answered 403',
    explicit: false,
  };
  const passing = (target: string): TargetRun => ({
    target,
    sdk: 'python',
    version: '3.4.6',
    steps: [],
    exchanges: [],
    differences: [],
    observations: [],
    checks: [
      {
        code: 'sdk.create',
        title: 'create',
        step: 'create',
        passed: true,
        expected: 1,
        received: 1,
      },
    ],
  });
  const skipped = (target: string, why: string): TargetRun => ({
    ...passing(target),
    checks: [],
    skipped: why,
  });
  const noTs = typescriptSdkStatus(undefined);

  it('passes when an SDK ran and every check held, with an SDK at its default version missing', () => {
    expect(judgeVerification([python, goUnavailable], [passing('provider')], false, noTs)).toEqual({
      passed: true,
    });
  });

  it('fails, saying why, when no SDK could be installed', () => {
    expect(judgeVerification([goUnavailable], [], true, noTs)).toEqual({
      passed: false,
      nothingVerified: 'no SDK could be installed: go v1.19.3: the module proxy answered 403',
    });
  });

  it('fails when every run was skipped, even for targets not named with --against', () => {
    const verdict = judgeVerification(
      [python],
      [skipped('stub', 'no pact files in /x: nothing to serve')],
      false,
      noTs,
    );
    expect(verdict).toEqual({
      passed: false,
      nothingVerified: 'every run was skipped: no pact files in /x: nothing to serve',
    });
  });

  it('fails when a target named with --against was skipped, though another ran', () => {
    const runs = [passing('provider'), skipped('stub', 'no pact files')];
    expect(judgeVerification([python], runs, true, noTs)).toEqual({ passed: false });
    // The same skip of a default target is a note.
    expect(judgeVerification([python], runs, false, noTs)).toEqual({ passed: true });
  });

  it('fails when an SDK named on the command line is unavailable', () => {
    const runs = [passing('provider')];
    expect(
      judgeVerification([python, { ...goUnavailable, explicit: true }], runs, false, noTs),
    ).toEqual({ passed: false });
  });

  it('fails when --ts-sdk asked for the TypeScript SDK, which has no driver', () => {
    const ts = typescriptSdkStatus('/builds/latitudesh-typescript-sdk-0.3.10.tgz');
    expect(ts).toMatchObject({
      status: 'not-run',
      reason: expect.stringMatching(/^no TypeScript driver/),
    });
    expect(judgeVerification([python], [passing('provider')], false, ts)).toEqual({
      passed: false,
    });
  });
});
