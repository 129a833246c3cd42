import type { Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats';
import { isRubyRegexpInspect, RubyRegexpError, translateRubyRegexp } from './ruby-regexp';

/**
 * The formats the engine enforces. Anything else fails closed: createEngine refuses a spec that
 * uses an unknown format unless the user names it in `allowFormats`, and then reports it as not
 * enforced. Each entry carries the rule as a person reads it, used as a finding's `expected`.
 */
export interface FormatRule {
  /** ajv format definition. */
  format: Format;
  /** The rule, e.g. `format date-time (RFC 3339 with offset or Z)`. */
  rule: string;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/**
 * RFC 3339 `date-time`: a zone (`Z` or `±hh:mm`) is required, so both the spec's example styles
 * (`2026-01-14T15:56:29+00:00`, `2025-01-24T09:24:12.041Z`) pass and a naive timestamp fails.
 * A leap second is accepted only where it can occur (23:59:60 UTC).
 */
export function isRfc3339DateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  if (d > (mo === 2 && isLeapYear(y) ? 29 : DAYS[mo - 1])) return false;
  if (h > 23 || mi > 59 || s > 60) return false;
  const offH = m[8] === undefined ? 0 : Number(m[8]);
  const offM = m[9] === undefined ? 0 : Number(m[9]);
  if (offH > 23 || offM > 59) return false;
  if (s === 60) {
    const sign = m[7] === '-' ? -1 : 1;
    const utcMinutes = (((h * 60 + mi - sign * (offH * 60 + offM)) % 1440) + 1440) % 1440;
    return utcMinutes === 23 * 60 + 59;
  }
  return true;
}

const FLOAT_MAX = 3.4028234663852886e38;

const BUILTIN: Record<string, FormatRule> = {
  'date-time': {
    format: { type: 'string', validate: isRfc3339DateTime },
    rule: 'format date-time (RFC 3339 with offset or Z)',
  },
  date: { format: fullFormats.date, rule: 'format date (RFC 3339 full-date, YYYY-MM-DD)' },
  email: { format: fullFormats.email, rule: 'format email (RFC 5321 address)' },
  uri: { format: fullFormats.uri, rule: 'format uri (RFC 3986 absolute URI)' },
  uuid: { format: fullFormats.uuid, rule: 'format uuid (RFC 4122)' },
  ipv4: { format: fullFormats.ipv4, rule: 'format ipv4 (dotted quad)' },
  ipv6: { format: fullFormats.ipv6, rule: 'format ipv6 (RFC 4291)' },
  hostname: { format: fullFormats.hostname, rule: 'format hostname (RFC 1123)' },
  byte: { format: fullFormats.byte, rule: 'format byte (base64)' },
  int32: {
    format: {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1,
    },
    rule: 'format int32 (integer from -2^31 to 2^31-1)',
  },
  int64: {
    // JSON numbers beyond 2^53 are already rounded by the parser; the check is that the value is
    // an integer within the 64-bit range.
    format: {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 63,
    },
    rule: 'format int64 (integer from -2^63 to 2^63-1)',
  },
  float: {
    format: {
      type: 'number',
      validate: (n: number) => Number.isFinite(n) && Math.abs(n) <= FLOAT_MAX,
    },
    rule: 'format float (finite, within single precision range ±3.4028235e38)',
  },
  double: {
    format: { type: 'number', validate: (n: number) => Number.isFinite(n) },
    rule: 'format double (finite number)',
  },
};

export type FormatResolution =
  { enforced: true; rule: FormatRule } | { enforced: false; reason: string };

/** How the engine treats a format name: enforced with a rule, or why it cannot be. */
export function resolveFormat(name: string): FormatResolution {
  const builtin = BUILTIN[name];
  if (builtin) return { enforced: true, rule: builtin };
  if (isRubyRegexpInspect(name)) {
    try {
      const rx = translateRubyRegexp(name);
      const regexp = rx.regexp;
      return {
        enforced: true,
        rule: {
          format: { type: 'string', validate: (s: string) => regexp.test(s) },
          rule: `format ${name} (Ruby regexp, as /${rx.source}/${rx.flags} on the whole value)`,
        },
      };
    } catch (err) {
      if (err instanceof RubyRegexpError) {
        return {
          enforced: false,
          reason: `a Ruby regexp the engine cannot translate: ${err.message}`,
        };
      }
      throw err;
    }
  }
  return { enforced: false, reason: 'a format the engine does not know' };
}

/** Names of the standard formats the engine enforces (Ruby regexp formats come on top). */
export const ENFORCED_FORMATS: readonly string[] = Object.keys(BUILTIN);
