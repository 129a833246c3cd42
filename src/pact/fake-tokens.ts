import { FAKE_TOKENS, SPEC_EXAMPLE_TOKENS } from '../contracts/fixtures';

/**
 * Which credential-looking values a published contract may carry. A pact is public to everyone
 * who can read the broker, so it must only hold tokens that are visibly not real. The rule, in
 * order (the first that holds makes a value fake):
 *
 * 1. it is one of KNOWN_FAKE_TOKENS: the spec's published example tokens and the fake tokens the
 *    consumer tests write into contracts/ (src/contracts/fixtures.ts);
 * 2. it contains one of FAKE_MARKERS (`fake`, `example`, `dummy`, …), case-insensitively;
 * 3. it is a visibly made-up pattern: one unit of at most 4 characters repeated (`0000…`,
 *    `abab…`, `1234 1234…`), or it holds a run of 16 or more identical characters
 *    (`000…0abcde`, a zero-padded last slice).
 *
 * An optional auth scheme (`Bearer `, `Basic `, `Token `) is ignored, and so are `-`, `_`, `.` and
 * `:` when looking for patterns. An empty value holds no secret. Anything else is treated as real.
 */

/** Exact values known to be fake. */
export const KNOWN_FAKE_TOKENS: readonly string[] = [
  ...SPEC_EXAMPLE_TOKENS,
  ...Object.values(FAKE_TOKENS),
];

/** Words that make a value visibly fake wherever they appear in it. */
export const FAKE_MARKERS: readonly string[] = [
  'fake',
  'example',
  'dummy',
  'placeholder',
  'redacted',
  'invalid',
  'expired',
  'revoked',
  'not-a-real',
];

const SCHEME = /^(bearer|basic|token)\s+/i;
// Sixteen identical characters in a row: about 1 in 10^17 for a random 36-hex token.
const LONG_RUN = /(.)\1{15,}/;

/** True when the value (an Authorization value or a token) is a known or visibly fake example. */
export function isKnownFakeToken(value: string): boolean {
  const bare = value.trim().replace(SCHEME, '');
  if (bare === '') return true;
  if (KNOWN_FAKE_TOKENS.includes(bare)) return true;
  const lower = bare.toLowerCase();
  if (FAKE_MARKERS.some((m) => lower.includes(m))) return true;
  const compact = lower.replace(/[-_.:]/g, '');
  return isRepeatedUnit(compact) || LONG_RUN.test(compact);
}

function isRepeatedUnit(s: string): boolean {
  for (let n = 1; n <= 4 && n < s.length; n++) {
    if (s.length % n === 0 && s.slice(0, n).repeat(s.length / n) === s) return true;
  }
  return false;
}
