import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src/cli';
import { DEFAULT_SPEC, PACKAGE_ROOT } from '../src/conformance/defaults';
import type { RunReport } from '../src/conformance/runner';
import type { Io } from '../src/io';
import { bufferIo } from '../src/io';
import { FAULTS, FAULT_NAMES, FaultName, startProvider } from '../src/provider';

/**
 * The conformance run against its peer: wall time of a full embedded run (target under 5 s),
 * what a live run costs in requests, and Schemathesis (from PyPI, in its own virtual
 * environment) against the same embedded provider and spec: both wall times, their ratio, and
 * how many faults of the provider's catalogue each one catches.
 */
const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = path.join(PACKAGE_ROOT, '.cache', 'bench', `schemathesis-${SCHEMATHESIS_VERSION}`);

async function runOurs(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; report: RunReport; ms: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-bench-'));
  const t0 = performance.now();
  const code = await main(['run', '--report-dir', dir, ...args], bufferIo(env));
  const ms = performance.now() - t0;
  const report = JSON.parse(
    fs.readFileSync(path.join(dir, 'conformance.json'), 'utf8'),
  ) as RunReport;
  fs.rmSync(dir, { recursive: true, force: true });
  return { code, report, ms };
}

function schemathesisBin(io: Io): string | undefined {
  const bin = path.join(VENV, 'bin', 'schemathesis');
  if (fs.existsSync(bin)) return bin;
  io.stdout(
    `  installing schemathesis ${SCHEMATHESIS_VERSION} into ${path.relative(PACKAGE_ROOT, VENV)} …`,
  );
  const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  const pip =
    venv.status === 0
      ? spawnSync(
          path.join(VENV, 'bin', 'pip'),
          ['install', '-q', `schemathesis==${SCHEMATHESIS_VERSION}`],
          { encoding: 'utf8' },
        )
      : venv;
  if (pip.status !== 0 || !fs.existsSync(bin)) {
    io.stdout(
      `  schemathesis could not be installed: ${(pip.stderr || pip.error?.message || '').trim().split('\n').pop()}`,
    );
    return undefined;
  }
  return bin;
}

/**
 * One Schemathesis run; its failures as a set of "code operation" pairs. Asynchronous: the
 * provider it talks to lives in this process and must keep answering while it runs.
 */
async function runSchemathesis(
  bin: string,
  url: string,
  token: string,
  timeoutS: number,
): Promise<{ ms: number; failures: Set<string> }> {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lc-st-')), 'report.json');
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const child = spawn(
      bin,
      [
        'run',
        DEFAULT_SPEC,
        '--url',
        url,
        '-H',
        `Authorization: ${token}`,
        '--checks',
        'all',
        '--max-examples',
        '10',
        '--no-shrink',
        '--seed',
        '1',
        '--request-timeout',
        String(timeoutS),
        '--report',
        'json',
        '--report-json-path',
        json,
      ],
      {
        stdio: 'ignore',
        cwd: path.dirname(json),
        env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' },
      },
    );
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  const ms = performance.now() - t0;
  const failures = new Set<string>();
  try {
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      failures?: Array<{ code: string; operations: string[] }>;
    };
    for (const f of report.failures ?? [])
      for (const op of f.operations) failures.add(`${f.code} ${op}`);
  } catch {
    failures.add('no report');
  }
  fs.rmSync(path.dirname(json), { recursive: true, force: true });
  return { ms, failures };
}

/** Wall time of `latitude-conformance run` in a child process, report to a temporary folder. */
async function timeCliRun(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-bench-cli-'));
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(PACKAGE_ROOT, 'bin', 'latitude-conformance.js'), 'run', '--report-dir', dir],
      {
        stdio: 'ignore',
        env: { ...process.env, LATITUDE_API_BASE_URL: '', LATITUDE_API_TOKEN: '' },
      },
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the embedded run exited ${code}`)),
    );
  });
  const ms = performance.now() - t0;
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function suite(io: Io): Promise<void> {
  // 1. A full embedded run as a user starts it: a new process (CLI start-up, provider, spec,
  //    100 fuzz bodies, reports), so it compares with Schemathesis's process wall time.
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push(await timeCliRun());
  const ours = median(times);
  const inProcess = median([
    (await runOurs([])).ms,
    (await runOurs([])).ms,
    (await runOurs([])).ms,
  ]);
  io.stdout(
    `  full embedded run, as \`latitude-conformance run\` (median of 3): ${(ours / 1000).toFixed(2)} s (target < 5 s); ` +
      `in-process, without start-up: ${(inProcess / 1000).toFixed(2)} s`,
  );

  // 2. What a live run costs: the defaults for a real account (no fuzzing), unpaced here.
  const provider = await startProvider({ port: 0, rateLimit: { enabled: false } });
  try {
    const live = await runOurs(['--writes-per-minute', '0', '--reads-per-minute', '0'], {
      LATITUDE_API_BASE_URL: provider.url,
      LATITUDE_API_TOKEN: provider.rootToken,
    });
    const r = live.report.requests;
    io.stdout(`  a live run makes ${r.total} requests: ${r.reads} reads, ${r.writes} writes`);
    io.stdout(
      `    by operation: ${Object.entries(r.byOperation)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    io.stdout(
      `    retries ${r.retries}; pacing is per key, and these writes are spread over the run's keys`,
    );
  } finally {
    await provider.close();
  }

  // 3. Schemathesis against the same provider and spec.
  const st = schemathesisBin(io);
  if (!st) {
    io.stdout('  schemathesis: not measured (it could not be installed on this machine)');
    return;
  }
  const clean = await startProvider({ port: 0, rateLimit: { enabled: false } });
  let baseline: Set<string>;
  try {
    const stTimes: number[] = [];
    let last: Set<string> = new Set();
    for (let i = 0; i < 3; i++) {
      const r = await runSchemathesis(st, clean.url, clean.rootToken, 5);
      stTimes.push(r.ms);
      last = r.failures;
    }
    baseline = last;
    const theirs = median(stTimes);
    io.stdout(
      `  schemathesis ${SCHEMATHESIS_VERSION} (--checks all, 10 examples per operation, median of 3): ${(theirs / 1000).toFixed(2)} s`,
    );
    io.stdout(
      `  ratio schemathesis / latitude-conformance wall time: ${(theirs / ours).toFixed(2)}`,
    );
    io.stdout(
      `    (schemathesis fails the conformant provider itself on ${baseline.size} code/operation pairs: the spec documents no error status)`,
    );
  } finally {
    await clean.close();
  }

  // 4. Faults caught. Ours: the run fails. Schemathesis: a failure it does not report on the
  //    conformant provider (the same seed), since it fails that one already.
  const defects = FAULT_NAMES.filter((f) => !('specLegal' in FAULTS[f]));
  let caughtOurs = 0;
  let caughtTheirs = 0;
  const missedTheirs: FaultName[] = [];
  const missedOurs: FaultName[] = [];
  for (const [i, fault] of defects.entries()) {
    const p = await startProvider({
      port: 0,
      rateLimit: { enabled: false },
      faults: [fault],
      slowMs: 3000,
    });
    try {
      const o = await runOurs(
        [
          '--fuzz-runs',
          '10',
          '--timeout-ms',
          '1000',
          '--writes-per-minute',
          '0',
          '--reads-per-minute',
          '0',
        ],
        {
          LATITUDE_API_BASE_URL: p.url,
          LATITUDE_API_TOKEN: p.rootToken,
        },
      );
      if (o.code === 1) caughtOurs++;
      else missedOurs.push(fault);
      const t = await runSchemathesis(st, p.url, p.rootToken, 1);
      if ([...t.failures].some((f) => !baseline.has(f))) caughtTheirs++;
      else missedTheirs.push(fault);
    } finally {
      await p.close();
    }
    if ((i + 1) % 10 === 0) io.stdout(`    … ${i + 1}/${defects.length} faults`);
  }
  io.stdout(
    `  faults caught (of ${defects.length} defects in the catalogue): latitude-conformance ${caughtOurs}, schemathesis ${caughtTheirs}`,
  );
  if (missedOurs.length) io.stdout(`    latitude-conformance missed: ${missedOurs.join(', ')}`);
  io.stdout(`    schemathesis missed: ${missedTheirs.join(', ') || 'none'}`);
}
