import type { RunReport } from '../runner';

/** The one-screen summary: one entry per failed check (first failure in full), then cleanup. */
export function consoleSummary(report: RunReport, files: string[]): string[] {
  const s = report.summary;
  const lines: string[] = [''];
  const byCode = new Map<string, RunReport['checks']>();
  for (const c of report.checks.filter((x) => x.status === 'failed')) {
    byCode.set(c.code, [...(byCode.get(c.code) ?? []), c]);
  }
  const shown = [...byCode].slice(0, 12);
  for (const [code, fails] of shown) {
    const c = fails[0];
    const ops = [...new Set(fails.map((f) => f.operation))];
    const where =
      fails.length > 1 ? ` (${fails.length} failures in ${ops.join(', ')})` : ` [${c.operation}]`;
    lines.push(`  ✗ ${code}${where}: ${truncate(c.message, 140)}`);
    lines.push(
      `      expected ${short(c.expected)} · received ${short(c.received)}${c.pointer ? ` · at ${c.pointer}` : ''}`,
    );
  }
  if (byCode.size > shown.length) {
    const rest = [...byCode.keys()].slice(shown.length);
    lines.push(`  … and ${rest.length} more failed checks: ${rest.join(', ')} (see the report)`);
  }
  const cu = report.cleanup;
  lines.push(
    '',
    `${verdict(report)}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped` +
      (s.unreached ? ` (${s.unreached} selected checks could not run)` : '') +
      ` in ${(report.durationMs / 1000).toFixed(1)} s (${report.requests.total} requests)`,
    `keys: ${cu.created} created, ${cu.deleted} deleted, ${cu.leftBehind.length} left behind` +
      (cu.leftBehind.length ? ` (${cu.leftBehind.join(', ')})` : '') +
      (cu.swept ? `; ${cu.swept} swept from earlier runs` : ''),
  );
  if (report.interrupted) lines.push(`interrupted: ${report.interrupted}`);
  lines.push(`reports: ${files.join(', ')}`);
  return lines;
}

/** FAILED on any failure, INCOMPLETE when a selected check could not run, else PASSED. */
export function verdict(report: RunReport): 'PASSED' | 'FAILED' | 'INCOMPLETE' {
  if (report.summary.failed > 0) return 'FAILED';
  return report.summary.unreached > 0 ? 'INCOMPLETE' : 'PASSED';
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function short(v: unknown): string {
  return truncate(JSON.stringify(v) ?? 'undefined', 80);
}
