import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseCommandArgs } from '../args';
import { DEFAULT_SPEC } from '../conformance/defaults';
import { InputError, UsageError } from '../errors';
import type { Io } from '../io';
import { createEngine, loadSpec, SpecEngine, unenforcedFormatNotices } from '../spec';
import { checkTraffic, CheckResult } from '../validate/check';
import { detectFormat, readTraffic, TrafficFormat } from '../validate/exchanges';

/** The spec shipped with the suite (found from the package root), used when --spec is not given. */
export { DEFAULT_SPEC };

const USAGE = `usage: latitude-conformance validate <file> [--spec PATH|URL] [--report-dir DIR]
                                  [--allow-format NAME]... [--operation ID]...
                                  [--undocumented-errors] [--progress]

Checks recorded traffic (HAR 1.2, or NDJSON with one {"method","url","status","headers","body"}
a line) against the spec; with --operation, only exchanges of those operationIds. Exit 0: every exchange conforms; 1: something does not; 2: bad usage
or input that cannot be read (including NDJSON lines that are not JSON).`;

/** How many findings the console shows; the report has the rest. */
const SHOW_FINDINGS = 10;

export async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      spec: { type: 'string' },
      'report-dir': { type: 'string' },
      // A format the engine cannot enforce stops it from starting; naming it here accepts it
      // as documentation only, and the report lists it as not enforced.
      'allow-format': { type: 'string', multiple: true },
      // Only exchanges matched to these operationIds are checked; the rest are counted.
      operation: { type: 'string', multiple: true },
      // The provider documents no error responses; with this flag a 4xx/5xx is checked as a
      // JSON:API error object instead of being reported as an undocumented status.
      'undocumented-errors': { type: 'boolean' },
      // Progress lines on stderr every 100,000 records; on by default only on a terminal.
      progress: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      `validate takes exactly one traffic file, got ${positionals.length}.\n${USAGE}`,
    );
  }
  const file = resolve(io.cwd, positionals[0]);
  const specSource = values.spec ?? DEFAULT_SPEC;
  const reportDir = resolve(io.cwd, values['report-dir'] ?? 'reports');

  const reportPath = join(reportDir, 'validate.json');
  // Before reading the traffic (which may take minutes): a report that cannot be written is a
  // usage problem, said at once.
  try {
    await mkdir(reportDir, { recursive: true });
    await access(reportDir, constants.W_OK);
  } catch (err) {
    throw new InputError(
      `cannot write the report to ${reportPath}: ${(err as Error).message}. Pass a --report-dir you can write to.`,
    );
  }

  const spec = await loadSpec(specSource, { cwd: io.cwd });
  const engine = createEngine(spec, { allowFormats: values['allow-format'] ?? [] });
  const operations = selectedOperations(engine, values.operation);
  for (const line of unenforcedFormatNotices(engine.formatUsage(), 'validate')) io.stderr(line);
  const format = await detectFormat(file);
  const showProgress = values.progress ?? Boolean(process.stderr.isTTY && !io.env.CI);
  const started = process.hrtime.bigint();
  const result = await checkTraffic(readTraffic(file, format), engine, {
    undocumentedErrors: values['undocumented-errors'] === true,
    operations,
    onProgress: showProgress
      ? (n) => io.stderr(`validate: ${n.toLocaleString('en-US')} records checked…`)
      : undefined,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  if (result.exchanges === 0 && result.unreadable === 0) {
    throw new InputError(
      `${file} holds no exchanges. Pass a HAR 1.2 file with entries or NDJSON with one exchange a line.`,
    );
  }

  const report = {
    tool: 'latitude-conformance validate',
    generatedAt: new Date().toISOString(),
    spec: { source: spec.source, version: spec.version },
    input: { file, format },
    operations: operations ? [...operations] : null,
    summary: {
      exchanges: result.exchanges,
      conforming: result.conforming,
      nonConforming: result.nonConforming,
      unmatched: result.unmatched,
      notSelected: result.notSelected,
      unreadable: result.unreadable,
      findings: result.findingCount,
      byCode: result.byCode,
      byOperation: result.byOperation,
      seconds: Math.round(seconds * 1000) / 1000,
    },
    formats: engine.formatUsage(),
    findings: result.findings,
    findingsTruncated: result.findingsTruncated,
    unmatched: {
      count: result.unmatched,
      routes: result.unmatchedRoutes,
      sample: result.unmatchedSample,
    },
    unreadable: result.unreadableRecords,
  };
  try {
    await mkdir(reportDir, { recursive: true });
    await writeFile(reportPath, JSON.stringify(report, null, 2) + '\n');
  } catch (err) {
    throw new InputError(`cannot write the report to ${reportPath}: ${(err as Error).message}.`);
  }

  for (const line of summaryLines(file, format, spec.source, spec.version, result, io.cwd)) {
    io.stdout(line);
  }
  const shown = relative(io.cwd, reportPath);
  io.stdout(`report: ${shown.startsWith('..') ? reportPath : shown}`);

  if (result.unreadable > 0) {
    const list = result.unreadableRecords
      .slice(0, 5)
      .map((u) => `${u.where} (${u.reason})`)
      .join(', ');
    const more = result.unreadable > 5 ? ` and ${result.unreadable - 5} more` : '';
    throw new InputError(
      `${result.unreadable} record${result.unreadable === 1 ? '' : 's'} of ${file} could not be read: ${list}${more}. Every other record was checked and is in the report; fix or remove those records.`,
    );
  }
  return result.nonConforming > 0 ? 1 : 0;
}

/** The --operation ids, each checked against the spec; undefined when none is given. */
function selectedOperations(
  engine: SpecEngine,
  ids: string[] | undefined,
): Set<string> | undefined {
  if (!ids || ids.length === 0) return undefined;
  const known = engine.operations().map((o) => o.operationId);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    const shown = known.slice(0, 20).join(', ');
    const more = known.length > 20 ? ` (the first 20 of ${known.length})` : '';
    throw new UsageError(
      `--operation ${unknown.map((id) => JSON.stringify(id)).join(', ')}: the spec ${engine.spec.source} has no such operationId. Its operationIds${more}: ${shown || '(none)'}.`,
    );
  }
  return new Set(ids);
}

function summaryLines(
  file: string,
  format: TrafficFormat,
  specSource: string,
  version: string,
  r: CheckResult,
  cwd: string,
): string[] {
  const rel = (p: string) => {
    if (/^https?:/.test(p)) return p;
    const r = relative(cwd, p);
    return r && !r.startsWith('..') ? r : p;
  };
  const out = [
    `validate: ${rel(file)} (${format === 'har' ? 'HAR' : 'NDJSON'}) against ${rel(specSource)} (${version})`,
    `  exchanges      ${r.exchanges}`,
    `  conforming     ${r.conforming}`,
    `  not conforming ${r.nonConforming} (${r.findingCount} finding${r.findingCount === 1 ? '' : 's'})`,
  ];
  const codes = Object.entries(r.byCode).sort((a, b) => b[1] - a[1]);
  for (const [code, n] of codes) out.push(`    ${code.padEnd(32)} ${n}`);
  out.push(`  unmatched      ${r.unmatched}`);
  const routes = Object.entries(r.unmatchedRoutes).sort((a, b) => b[1] - a[1]);
  for (const [route, n] of routes.slice(0, 5)) out.push(`    ${route} ×${n}`);
  if (routes.length > 5) out.push(`    … ${routes.length - 5} more routes in the report`);
  if (r.notSelected)
    out.push(`  not selected   ${r.notSelected} (other operations than --operation)`);
  if (r.unreadable) out.push(`  unreadable     ${r.unreadable}`);
  for (const f of r.findings.slice(0, SHOW_FINDINGS)) {
    out.push(
      `  ${f.where}: ${f.operation} ${f.status} ${f.code} ${f.pointer || '(body)'}: ${f.message}`,
    );
  }
  if (r.findingCount > SHOW_FINDINGS) {
    out.push(`  … ${r.findingCount - SHOW_FINDINGS} more findings in the report`);
  }
  return out;
}
