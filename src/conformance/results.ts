import { CHECKS, CHECK_CODES, CheckCode, isCheckCode } from './catalogue';
import type { Verdict } from './verdict';
import type { SecretScrubber } from '../redact';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** One line of the report: the shape `reports/conformance.json` publishes. */
export interface CheckResult {
  code: string;
  title: string;
  operation: string;
  status: CheckStatus;
  message: string;
  pointer: string;
  expected: unknown;
  received: unknown;
  /** How many times the rule was evaluated for this operation (passes) or failed the same way. */
  count: number;
}

/** Longest text a report line quotes; cut only after scrubbing, so no secret is cut in half. */
const QUOTE_LIMIT = 300;

function cap<T>(value: T): T {
  const cut = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.length > QUOTE_LIMIT
        ? `${v.slice(0, QUOTE_LIMIT)}… (${v.length - QUOTE_LIMIT} more characters)`
        : v;
    }
    if (Array.isArray(v)) return v.map(cut);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cut(x)]));
    return v;
  };
  return cut(value) as T;
}

/** Failures of one rule at one place are reported once, with a count, beyond this many. */
const DISTINCT_FAILURES = 5;

/**
 * Collects verdicts as the run goes and folds them into report lines: one passed line per
 * (check, operation), one failed line per distinct failure, one skipped line per check that never
 * ran, with the reason. Everything passing through is scrubbed of secrets.
 */
export class Results {
  private readonly passes = new Map<string, { count: number; message?: string }>();
  private readonly failures = new Map<string, CheckResult>();
  private readonly skips = new Map<string, string>();
  private readonly notRunByChoice = new Map<string, string>();

  constructor(
    private readonly selected: ReadonlySet<string>,
    private readonly scrubber: SecretScrubber,
  ) {}

  isSelected(code: CheckCode | string): boolean {
    return !isCheckCode(code) || this.selected.has(code);
  }

  anySelected(prefixOrCodes: string[]): boolean {
    return CHECK_CODES.some(
      (c) => this.selected.has(c) && prefixOrCodes.some((p) => c === p || c.startsWith(p + '.')),
    );
  }

  record(code: CheckCode | string, operation: string, verdict: Verdict): void {
    if (!this.isSelected(code)) return;
    const key = `${code}\u0000${operation}`;
    if (verdict.ok) {
      const p = this.passes.get(key) ?? { count: 0 };
      p.count++;
      p.message ??= verdict.message;
      this.passes.set(key, p);
      return;
    }
    const failKey = `${key}\u0000${verdict.pointer ?? ''}\u0000${verdict.message}`;
    const existing = this.failures.get(failKey);
    if (existing) {
      existing.count++;
      return;
    }
    const sameRule = [...this.failures.keys()].filter((k) => k.startsWith(key + '\u0000')).length;
    if (sameRule >= DISTINCT_FAILURES) {
      const overflow = `${key}\u0000\u0000more`;
      const o = this.failures.get(overflow);
      if (o) o.count++;
      else
        this.failures.set(overflow, {
          ...this.line(code, operation, 'failed'),
          message: 'further failures of this rule (see the lines above)',
          count: 1,
        });
      return;
    }
    this.failures.set(failKey, {
      ...this.line(code, operation, 'failed'),
      message: cap(this.scrubber.scrub(verdict.message)),
      pointer: verdict.pointer ?? '',
      expected: cap(this.scrubber.scrubValue(verdict.expected)),
      received: cap(this.scrubber.scrubValue(verdict.received)),
      count: 1,
    });
  }

  /** A check that could not run, with the reason (a failed step it needed, a user's --skip). */
  skip(code: CheckCode, reason: string): void {
    if (!this.skips.has(code)) this.skips.set(code, reason);
  }

  /**
   * A check the configuration leaves out on purpose (e.g. `--fuzz-runs 0`): skipped with the
   * reason, and unlike a check that was not reached, it does not make the run incomplete.
   */
  notRun(code: CheckCode, reason: string): void {
    this.notRunByChoice.set(code, reason);
  }

  /** Selected checks that never ran although the configuration asked for them. */
  unreached(): CheckCode[] {
    const ran = new Set(
      [...this.passes.keys(), ...this.failures.keys()].map((k) => k.split('\u0000')[0]),
    );
    return CHECK_CODES.filter(
      (c) => this.selected.has(c) && !ran.has(c) && !this.notRunByChoice.has(c),
    );
  }

  hasFailures(): boolean {
    return this.failures.size > 0;
  }

  lines(): CheckResult[] {
    const out: CheckResult[] = [...this.failures.values()];
    const failedKeys = new Set(out.map((f) => `${f.code}\u0000${f.operation}`));
    const seenCodes = new Set(out.map((f) => f.code));
    for (const [key, p] of this.passes) {
      if (failedKeys.has(key)) continue;
      const [code, operation] = key.split('\u0000');
      seenCodes.add(code);
      out.push({
        ...this.line(code, operation, 'passed'),
        message: p.message ?? `checked ${p.count} time${p.count === 1 ? '' : 's'}`,
        count: p.count,
      });
    }
    for (const code of CHECK_CODES) {
      if (seenCodes.has(code)) continue;
      const reason = !this.selected.has(code)
        ? 'not selected (--only/--skip)'
        : (this.notRunByChoice.get(code) ??
          this.skips.get(code) ??
          'not reached: the steps it needs did not run');
      out.push({ ...this.line(code, '-', 'skipped'), message: reason, count: 0 });
    }
    const rank: Record<CheckStatus, number> = { failed: 0, skipped: 1, passed: 2 };
    const order = (c: string) => (isCheckCode(c) ? CHECK_CODES.indexOf(c) : -1);
    return out.sort((a, b) => rank[a.status] - rank[b.status] || order(a.code) - order(b.code));
  }

  private line(code: string, operation: string, status: CheckStatus): CheckResult {
    const title = isCheckCode(code) ? CHECKS[code].title : code;
    return {
      code,
      title,
      operation,
      status,
      message: '',
      pointer: '',
      expected: null,
      received: null,
      count: 0,
    };
  }
}
