import type { RunReport } from '../runner';

const esc = (s: string) =>
  s
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // XML 1.0 forbids most control characters even when escaped.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one test suite per check category, one test case per report line. */
export function junitXml(report: RunReport): string {
  const byCategory = new Map<string, RunReport['checks']>();
  for (const c of report.checks) {
    const cat = c.code.split('.')[0];
    byCategory.set(cat, [...(byCategory.get(cat) ?? []), c]);
  }
  const suites = [...byCategory].map(([cat, checks]) => {
    const failures = checks.filter((c) => c.status === 'failed').length;
    const skipped = checks.filter((c) => c.status === 'skipped').length;
    const cases = checks.map((c) => {
      const name = esc(`${c.code} [${c.operation}] ${c.title}`);
      const head = `    <testcase classname="${esc(`latitude-conformance.${cat}`)}" name="${name}">`;
      if (c.status === 'failed') {
        const detail = `${c.message}\npointer: ${c.pointer || '(whole body)'}\nexpected: ${JSON.stringify(c.expected)}\nreceived: ${JSON.stringify(c.received)}`;
        return `${head}\n      <failure message="${esc(c.message)}" type="${esc(c.code)}">${esc(detail)}</failure>\n    </testcase>`;
      }
      if (c.status === 'skipped')
        return `${head}\n      <skipped message="${esc(c.message)}"/>\n    </testcase>`;
      return `${head}</testcase>`;
    });
    return `  <testsuite name="${esc(cat)}" tests="${checks.length}" failures="${failures}" skipped="${skipped}" errors="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const s = report.summary;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="latitude-conformance" tests="${s.passed + s.failed + s.skipped}" failures="${s.failed}" skipped="${s.skipped}" time="${(report.durationMs / 1000).toFixed(3)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
