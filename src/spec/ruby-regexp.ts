/**
 * Ruby `Regexp#inspect` strings used as OpenAPI formats, e.g. `(?-mix:^[a-zA-Z]+_[a-zA-Z0-9]+$)`,
 * translated into ECMAScript RegExps so the format is enforced instead of silently ignored.
 *
 * Ruby writes a regexp as `(?on-off:source)`: `m` is Ruby's "dot matches newline" (ECMAScript `s`),
 * `i` ignores case, `x` is free-spacing (whitespace and `#` comments are not part of the pattern).
 * Ruby's `^` and `$` always match at line boundaries. A format is a claim about the whole value, so
 * by default (`anchors: 'string'`) `^` and `$` anchor at the start and end of the whole string: a
 * multi-line value such as `"tok_abc\nxyz"` fails where Ruby would accept it. `anchors: 'line'`
 * gives Ruby's own behaviour, for callers that want to reproduce it.
 *
 * The RegExp is compiled with ECMAScript's `u` flag, so it works on code points as Ruby does on a
 * UTF-8 string (`.` matches one emoji, `{3}` counts code points). Ruby's own meanings are kept
 * where ECMAScript's differ: `.` refuses only `\n`; `\s` is `[ \t\r\n\f\v]`; `\d`, `\w` and `\h`
 * are ASCII; POSIX bracket classes are Unicode-aware as in Onigmo (`[[:alpha:]]` is
 * `\p{Alphabetic}`). A construct with no faithful translation throws RubyRegexpError.
 */
export type AnchorMode = 'string' | 'line';

export interface RubyRegexp {
  /** The `Regexp#inspect` text as it appears in the spec. */
  inspect: string;
  /** ECMAScript source equivalent to the Ruby source. */
  source: string;
  /** ECMAScript flags. */
  flags: string;
  regexp: RegExp;
}

/** A Ruby regexp the engine cannot translate faithfully; the message says which construct. */
export class RubyRegexpError extends Error {}

const INSPECT = /^\(\?([mix]*)(?:-([mix]*))?:([\s\S]*)\)$/;

/** True when the text has the shape of a Ruby `Regexp#inspect` string. */
export function isRubyRegexpInspect(text: string): boolean {
  return INSPECT.test(text);
}

/**
 * POSIX bracket classes as Onigmo defines them for a Unicode string (enc/unicode: Alpha is the
 * Alphabetic property, Upper/Lower the Uppercase/Lowercase properties, Digit is Nd, Space is
 * White_Space, Blank is Zs and tab, Cntrl is Cc, Punct is P plus the ASCII symbols
 * `$+<=>^`|~`, Word is Alpha, M, Nd and Pc, XDigit is ASCII). `negated` is the complement where
 * one ECMAScript class item can express it inside a bracket; [:graph:] and [:print:] have none.
 */
const POSIX_CLASSES: Record<string, { cls: string; negated?: string }> = {
  alpha: { cls: '\\p{Alphabetic}', negated: '\\P{Alphabetic}' },
  digit: { cls: '\\p{Nd}', negated: '\\P{Nd}' },
  alnum: { cls: '\\p{Alphabetic}\\p{Nd}' },
  upper: { cls: '\\p{Uppercase}', negated: '\\P{Uppercase}' },
  lower: { cls: '\\p{Lowercase}', negated: '\\P{Lowercase}' },
  xdigit: { cls: '0-9a-fA-F' },
  space: { cls: '\\p{White_Space}', negated: '\\P{White_Space}' },
  blank: { cls: '\\p{Zs}\\t' },
  word: { cls: '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}' },
  punct: { cls: '\\p{P}$+<=>\\^`|~' },
  cntrl: { cls: '\\p{Cc}', negated: '\\P{Cc}' },
};

/** Ruby's `\s`: ASCII whitespace only (not NBSP or other Unicode spaces). */
const RUBY_SPACE = ' \\t\\r\\n\\f\\v';

/** Characters ECMAScript's `u` flag lets (and requires) a backslash to escape as themselves. */
const SYNTAX_CHARACTERS = '^$\\.*+?()[]{}|/';

/**
 * Translates `(?flags-flags:source)` into an ECMAScript RegExp. Throws RubyRegexpError for text
 * that is not an inspect string or uses a construct ECMAScript cannot express (possessive
 * quantifiers, atomic groups, inline flag groups, `\G`, unknown POSIX classes).
 */
export function translateRubyRegexp(inspect: string, anchors: AnchorMode = 'string'): RubyRegexp {
  const m = INSPECT.exec(inspect);
  if (!m) throw new RubyRegexpError(`"${inspect}" is not a Ruby Regexp#inspect string`);
  const on = m[1];
  const off = m[2] ?? '';
  for (const f of on) {
    if (off.includes(f)) throw new RubyRegexpError(`flag "${f}" is both on and off`);
  }
  let source = m[3];
  if (on.includes('x')) source = stripFreeSpacing(source);
  const translated = translateSource(source, on.includes('m'));
  let flags = 'u';
  if (on.includes('i')) flags += 'i';
  if (on.includes('m')) flags += 's';
  if (anchors === 'line') flags += 'm';
  let regexp: RegExp;
  try {
    regexp = new RegExp(translated, flags);
  } catch (err) {
    throw new RubyRegexpError(
      `the translated pattern /${translated}/${flags} is not a valid ECMAScript RegExp: ${(err as Error).message}`,
    );
  }
  return { inspect, source: translated, flags: regexp.flags, regexp };
}

/** Ruby's `x` flag: unescaped whitespace and `#` comments outside character classes are dropped. */
function stripFreeSpacing(src: string): string {
  let out = '';
  let inClass = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === '[') inClass++;
      if (c === ']') inClass--;
      out += c;
    } else if (c === '[') {
      inClass = 1;
      out += c;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

// `^` and `$` carry over unchanged: without ECMAScript's `m` flag they anchor at the ends of the
// string ('string' mode); `translateRubyRegexp` adds `m` for Ruby's line anchors ('line' mode).
function translateSource(src: string, dotAll: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '\\') {
      if (next === undefined) throw new RubyRegexpError('the pattern ends with a lone backslash');
      i++;
      if (/[1-9]/.test(next) && /[0-9]/.test(src[i + 1] ?? '')) {
        throw new RubyRegexpError(`octal escapes such as \\${next}${src[i + 1]} are not supported`);
      }
      if (next === '0' && /[0-9]/.test(src[i + 1] ?? '')) {
        throw new RubyRegexpError('octal escapes such as \\0nn are not supported');
      }
      out += translateEscape(next, inClass);
      continue;
    }
    if (inClass) {
      if (c === '[' && next === ':') {
        const end = src.indexOf(':]', i + 2);
        if (end < 0) throw new RubyRegexpError('unterminated POSIX bracket expression');
        let name = src.slice(i + 2, end);
        const negated = name.startsWith('^');
        if (negated) name = name.slice(1);
        const posix = POSIX_CLASSES[name];
        const cls = negated ? posix?.negated : posix?.cls;
        if (!cls) {
          throw new RubyRegexpError(
            `POSIX class [:${negated ? '^' : ''}${name}:] is not supported`,
          );
        }
        out += cls;
        i = end + 1;
        continue;
      }
      if (c === '[') throw new RubyRegexpError('nested character classes are not supported');
      if (c === '&' && next === '&') {
        throw new RubyRegexpError('character class intersection (&&) is not supported');
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (next === '^') {
        out += '^';
        i++;
      }
      // A leading `]` is a literal in Ruby; ECMAScript needs it escaped.
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && next === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('>'))
        throw new RubyRegexpError('atomic groups (?>...) are not supported');
      if (/^[mix-]+[:)]/.test(rest)) {
        throw new RubyRegexpError('inline flag groups such as (?i:...) are not supported');
      }
      if (rest.startsWith('#')) {
        throw new RubyRegexpError('comment groups (?#...) are not supported');
      }
      if (rest.startsWith('~')) {
        throw new RubyRegexpError('the absence operator (?~...) is not supported');
      }
      if (rest.startsWith('(')) {
        throw new RubyRegexpError('conditionals (?(cond)...) are not supported');
      }
      out += c;
      continue;
    }
    if (c === '+' && i > 0 && /[*+?}]/.test(src[i - 1]) && src[i - 2] !== '\\') {
      throw new RubyRegexpError('possessive quantifiers (*+, ++, ?+) are not supported');
    }
    // Ruby's `.` refuses only `\n`; ECMAScript's also refuses `\r`, U+2028 and U+2029.
    if (c === '.' && !dotAll) {
      out += '[^\\n]';
      continue;
    }
    // A `]` outside a class is a literal in Ruby; the `u` flag needs it escaped.
    if (c === ']') {
      out += '\\]';
      continue;
    }
    out += c;
  }
  if (inClass) throw new RubyRegexpError('unterminated character class');
  return out;
}

function translateEscape(c: string, inClass: boolean): string {
  switch (c) {
    case 'A':
      // Start of the string, whatever the anchor mode.
      return inClass ? 'A' : '(?<![\\s\\S])';
    case 'z':
      return inClass ? 'z' : '(?![\\s\\S])';
    case 'Z':
      // End of the string, or before a final newline.
      return inClass ? 'Z' : '(?=\\n?(?![\\s\\S]))';
    case 'h':
      return inClass ? '0-9a-fA-F' : '[0-9a-fA-F]';
    case 'H':
      if (inClass) throw new RubyRegexpError('\\H inside a character class is not supported');
      return '[^0-9a-fA-F]';
    case 'G':
      throw new RubyRegexpError('\\G is not supported');
    case 'K':
      throw new RubyRegexpError('\\K is not supported');
    case 'R':
      return inClass ? 'R' : '(?:\\r\\n|[\\n\\v\\f\\r\\u0085\\u2028\\u2029])';
    case 'X':
      throw new RubyRegexpError('\\X is not supported');
    case 'p':
    case 'P':
      // Ruby's property names and ECMAScript's differ (\p{Alpha}, \p{Greek}, \p{^L}).
      throw new RubyRegexpError(`Unicode property classes (\\${c}{...}) are not supported`);
    case 'g':
      throw new RubyRegexpError('subexpression calls (\\g<name>) are not supported');
    case 's':
      return inClass ? RUBY_SPACE : `[${RUBY_SPACE}]`;
    case 'S':
      if (inClass) throw new RubyRegexpError('\\S inside a character class is not supported');
      return `[^${RUBY_SPACE}]`;
    case 'e':
      return '\\x1b';
    case 'a':
      return '\\x07';
    case 'u':
    case 'x':
    case 'c':
    case 'k':
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'b':
    case 'B':
    case 'n':
    case 'r':
    case 't':
    case 'f':
    case 'v':
    case '0':
      if (inClass && (c === 'b' || c === 'B' || c === 'k')) {
        throw new RubyRegexpError(`\\${c} inside a character class is not supported`);
      }
      return '\\' + c;
    default:
      if (/[0-9]/.test(c)) return '\\' + c; // a back reference
      if (/[A-Za-z]/.test(c)) throw new RubyRegexpError(`the escape \\${c} is not supported`);
      if (SYNTAX_CHARACTERS.includes(c) || (inClass && c === '-')) return '\\' + c;
      // Any other escaped character stands for itself (`\-`, `\_`, `\ `, `\#`...).
      return c;
  }
}
