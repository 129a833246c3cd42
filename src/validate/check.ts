import type { Finding } from '../findings';
import { SecretScrubber } from '../redact';
import type { SpecEngine } from '../spec';
import type { TrafficRecord } from './exchanges';

/** A finding with the exchange it came from. */
export interface TrafficFinding extends Finding {
  /** `line 12` (NDJSON) or `entry 3` (HAR). */
  where: string;
  method: string;
  url: string;
  status: number;
}

export interface CheckOptions {
  /** Check undocumented 4xx/5xx bodies as JSON:API errors instead of reporting the status. */
  undocumentedErrors?: boolean;
  /**
   * Only exchanges matched to these operationIds are checked; the others are counted as not
   * selected. Absent: every matched exchange is checked.
   */
  operations?: ReadonlySet<string>;
  /** Called every `progressEvery` records. */
  onProgress?: (records: number) => void;
  progressEvery?: number;
  /** At most this many findings / unmatched / unreadable records are kept with details. */
  keepFindings?: number;
  keepUnmatched?: number;
  keepUnreadable?: number;
}

export interface CheckResult {
  exchanges: number;
  conforming: number;
  nonConforming: number;
  unmatched: number;
  /** Matched to an operation that was not selected (`operations`), so not checked. */
  notSelected: number;
  unreadable: number;
  findingCount: number;
  byCode: Record<string, number>;
  byOperation: Record<string, { exchanges: number; nonConforming: number }>;
  findings: TrafficFinding[];
  findingsTruncated: boolean;
  unmatchedRoutes: Record<string, number>;
  unmatchedSample: Array<{ where: string; method: string; url: string; status: number }>;
  unreadableRecords: Array<{ where: string; line: number; reason: string }>;
}

// The same limits keep a report of a million-line capture small and the memory flat.
const KEEP_FINDINGS = 1000;
const KEEP_UNMATCHED = 100;
const KEEP_UNREADABLE = 100;
const MAX_ROUTES = 1000;

/** Checks every record against the engine, keeping counts for all and details for the first. */
export async function checkTraffic(
  records: AsyncIterable<TrafficRecord>,
  engine: SpecEngine,
  opts: CheckOptions = {},
): Promise<CheckResult> {
  const scrubber = new SecretScrubber();
  const keepFindings = opts.keepFindings ?? KEEP_FINDINGS;
  const keepUnmatched = opts.keepUnmatched ?? KEEP_UNMATCHED;
  const keepUnreadable = opts.keepUnreadable ?? KEEP_UNREADABLE;
  const every = opts.progressEvery ?? 100_000;
  const r: CheckResult = {
    exchanges: 0,
    conforming: 0,
    nonConforming: 0,
    unmatched: 0,
    notSelected: 0,
    unreadable: 0,
    findingCount: 0,
    byCode: {},
    byOperation: {},
    findings: [],
    findingsTruncated: false,
    unmatchedRoutes: {},
    unmatchedSample: [],
    unreadableRecords: [],
  };
  const validateOpts = { undocumentedErrors: opts.undocumentedErrors === true };
  let seen = 0;
  for await (const rec of records) {
    seen++;
    if (opts.onProgress && seen % every === 0) opts.onProgress(seen);
    if (rec.kind === 'unreadable') {
      r.unreadable++;
      if (r.unreadableRecords.length < keepUnreadable) {
        r.unreadableRecords.push({ where: rec.where, line: rec.line, reason: rec.reason });
      }
      continue;
    }
    r.exchanges++;
    const ex = rec.exchange;
    const match = engine.matchOperation(ex.method, ex.url);
    if (!match) {
      r.unmatched++;
      // Routes and samples keep the path only (a query may carry an api_key), scrubbed of
      // anything credential-shaped (a token in the path, as in /auth/verify/<token>).
      const route = scrubber.scrub(`${ex.method} ${routeOf(ex.url)}`);
      if (route in r.unmatchedRoutes || Object.keys(r.unmatchedRoutes).length < MAX_ROUTES) {
        r.unmatchedRoutes[route] = (r.unmatchedRoutes[route] ?? 0) + 1;
      }
      if (r.unmatchedSample.length < keepUnmatched) {
        r.unmatchedSample.push({
          where: rec.where,
          method: ex.method,
          url: scrubber.scrub(withoutQuery(ex.url)),
          status: ex.status,
        });
      }
      continue;
    }
    const id = match.operation.operationId;
    if (opts.operations && !opts.operations.has(id)) {
      r.notSelected++;
      continue;
    }
    const findings = engine.validateResponse(id, ex.status, ex.headers, ex.body, validateOpts);
    if (ex.request) {
      findings.push(...engine.validateRequest(id, ex.request.headers, ex.request.body));
    }
    const op = (r.byOperation[id] ??= { exchanges: 0, nonConforming: 0 });
    op.exchanges++;
    if (findings.length === 0) {
      r.conforming++;
      continue;
    }
    r.nonConforming++;
    op.nonConforming++;
    for (const f of findings) {
      r.findingCount++;
      r.byCode[f.code] = (r.byCode[f.code] ?? 0) + 1;
      if (r.findings.length < keepFindings) {
        r.findings.push({
          where: rec.where,
          method: ex.method,
          url: scrubber.scrub(ex.url),
          status: ex.status,
          ...f,
        });
      } else {
        r.findingsTruncated = true;
      }
    }
  }
  return r;
}

/** The URL as recorded, without its query string and fragment. */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut >= 0 ? url.slice(0, cut) : url;
}

/** The path of a URL without its query string, for grouping unmatched exchanges. */
function routeOf(url: string): string {
  let path = url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      /* keep it as written */
    }
  }
  const cut = path.search(/[?#]/);
  return cut >= 0 ? path.slice(0, cut) : path;
}
