import { isRfc3339DateTime, resolveFormat } from '../../src/spec';

describe('date-time: RFC 3339 with a required zone', () => {
  it.each([
    ['2026-01-14T15:56:29+00:00', true],
    ['2025-01-24T09:24:12.041Z', true],
    ['2025-01-24t09:24:12z', true],
    ['2024-02-29T00:00:00-03:00', true],
    ['2016-12-31T23:59:60Z', true],
    ['2016-12-31T20:59:60-03:00', true],
    ['2026-01-14T15:56:29', false],
    ['2025-01-24T09:24:12.041', false],
    ['2026-01-14 15:56:29+00:00', false],
    ['2026-01-14T15:56:29+0000', false],
    ['2026-01-14T15:56:29+00', false],
    ['2023-02-29T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-01-14T24:00:00Z', false],
    ['2026-01-14T12:00:60Z', false],
    ['2026-01-14', false],
    ['1705247789', false],
  ])('%s → %s', (value, ok) => {
    expect(isRfc3339DateTime(value)).toBe(ok);
  });
});

describe('numeric and other formats', () => {
  const check = (format: string, value: unknown) => {
    const r = resolveFormat(format);
    if (!r.enforced) throw new Error(`${format} is not enforced`);
    const f = r.rule.format as { validate: (v: unknown) => boolean } | RegExp;
    return f instanceof RegExp ? f.test(String(value)) : f.validate(value);
  };

  it.each([
    ['int32', 2147483647, true],
    ['int32', 2147483648, false],
    ['int32', 1.5, false],
    ['int64', 2 ** 53, true],
    ['int64', 0.5, false],
    ['float', 3.4e38, true],
    ['float', 3.5e38, false],
    ['double', 1e300, true],
    ['email', 'nathanael@bartoletti-streich.test', true],
    ['email', 'nathanael at example', false],
  ])('%s %p → %s', (format, value, ok) => {
    expect(check(format, value)).toBe(ok);
  });

  it('an unknown format is not enforced and says why', () => {
    expect(resolveFormat('serial-number')).toEqual({
      enforced: false,
      reason: 'a format the engine does not know',
    });
    expect(resolveFormat('(?-mix:a++)')).toMatchObject({
      enforced: false,
      reason: expect.stringMatching(/possessive/),
    });
  });
});
