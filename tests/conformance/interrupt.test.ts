import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startProvider, RunningProvider } from '../../src/provider';
import { tempDir } from './helpers';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'latitude-conformance.js');
const ours = (p: RunningProvider) => p.keys().filter((k) => k.name.startsWith('lc-conformance-'));

/** Starts a run in a child process and resolves once the run has created a key. */
function startRun(provider: RunningProvider, reportDir: string, extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--report-dir', reportDir, '--timeout-ms', '8000', ...extra],
    {
      env: {
        ...process.env,
        LATITUDE_API_BASE_URL: provider.url,
        LATITUDE_API_TOKEN: provider.rootToken,
        PACT_DO_NOT_TRACK: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const keyCreated = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (ours(provider).length > 0) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
    exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the run ended before it created a key:\n${output}`));
    });
  });
  return { child, exited, keyCreated, output: () => output };
}

describe('an interrupted run cleans up', () => {
  let provider: RunningProvider;
  beforeEach(async () => {
    // The list is held for a while, so the run is surely mid-lifecycle when the signal lands.
    provider = await startProvider({
      port: 0,
      rateLimit: { enabled: false },
      faults: [],
      slowMs: 700,
    });
  });
  afterEach(() => provider.close());

  it('deletes its keys on SIGTERM in the middle of the lifecycle and reports it', async () => {
    const dir = tempDir('sigterm');
    const run = startRun(provider, dir);
    await run.keyCreated;
    provider.setFaults(['slow-list']);
    run.child.kill('SIGTERM');
    const code = await run.exited;
    provider.setFaults([]);
    expect(run.output()).toMatch(/received SIGTERM/);
    expect(code).toBe(2);
    expect(ours(provider)).toEqual([]);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'conformance.json'), 'utf8'));
    expect(report.interrupted).toMatch(/SIGTERM/);
    expect(report.cleanup.created).toBeGreaterThan(0);
    expect(report.cleanup.deleted).toBe(report.cleanup.created);
    expect(report.cleanup.leftBehind).toEqual([]);
  }, 30_000);

  it("leaves a killed run's keys to the next run, which deletes them first", async () => {
    const dir = tempDir('sigkill');
    const first = startRun(provider, dir);
    await first.keyCreated;
    // SIGKILL leaves no chance to clean up: only what reached the ledger can be found again.
    const ledger = path.join(dir, 'ledger.json');
    let ended = false;
    void first.exited.then(() => (ended = true));
    while (!fs.existsSync(ledger) || !fs.readFileSync(ledger, 'utf8').includes('"id"')) {
      if (ended) throw new Error(`the run ended before its ledger held a key:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const left = ours(provider).map((k) => k.id);
    expect(left.length).toBeGreaterThan(0);

    // Age 0: a key whose create answer never reached the ledger (killed in between) is swept by
    // its name prefix; the rest are deleted from the ledger.
    const second = startRun(provider, dir, ['--sweep-age-minutes', '0']);
    second.keyCreated.catch(() => undefined);
    const code = await second.exited;
    expect(code).toBe(0);
    expect(ours(provider)).toEqual([]);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'conformance.json'), 'utf8'));
    expect(report.cleanup.swept).toBeGreaterThanOrEqual(left.length);
  }, 30_000);
});
