import type { RunReport } from '../runner';

/** The one-screen summary: counts, every failure on one or two lines, cleanup. */
export function consoleSummary(report: RunReport, files: string[]): string[] {
  const s = report.summary;
  const lines: string[] = [''];
  const failed = report.checks.filter((c) => c.status === 'failed');
  for (const c of failed.slice(0, 15)) {
    lines.push(`  ✗ ${c.code} [${c.operation}] ${c.message}`);
    lines.push(
      `      expected ${short(c.expected)} · received ${short(c.received)}${c.pointer ? ` · at ${c.pointer}` : ''}`,
    );
  }
  if (failed.length > 15)
    lines.push(`  … and ${failed.length - 15} more failures (see the report)`);
  const cu = report.cleanup;
  lines.push(
    '',
    `${s.failed === 0 ? 'PASSED' : 'FAILED'}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped` +
      ` in ${(report.durationMs / 1000).toFixed(1)} s (${report.requests.total} requests)`,
    `keys: ${cu.created} created, ${cu.deleted} deleted, ${cu.leftBehind.length} left behind` +
      (cu.leftBehind.length ? ` (${cu.leftBehind.join(', ')})` : '') +
      (cu.swept ? `; ${cu.swept} swept from earlier runs` : ''),
  );
  if (report.interrupted) lines.push(`interrupted: ${report.interrupted}`);
  lines.push(`reports: ${files.join(', ')}`);
  return lines;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}
