import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandArgs } from '../args';
import { DEFAULT_SPEC, PACKAGE_ROOT } from '../conformance/defaults';
import {
  checkContracts,
  ContractFinding,
  ContractsReport,
  contractScrubber,
} from '../contracts/check';
import { CONTRACTS_DIR } from '../contracts/fixtures';
import { PactFile, readPactFile } from '../contracts/pact-file';
import { InputError, UsageError } from '../errors';
import type { Io } from '../io';
import { createEngine, loadSpec, unenforcedFormatNotices } from '../spec';

/** The bundled spec's name as the usage shows it; the spec itself is found from the package. */
const SPEC_NAME = path.relative(PACKAGE_ROOT, DEFAULT_SPEC);
export const CONTRACTS_REPORT_FILE = 'contracts-check.json';

const USAGE = `usage: latitude-conformance contracts check [--spec PATH|URL] [--report-dir DIR]
                                           [--allow-format NAME]... [FILES|URLS...]

Checks every interaction of the pact files (default: ${CONTRACTS_DIR}/*.json) against the OpenAPI
spec (default: ${SPEC_NAME}): method and path exist, request body and response body match
their schemas, the status is documented or a JSON:API error, matcher examples satisfy their regex.
Exit 0: all agree; 1: findings; 2: the spec or a pact file cannot be used.`;

/** `latitude-conformance contracts check`: a thin shell over checkContracts. */
export async function contracts(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  if (sub !== 'check') {
    throw new UsageError(sub ? `unknown contracts command "${sub}".\n${USAGE}` : USAGE);
  }
  const { values, positionals } = parseCommandArgs(
    rest,
    {
      spec: { type: 'string' },
      'report-dir': { type: 'string' },
      // The full provider spec uses `format: float`; a user may accept it unchecked by name.
      'allow-format': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }

  const spec = await loadSpec(values.spec ?? DEFAULT_SPEC, { cwd: io.cwd });
  const engine = createEngine(spec, { allowFormats: values['allow-format'] ?? [] });
  for (const line of unenforcedFormatNotices(engine.formatUsage(), 'contracts check')) {
    io.stderr(line);
  }
  const sources = positionals.length ? positionals : await defaultPactFiles(io.cwd);
  const pacts: PactFile[] = [];
  for (const source of sources) pacts.push(await readPactFile(source, { cwd: io.cwd }));

  // The report is scrubbed already; the lines pass the same scrubber once more, as they also
  // carry the spec and file names.
  const scrubber = contractScrubber(pacts);
  const report = checkContracts(engine, pacts);
  const specName = values.spec ?? SPEC_NAME;
  for (const line of summary(report, specName)) io.stdout(scrubber.scrub(line));
  if (values['report-dir']) {
    const dir = path.resolve(io.cwd, values['report-dir']);
    const file = path.join(dir, CONTRACTS_REPORT_FILE);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(file, JSON.stringify(report, null, 2) + '\n');
    } catch (err) {
      throw new InputError(
        `cannot write the report to ${file}: ${(err as Error).message}. Pass a --report-dir you can write to.`,
      );
    }
    io.stdout(`Report: ${path.relative(io.cwd, file) || file}`);
  }
  return report.findings.length ? 1 : 0;
}

/**
 * Every *.json in the package's contracts/ (found from the package, not the working directory),
 * named relative to the working directory when it is inside, else absolute.
 */
async function defaultPactFiles(cwd: string): Promise<string[]> {
  const dir = path.join(PACKAGE_ROOT, CONTRACTS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    names = [];
  }
  const shown = (abs: string) => {
    const rel = path.relative(cwd, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  };
  const files = names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => shown(path.join(dir, n)));
  if (!files.length) {
    throw new InputError(
      `no pact files in ${dir}: run the consumer tests (npm run pact:update) or name the files.`,
    );
  }
  return files;
}

function findingLine(f: ContractFinding): string {
  const where = [f.pointer && `at ${f.pointer}`, f.specLocation && `spec ${f.specLocation}`]
    .filter(Boolean)
    .join(', ');
  return `    ✗ [${f.code}] ${f.title}: ${f.message}${where ? ` (${where})` : ''}`;
}

function summary(report: ContractsReport, specName: string): string[] {
  const lines: string[] = [`Spec: ${specName} (version ${report.spec.version})`];
  for (const file of report.files) {
    const results = report.interactions.filter((i) => i.file === file.source);
    lines.push(
      `${file.source}: ${file.consumer} → ${file.provider}, ${results.length} interaction(s)`,
    );
    for (const r of results) {
      const mark = r.findings.length ? '✗' : '✓';
      lines.push(
        `  ${mark} "${r.interaction}": ${r.exchange}${r.operation ? ` (${r.operation})` : ''}`,
      );
      for (const f of r.findings) lines.push(findingLine(f));
      for (const f of r.intendedRequestViolations) {
        const status = r.exchange.split(' → ')[1];
        lines.push(
          `    · the request breaks the spec on purpose (answered ${status}): ${f.message}`,
        );
      }
    }
    for (const s of file.skipped) lines.push(`  - skipped, not HTTP: ${s}`);
  }
  const failing = report.interactions.filter((i) => i.findings.length).length;
  lines.push(
    report.findings.length
      ? `${report.findings.length} finding(s) in ${failing} of ${report.interactions.length} interaction(s): the contract asks for what the spec does not give.`
      : `All ${report.interactions.length} interaction(s) agree with the spec.`,
  );
  return lines;
}
