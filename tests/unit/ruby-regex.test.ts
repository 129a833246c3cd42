import { translateRubyRegexp, RubyRegexpError, isRubyRegexpInspect } from '../../src/spec';

/**
 * Each row: the Ruby Regexp#inspect text, an input, what the engine's default (whole-string)
 * translation says, and what Ruby itself says (`'line'` mode reproduces Ruby).
 */
const TABLE: Array<[string, string, boolean, boolean]> = [
  // [inspect, input, engine (whole string), Ruby (line anchors)]
  ['(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)', 'tok_ez2A3DVldnawP', true, true],
  ['(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)', 'tok-ez2A3DVldnawP', false, false],
  ['(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)', '', false, false],
  // Ruby's ^ and $ match at any line: a second line smuggles anything past Ruby.
  ['(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)', 'tok_abc\n<script>', false, true],
  ['(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)', '<script>\ntok_abc', false, true],
  ['(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)', 'tok_abc\n', false, true],
  // \A and \z anchor the whole string in both modes.
  ['(?-mix:\\A[a-z]+\\z)', 'abc', true, true],
  ['(?-mix:\\A[a-z]+\\z)', 'abc\nxyz', false, false],
  ['(?-mix:\\A[a-z]+\\z)', 'abc\n', false, false],
  // \Z allows one final newline.
  ['(?-mix:\\A[a-z]+\\Z)', 'abc\n', true, true],
  ['(?-mix:\\A[a-z]+\\Z)', 'abc\n\n', false, false],
  // \h is a hex digit, inside and outside a class; \H is its complement.
  ['(?-mix:\\A\\h{5}\\z)', '4d06f', true, true],
  ['(?-mix:\\A\\h{5}\\z)', '4d06g', false, false],
  ['(?-mix:\\A[\\h-]+\\z)', 'ab-12', true, true],
  ['(?-mix:\\A\\H+\\z)', 'xyz', true, true],
  ['(?-mix:\\A\\H+\\z)', 'xaz', false, false],
  // i: ignore case.
  ['(?i-mx:^tok_[a-z]+$)', 'TOK_ABC', true, true],
  ['(?-mix:^tok_[a-z]+$)', 'TOK_ABC', false, false],
  // m: Ruby's multiline is "dot matches newline" (ECMAScript s).
  ['(?m-ix:\\Aa.b\\z)', 'a\nb', true, true],
  ['(?-mix:\\Aa.b\\z)', 'a\nb', false, false],
  // x: free-spacing, whitespace and comments are not part of the pattern.
  ['(?x-mi:\\A [a-z]+ _ \\d+ # a comment\n \\z)', 'tok_42', true, true],
  ['(?x-mi:\\A [a-z]+ _ \\d+ # a comment\n \\z)', 'tok _42', false, false],
  ['(?x-mi:\\A[ ]\\z)', ' ', true, true],
  ['(?mix:\\A T . K \\z)', 't\nk', true, true],
  // POSIX bracket expressions.
  ['(?-mix:\\A[[:alpha:]]+_[[:digit:]]+\\z)', 'tok_42', true, true],
  ['(?-mix:\\A[[:alpha:]]+_[[:digit:]]+\\z)', 'tok_4a', false, false],
  // Ruby's \e (escape) and named groups with back references.
  ['(?-mix:\\A\\e\\[0m\\z)', '\u001b[0m', true, true],
  ['(?-mix:\\A(?<q>[\'"])x\\k<q>\\z)', '"x"', true, true],
  ['(?-mix:\\A(?<q>[\'"])x\\k<q>\\z)', '"x\'', false, false],
  // Code points, not UTF-16 units, as Ruby on a UTF-8 string.
  ['(?-mix:^.$)', '😀', true, true],
  ['(?-mix:^.{3}$)', 'a😀', false, false],
  ['(?-mix:^.{2}$)', 'a😀', true, true],
  ['(?-mix:\\A[😀x]\\z)', '😀', true, true],
  ['(?-mix:\\A[^a]\\z)', '😀', true, true],
  ['(?-mix:\\A\\u{1F600}\\z)', '😀', true, true],
  // Ruby's . refuses only \n.
  ['(?-mix:\\A.\\z)', '\r', true, true],
  ['(?-mix:\\A.\\z)', '\u2028', true, true],
  ['(?-mix:\\A.\\z)', '\n', false, false],
  // POSIX classes are Unicode-aware as in Onigmo.
  ['(?-mix:\\A[[:alpha:]]\\z)', 'é', true, true],
  ['(?-mix:\\A[[:alpha:]]\\z)', '1', false, false],
  ['(?-mix:\\A[[:^alpha:]]\\z)', '1', true, true],
  ['(?-mix:\\A[[:^alpha:]]\\z)', 'é', false, false],
  ['(?-mix:\\A[[:upper:]][[:lower:]]\\z)', 'Éa', true, true],
  ['(?-mix:\\A[[:digit:]]\\z)', '\u0663', true, true],
  ['(?-mix:\\A[[:alnum:]]+\\z)', 'é\u0663a1', true, true],
  ['(?-mix:\\A[[:space:]]\\z)', '\u00a0', true, true],
  ['(?-mix:\\A[[:punct:]]+\\z)', '$+<=>^`|~!,', true, true],
  ['(?-mix:\\A[[:xdigit:]]\\z)', '\uff21', false, false],
  ['(?-mix:\\A[[:word:]]+\\z)', 'é_1', true, true],
  // \s, \d, \w and \h are ASCII.
  ['(?-mix:\\A\\s\\z)', '\u00a0', false, false],
  ['(?-mix:\\A\\s\\z)', '\v', true, true],
  ['(?-mix:\\A\\S\\z)', '\u00a0', true, true],
  ['(?-mix:\\A[\\s,]+\\z)', ' ,\t', true, true],
  ['(?-mix:\\A\\d\\z)', '\u0663', false, false],
  ['(?-mix:\\A\\w\\z)', 'é', false, false],
  ['(?-mix:\\A\\h\\z)', 'é', false, false],
  // Escaped punctuation stands for itself; a ] outside a class is a literal.
  ['(?-mix:\\Aa\\-b\\_c\\#\\z)', 'a-b_c#', true, true],
  ['(?-mix:\\A[\\w\\-]+\\z)', 'a-b', true, true],
  ['(?-mix:\\Aa]\\z)', 'a]', true, true],
];

describe('Ruby Regexp#inspect translation', () => {
  it.each(TABLE)('%j on %j: engine %s, Ruby %s', (inspect, input, engine, ruby) => {
    expect(translateRubyRegexp(inspect).regexp.test(input)).toBe(engine);
    expect(translateRubyRegexp(inspect, 'line').regexp.test(input)).toBe(ruby);
  });

  it('translates flags to ECMAScript flags', () => {
    expect(translateRubyRegexp('(?-mix:a)').flags).toBe('u');
    expect(translateRubyRegexp('(?i-mx:a)').flags).toBe('iu');
    expect(translateRubyRegexp('(?m-ix:a)').flags).toBe('su');
    expect(translateRubyRegexp('(?mi-x:a)', 'line').flags).toBe('imsu');
  });

  it.each([
    ['(?-mix:a++)', /possessive/],
    ['(?-mix:(?>a)b)', /atomic/],
    ['(?-mix:(?i:a)b)', /inline flag/],
    ['(?-mix:\\Ga)', /\\G/],
    ['(?-mix:[[:foo:]])', /POSIX class/],
    ['(?-mix:[a-z&&[^aeiou]])', /nested|intersection/],
    ['(?i-i:a)', /both on and off/],
    ['(?-mix:\\A\\p{Alpha}+\\z)', /Unicode property/],
    ['(?-mix:(?<x>a)\\g<x>)', /subexpression calls/],
    ['(?-mix:(?~abc))', /absence operator/],
    ['(?-mix:[[:graph:]])', /POSIX class \[:graph:\]/],
    ['(?-mix:[[:^alnum:]])', /POSIX class \[:\^alnum:\]/],
    ['(?-mix:[\\S,])', /\\S inside a character class/],
    ['(?-mix:\\q)', /escape \\q/],
    ['(?-mix:\\012)', /octal/],
    ['(?-mix:a{,3})', /not a valid ECMAScript RegExp/],
    ['^[a-z]+$', /not a Ruby Regexp#inspect/],
  ])('refuses %j, naming the construct', (inspect, why) => {
    expect(() => translateRubyRegexp(inspect)).toThrow(RubyRegexpError);
    expect(() => translateRubyRegexp(inspect)).toThrow(why);
  });

  it('recognises inspect strings and nothing else', () => {
    expect(isRubyRegexpInspect('(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)')).toBe(true);
    expect(isRubyRegexpInspect('(?i:abc)')).toBe(true);
    expect(isRubyRegexpInspect('date-time')).toBe(false);
    expect(isRubyRegexpInspect('(abc)')).toBe(false);
  });
});
