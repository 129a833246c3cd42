import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONTRACT_FILE } from '../../src/contracts/fixtures';
import { CANARY_TOKEN, REPO_ROOT, runCli } from './helpers';

/** `pact publish` refuses contracts directories it cannot use with exit 2 and one message. */
describe('pact publish: a contracts directory it cannot read', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'publish-input-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('refuses a folder whose name ends in .json as an input error, not an internal one', async () => {
    copyFileSync(path.join(REPO_ROOT, 'contracts', CONTRACT_FILE), path.join(work, CONTRACT_FILE));
    mkdirSync(path.join(work, 'old.json'));

    const { code, err } = await runCli(['pact', 'publish', '--dir', work], {
      // Never reached: the contracts are read before the broker is asked anything.
      PACT_BROKER_BASE_URL: 'http://127.0.0.1:2',
      PACT_BROKER_TOKEN: CANARY_TOKEN,
      GIT_COMMIT: 'abc',
    });

    expect(code).toBe(2);
    expect(err).toMatch(/old\.json is a directory, not a pact file/);
    expect(err).not.toMatch(/internal error/);
  });
});
