import { redactToken, SecretScrubber, REDACTED } from '../../src/redact';

describe('redaction', () => {
  const token = 'a'.repeat(31) + 'b4c9e';

  it('keeps only the marker and the last 5 characters of a token', () => {
    expect(redactToken(token)).toBe(`${REDACTED}…b4c9e`);
    expect(redactToken('short')).toBe(REDACTED);
  });

  it('scrubs registered secrets, Authorization values and 36-hex tokens from text', () => {
    const s = new SecretScrubber(['my-secret-value-123']);
    const out = s.scrub(
      `x my-secret-value-123 y; Authorization: Bearer abcdefghijklmnop; token ${'0f'.repeat(18)}`,
    );
    expect(out).not.toContain('my-secret-value-123');
    expect(out).not.toContain('abcdefghijklmnop');
    expect(out).not.toContain('0f'.repeat(18));
    expect(out).toContain(REDACTED);
  });

  it('redacts token-like keys in JSON values', () => {
    const s = new SecretScrubber();
    const v = s.scrubValue({
      data: { attributes: { token: 'zzzzzzzzzzzzzzzzzz12345', name: 'n' } },
    });
    expect(v.data.attributes.token).toBe(`${REDACTED}…12345`);
    expect(v.data.attributes.name).toBe('n');
  });
});
