import type { RunReport } from '../runner';
import { verdict as verdictOf } from './console';

const esc = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const show = (v: unknown) => esc(v === undefined ? '' : (JSON.stringify(v, null, 1) ?? ''));

/** One self-contained page: summary on top, failures first, each with expected and received. */
export function conformanceHtml(report: RunReport): string {
  const s = report.summary;
  const verdict = verdictOf(report);
  const rows = report.checks
    .map(
      (c) => `<tr class="${c.status}">
  <td><span class="badge">${c.status}</span></td>
  <td><code>${esc(c.code)}</code><div class="title">${esc(c.title)}</div></td>
  <td><code>${esc(c.operation)}</code></td>
  <td>${esc(c.message)}${c.pointer ? `<div class="ptr">at <code>${esc(c.pointer)}</code></div>` : ''}</td>
  <td>${c.status === 'failed' ? `<pre>${show(c.expected)}</pre>` : ''}</td>
  <td>${c.status === 'failed' ? `<pre>${show(c.received)}</pre>` : ''}</td>
</tr>`,
    )
    .join('\n');
  const left = report.cleanup.leftBehind;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>latitude-conformance: ${verdict}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330}
h1{margin:0 0 4px} .verdict{padding:2px 10px;border-radius:4px;color:#fff;background:${verdict === 'PASSED' ? '#2e7d32' : '#c62828'}}
.summary{display:flex;gap:24px;margin:12px 0 20px;flex-wrap:wrap}.summary div{background:#f3f5f9;padding:8px 14px;border-radius:6px}
.summary b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e3e6ec;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f9;position:sticky;top:0} pre{margin:0;white-space:pre-wrap;max-width:28em;font-size:12px}
.title{color:#5b6475;font-size:12px}.ptr{color:#5b6475;font-size:12px}
.badge{font-size:11px;text-transform:uppercase;padding:1px 6px;border-radius:3px;color:#fff}
tr.failed .badge{background:#c62828} tr.passed .badge{background:#2e7d32} tr.skipped .badge{background:#8a8f99}
tr.failed{background:#fff5f5}
</style></head><body>
<h1>latitude-conformance <span class="verdict">${verdict}</span></h1>
<div>${esc(report.target)} · spec <code>${esc(report.spec)}</code> · run <code>${esc(report.runId)}</code> · ${esc(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s${report.interrupted ? ` · <b>interrupted: ${esc(report.interrupted)}</b>` : ''}</div>
<div class="summary">
<div><b>${s.failed}</b>failed</div><div><b>${s.passed}</b>passed</div><div><b>${s.skipped}</b>skipped</div>
<div><b>${report.cleanup.created}/${report.cleanup.deleted}</b>keys created/deleted</div>
<div><b>${left.length}</b>left behind${left.length ? `: ${left.map((id) => `<code>${esc(id)}</code>`).join(' ')}` : ''}</div>
<div><b>${report.requests.total}</b>requests (${report.requests.reads} reads, ${report.requests.writes} writes)</div>
</div>
<table><thead><tr><th>status</th><th>check</th><th>operation</th><th>message</th><th>expected</th><th>received</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
