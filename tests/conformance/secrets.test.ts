import * as fs from 'node:fs';
import * as path from 'node:path';
import { startProvider, RunningProvider } from '../../src/provider';
import { runCli } from './helpers';

/**
 * A failing run against a provider whose root token is a canary, with faults that put tokens
 * into the very responses the report quotes (the list shows tokens, update shows one). Neither
 * the canary nor any token the provider issued may appear in any file the run wrote, nor in
 * what it printed.
 */
describe('no secret reaches a report, a log or the console', () => {
  const canary = 'c4a7a2f00d5eca7a2f00d5eca7a2f00d5eca';
  let provider: RunningProvider;
  beforeAll(async () => {
    provider = await startProvider({
      port: 0,
      rootToken: canary,
      rateLimit: { enabled: false },
      faults: ['token-in-list', 'token-on-update', 'wrong-last-slice', 'error-not-jsonapi'],
    });
  });
  afterAll(() => provider.close());

  it('redacts the configured token and every issued token, even in failures', async () => {
    const { code, out, err, dir } = await runCli(
      ['--fuzz-runs', '5', '--writes-per-minute', '0', '--reads-per-minute', '0'],
      {
        LATITUDE_API_BASE_URL: provider.url,
        LATITUDE_API_TOKEN: canary,
      },
    );
    expect(code).toBe(1);
    const written = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const everything = [...written, out.join('\n'), err.join('\n')].join('\n');
    expect(everything).not.toContain(canary);
    // The provider's tokens are 36 lower-case hex characters; none may appear in full.
    expect(everything).not.toMatch(/(?<![0-9a-f])[0-9a-f]{36}(?![0-9a-f])/);
    // The failures that would quote a token were found all the same.
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'conformance.json'), 'utf8'));
    const failed = report.checks
      .filter((c: { status: string }) => c.status === 'failed')
      .map((c: { code: string }) => c.code);
    expect(failed).toEqual(
      expect.arrayContaining([
        'lifecycle.listed_without_token',
        'semantic.token_presence',
        'semantic.token_last_slice',
      ]),
    );
  });
});
