import * as fs from 'node:fs';
import * as path from 'node:path';
import { intFlag, parseCommandArgs } from '../args';
import { CHECKS, CHECK_CODES, selectChecks } from '../conformance/catalogue';
import { DEFAULT_NAME_PREFIX, DEFAULT_SPEC } from '../conformance/defaults';
import { consoleSummary } from '../conformance/report/console';
import { writeReports } from '../conformance/report/write';
import { newRunId, runConformance } from '../conformance/runner';
import { InputError, UsageError } from '../errors';
import type { Io } from '../io';
import { FAULT_NAMES, isFaultName, startProvider, type RunningProvider } from '../provider';
import { SecretScrubber } from '../redact';
import { createEngine, loadSpec, unenforcedFormatNotices } from '../spec';

/** Creates `dir` and proves a file can be written there, or says why not (exit 2). */
function ensureWritableDir(dir: string, what: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (err) {
    throw new InputError(`cannot write ${what} to ${dir}: ${(err as Error).message}`);
  }
}

const list = (values: string[] | undefined) =>
  values
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * `latitude-conformance run`: the main job. Configuration enters here, from flags and the
 * environment (LATITUDE_API_BASE_URL, LATITUDE_API_TOKEN), and flows down as typed options.
 */
export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(args, {
    spec: { type: 'string' },
    'report-dir': { type: 'string' },
    only: { type: 'string', multiple: true },
    skip: { type: 'string', multiple: true },
    'fuzz-runs': { type: 'string' },
    'fuzz-seed': { type: 'string' },
    'provider-fault': { type: 'string', multiple: true },
    'writes-per-minute': { type: 'string' },
    'reads-per-minute': { type: 'string' },
    'timeout-ms': { type: 'string' },
    'max-retries': { type: 'string' },
    'sweep-age-minutes': { type: 'string' },
    ledger: { type: 'string' },
    'name-prefix': { type: 'string' },
    'list-checks': { type: 'boolean' },
    'allow-format': { type: 'string', multiple: true },
  });

  if (values['list-checks']) {
    for (const code of CHECK_CODES) io.stdout(`${code.padEnd(36)} ${CHECKS[code].title}`);
    return 0;
  }

  const baseUrl = io.env.LATITUDE_API_BASE_URL?.trim();
  const token = io.env.LATITUDE_API_TOKEN?.trim();
  const embedded = !baseUrl;
  if (baseUrl && !/^https?:\/\/[^/]+/i.test(baseUrl)) {
    throw new UsageError(`LATITUDE_API_BASE_URL must be an http(s) URL, got "${baseUrl}".`);
  }
  if (baseUrl) {
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch {
      throw new UsageError(`LATITUDE_API_BASE_URL is not a URL: "${baseUrl}".`);
    }
    if (parsed.username || parsed.password) {
      throw new UsageError(
        'LATITUDE_API_BASE_URL must not carry a user name or password: give the API token in LATITUDE_API_TOKEN.',
      );
    }
  }
  // A token with spaces, line breaks or non-ASCII cannot be sent in a header: say so, not "unreachable".
  if (token && !/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError(
      'LATITUDE_API_TOKEN contains characters an HTTP header cannot carry (spaces, line breaks or non-ASCII): check how it was copied.',
    );
  }
  if (baseUrl && !token) {
    throw new UsageError(
      'LATITUDE_API_BASE_URL is set but LATITUDE_API_TOKEN is not: set both to run against a real account, or neither for the embedded reference provider.',
    );
  }
  const faults = list(values['provider-fault']) ?? [];
  if (faults.length > 0 && !embedded) {
    throw new UsageError(
      '--provider-fault only works with the embedded provider (unset LATITUDE_API_BASE_URL).',
    );
  }
  const unknownFaults = faults.filter((f) => !isFaultName(f));
  if (unknownFaults.length > 0) {
    throw new UsageError(
      `unknown provider fault ${unknownFaults.join(', ')}; known faults: ${FAULT_NAMES.join(', ')}.`,
    );
  }
  const only = list(values.only);
  const skip = list(values.skip);
  const { unknown } = selectChecks(only, skip);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown check code ${unknown.join(', ')}; see \`latitude-conformance run --list-checks\`.`,
    );
  }

  const namePrefix = values['name-prefix'] ?? DEFAULT_NAME_PREFIX;
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(namePrefix)) {
    throw new UsageError(
      `--name-prefix takes 2 to 40 lower-case letters, digits and hyphens (the sweep deletes keys by it), got "${namePrefix}".`,
    );
  }
  const reportDir = path.resolve(io.cwd, values['report-dir'] ?? 'reports');
  const specSource = values.spec ?? DEFAULT_SPEC;
  // Numbers on a real account are chosen for safety: paced to the documented limits, no fuzzing.
  const fuzzRuns = intFlag('fuzz-runs', values['fuzz-runs'], embedded ? 100 : 0);
  const writesPerMinute = intFlag(
    'writes-per-minute',
    values['writes-per-minute'],
    embedded ? 0 : 20,
  );
  const readsPerMinute = intFlag('reads-per-minute', values['reads-per-minute'], embedded ? 0 : 60);
  const timeoutMs = intFlag('timeout-ms', values['timeout-ms'], 10_000, 1);
  if (timeoutMs > 2_147_483_647) {
    throw new UsageError(
      `--timeout-ms takes at most 2147483647 (about 24 days), got ${timeoutMs}.`,
    );
  }
  const maxRetries = intFlag('max-retries', values['max-retries'], 3);
  const sweepAgeMinutes = intFlag('sweep-age-minutes', values['sweep-age-minutes'], 30);
  const fuzzSeed = intFlag('fuzz-seed', values['fuzz-seed'], Math.floor(Math.random() * 2 ** 31));

  if (!embedded) {
    const over = [
      writesPerMinute === 0 || writesPerMinute > 20
        ? `${writesPerMinute || 'unlimited'} writes`
        : '',
      readsPerMinute === 0 || readsPerMinute > 60 ? `${readsPerMinute || 'unlimited'} reads` : '',
    ].filter(Boolean);
    if (over.length > 0) {
      io.stderr(
        `warning: pacing at ${over.join(' and ')} a minute per key, above the documented 20 writes and 60 reads: the provider may answer 429.`,
      );
    }
  } else if (token) {
    io.stderr(
      'warning: LATITUDE_API_TOKEN is set but LATITUDE_API_BASE_URL is not: running against the embedded reference provider, not a real account.',
    );
  }
  const ledgerFile = embedded
    ? undefined
    : path.resolve(io.cwd, values.ledger ?? path.join(reportDir, 'ledger.json'));
  // Before any key exists: a report or ledger that cannot be written must stop the run now.
  ensureWritableDir(reportDir, 'reports');
  if (ledgerFile) ensureWritableDir(path.dirname(ledgerFile), 'the ledger');

  const spec = await loadSpec(specSource, { cwd: io.cwd });
  const engine = createEngine(spec, { allowFormats: values['allow-format'] });
  for (const line of unenforcedFormatNotices(engine.formatUsage(), 'run')) io.stderr(line);

  const scrubber = new SecretScrubber([token]);
  let provider: RunningProvider | undefined;
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      io.stderr(
        `received ${signal}: stopping after the request in flight and deleting the keys this run created…`,
      );
      controller.abort(`received ${signal}`);
    } else {
      io.stderr(
        `received ${signal} again: exiting now; the ledger keeps what was not deleted and the next run deletes it.`,
      );
      process.exit(2);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (embedded) {
      // The embedded provider's own rate limits are off: the run is unpaced there by default.
      provider = await startProvider({
        port: 0,
        faults: faults as never,
        rateLimit: { enabled: false },
      });
      scrubber.add(provider.rootToken);
    }
    const target = provider ? provider.url : baseUrl!;
    const runToken = provider ? provider.rootToken : token!;
    const runId = newRunId();
    io.stdout(
      `latitude-conformance ${runId}: ${embedded ? `embedded reference provider at ${target}${faults.length ? ` (faults: ${faults.join(', ')})` : ''}` : target}`,
    );
    const report = await runConformance({
      baseUrl: target,
      token: runToken,
      targetLabel: embedded
        ? `embedded reference provider${faults.length ? ` (faults: ${faults.join(', ')})` : ''}`
        : target,
      engine,
      specSource,
      only,
      skip,
      fuzzRuns,
      fuzzSeed,
      readsPerMinute,
      writesPerMinute,
      timeoutMs,
      maxRetries,
      sweepAgeMinutes,
      ledgerFile,
      namePrefix,
      runId,
      progress: (line) => io.stdout(scrubber.scrub(line)),
      signal: controller.signal,
      scrubber,
    });
    const files = writeReports(reportDir, report, scrubber);
    for (const line of consoleSummary(
      report,
      files.map((f) => path.relative(io.cwd, f) || f),
    )) {
      io.stdout(scrubber.scrub(line));
    }
    if (report.error) {
      io.stderr(scrubber.scrub(`error: ${report.error}`));
      return 2;
    }
    if (report.interrupted) return 2;
    // A selected check that could not run leaves the run incomplete: never a pass.
    return report.summary.failed > 0 || report.summary.unreached > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await provider?.close();
  }
}
