import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SecretScrubber } from '../redact';
import { groupBySteps, matrixMarkdown } from './matrix';
import type { TargetRun, VerifyReport } from './verify';

/**
 * Writes the verification report and the matrix as JSON (for scripts) and Markdown (for people).
 * Everything passes through the scrubber once more on the way out.
 */

const cell = (v: unknown) =>
  (v === undefined || v === null || v === '' ? '-' : String(v))
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

function sentTable(run: TargetRun): string[] {
  const lines = [
    '| step | request | Authorization | Content-Type | Accept | User-Agent | body | status |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of run.exchanges) {
    lines.push(
      `| ${cell(e.step)} | ${cell(`${e.method} ${e.path}`)} | ${cell(e.authorizationForm)} | ` +
        `${cell(e.contentType)} | ${cell(e.accept)} | ${cell(e.userAgent)} | ` +
        `${cell(e.body === undefined ? undefined : '`' + JSON.stringify(e.body) + '`')} | ` +
        `${cell(e.status)}${e.unmatched ? ' (no interaction)' : ''} |`,
    );
  }
  return lines;
}

export function verifyMarkdown(report: VerifyReport): string {
  const lines: string[] = [
    '# SDK verification',
    '',
    `Result: **${report.passed ? 'passed' : 'failed'}**`,
    '',
    '## SDKs',
    '',
  ];
  for (const s of report.sdks) {
    lines.push(
      `- ${s.sdk} ${s.version}: ${s.status === 'ready' ? 'installed' : `not run (${s.kind}): ${s.reason}`}`,
    );
  }
  lines.push(`- typescript: ${tsLine(report)}`, '');
  if (report.nothingVerified) lines.push(`Nothing was verified: ${report.nothingVerified}`, '');
  for (const run of report.runs) {
    lines.push(`## ${run.sdk} ${run.version} against ${run.target}`, '');
    if (run.skipped) {
      lines.push(`Skipped: ${run.skipped}`, '');
      continue;
    }
    const failed = run.checks.filter((c) => !c.passed);
    lines.push(
      `${run.checks.length - failed.length} of ${run.checks.length} checks passed.`,
      '',
      '| check | passed | expected | received |',
      '| --- | --- | --- | --- |',
      ...[...failed, ...run.checks.filter((c) => c.passed)].map(
        (c) =>
          `| ${cell(c.title)} | ${c.passed ? 'yes' : '**no**'} | ${cell(JSON.stringify(c.expected))} | ${cell(JSON.stringify(c.received))} |`,
      ),
      '',
      '### What the SDK sent',
      '',
      ...sentTable(run),
      '',
    );
    if (run.differences.length) {
      lines.push('### Differences from the contract', '');
      const seen = new Set<string>();
      for (const d of run.differences) {
        const key = `${d.code} ${d.method} ${d.received}`;
        if (seen.has(key)) continue;
        seen.add(key);
        lines.push(
          `- \`${d.code}\` ${d.method} (${d.interaction}): expected ${d.expected}, sent ${d.received}; ` +
            `${d.contractAccepts ? 'the contract accepts it' : d.specDocuments ? 'the contract does not accept it, the spec documents it' : '**neither the contract nor the spec accepts it**'}. ${d.message}`,
        );
      }
      lines.push('');
    }
    if (run.observations.length) {
      lines.push('### Observations', '', ...run.observations.map((o) => `- ${o}`), '');
    }
    if (run.fatal) lines.push(`Driver failure: ${run.fatal}`, '');
  }
  if (report.matrix) {
    lines.push('## Matrix', '', 'See sdk-matrix.md.', '');
    const rejected = report.matrix.cells.filter((c) => c.outcome === 'rejects').length;
    const misparsed = report.matrix.cells.filter((c) => c.outcome === 'misparses').length;
    lines.push(
      `${report.matrix.cells.length} cells: ${rejected} rejects, ${misparsed} misparses.`,
      '',
    );
  }
  return lines.join('\n');
}

export interface WrittenReports {
  files: string[];
}

export function writeReports(
  report: VerifyReport,
  dir: string,
  scrubber: SecretScrubber,
): WrittenReports {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, scrubber.scrub(text));
    files.push(file);
  };
  write('sdk-verify.json', JSON.stringify(scrubber.scrubValue(report), null, 2) + '\n');
  write('sdk-verify.md', verifyMarkdown(report));
  if (report.matrix) {
    write('sdk-matrix.json', JSON.stringify(scrubber.scrubValue(report.matrix), null, 2) + '\n');
    write('sdk-matrix.md', matrixMarkdown(report.matrix));
  }
  return { files };
}

/** One line per failed check, for the console. */
export function failureLines(report: VerifyReport): string[] {
  const out: string[] = [];
  for (const run of report.runs) {
    for (const c of run.checks.filter((x) => !x.passed)) {
      out.push(
        `FAIL ${run.sdk} ${run.version} against ${run.target}: ${c.title}: expected ` +
          `${JSON.stringify(c.expected)}, received ${JSON.stringify(c.received)}`,
      );
    }
    // Judged once, on the stub run; the provider run lists the same differences in the report.
    const rejected =
      run.target === 'stub'
        ? run.differences.filter((d) => !d.contractAccepts && !d.specDocuments)
        : [];
    for (const d of groupBySteps(rejected.map((d) => `${d.method}: ${d.message}`))) {
      out.push(`CONTRACT ${run.sdk} ${run.version}: ${d}`);
    }
  }
  for (const s of report.sdks.filter((x) => x.status !== 'ready')) {
    out.push(`NOT RUN ${s.sdk} ${s.version} (${s.kind}): ${s.reason}`);
  }
  for (const run of report.runs.filter((r) => r.skipped)) {
    out.push(`NOT RUN ${run.sdk} ${run.version} against ${run.target}: ${run.skipped}`);
  }
  if (report.typescript.status === 'not-run')
    out.push(`NOT RUN typescript: ${report.typescript.reason}`);
  if (report.nothingVerified) out.push(`NOTHING VERIFIED: ${report.nothingVerified}`);
  return out;
}

function tsLine(report: VerifyReport): string {
  return `${report.typescript.status === 'not-run' ? 'not run' : 'skipped'}: ${report.typescript.reason}`;
}
