import { randomBytes } from 'node:crypto';
import { FAKE_TOKENS, SPEC_EXAMPLE_TOKENS } from '../../src/contracts/fixtures';
import { isKnownFakeToken } from '../../src/pact/fake-tokens';

describe('isKnownFakeToken: which credentials a published contract may hold', () => {
  it.each([
    ...SPEC_EXAMPLE_TOKENS,
    ...Object.values(FAKE_TOKENS),
    `Bearer ${FAKE_TOKENS.caller}`,
    'Bearer 54ebfcfa2ad7f9fe0d4e081306554174d063',
  ])('accepts the known example %s', (value) => {
    expect(isKnownFakeToken(value)).toBe(true);
  });

  it.each([
    'my-FAKE-token',
    'Bearer example-token',
    'dummy',
    'placeholder-for-ci',
    '[REDACTED]',
    'Bearer invalid-token-for-401',
    'expired_key_1',
    'revoked-key',
  ])('accepts %s, which says it is fake', (value) => {
    expect(isKnownFakeToken(value)).toBe(true);
  });

  it.each([
    '000000000000000000000000000000000000',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'abababababababababababababababababab',
    '1234-1234-1234-1234',
    '0000000000000000000000000000000abcde',
    'Bearer 00000000-0000-0000-0000-000000000000',
    '',
  ])('accepts the visibly made-up pattern "%s"', (value) => {
    expect(isKnownFakeToken(value)).toBe(true);
  });

  it.each([
    ['a random 36-hex token', randomBytes(18).toString('hex')],
    ['the same as a bearer credential', `Bearer ${randomBytes(18).toString('hex')}`],
    [
      'a random base64url secret',
      randomBytes(24)
        .toString('base64url')
        .replace(/fake|example|dummy/gi, 'x'),
    ],
    ['a short real-looking value', 'k9Xq2mZ7'],
    ['an example token with one character changed', '54ebfcfa2ad7f9fe0d4e081306554174d064'],
  ])('refuses %s', (_name, value) => {
    expect(isKnownFakeToken(value)).toBe(false);
  });
});
