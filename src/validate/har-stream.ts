/**
 * Streams the entries of a HAR file (`{"log": {"entries": [ ... ]}}`) one at a time, so a capture
 * of any size is checked in flat memory. Everything outside `log.entries` is checked for JSON
 * syntax and skipped; each entry's text is handed over whole, to be parsed with JSON.parse.
 *
 * Written by hand because the one maintained streaming JSON library (stream-json 3) is published
 * as ES modules only, which this CommonJS project cannot `require`.
 */

/** A JSON syntax error in the HAR, with 1-based line and column. */
export class HarSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

/** Valid JSON, but not shaped like a HAR. */
export class NotHarError extends Error {}

export interface HarEntryText {
  /** 0-based index in `log.entries`. */
  index: number;
  /** The entry's JSON text. */
  text: string;
  /** Line of the file where the entry starts. */
  line: number;
}

type Expect = 'value' | 'keyOrEnd' | 'key' | 'colon' | 'valueOrEnd' | 'commaOrEnd' | 'end';

interface Frame {
  kind: 'object' | 'array';
  /** Which HAR level this container is, when it is one. */
  role: 'root' | 'log' | 'entries' | null;
  key: string;
}

const LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
const LITERAL_CHAR = /[-+.0-9a-zA-Z]/;

export async function* harEntries(chunks: AsyncIterable<string>): AsyncGenerator<HarEntryText> {
  const stack: Frame[] = [];
  let expect: Expect = 'value';
  let line = 1;
  let col = 0;
  let sawEntries = false;
  let index = 0;

  // A string or literal being read outside an entry (it may span chunks).
  let inString = false;
  let escape = false;
  let stringIsKey = false;
  let key = '';
  let literal = '';

  // An entry being captured.
  let capturing = false;
  let capDepth = 0;
  let capInString = false;
  let capEscape = false;
  let capLiteral = false;
  let capParts: string[] = [];
  let capLine = 0;
  /** Where the entry being captured starts in the current chunk (0 when it began earlier). */
  let capFrom = -1;

  const fail = (reason: string): never => {
    throw new HarSyntaxError(reason, line, col);
  };

  for await (const chunk of chunks) {
    const ready: HarEntryText[] = [];
    capFrom = capturing ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === '\n') {
        line++;
        col = 0;
      } else {
        col++;
      }

      if (capturing) {
        let done = false;
        if (capLiteral) {
          if (!LITERAL_CHAR.test(c)) {
            // The delimiter belongs to the array: end the entry before it and re-read it.
            capParts.push(chunk.slice(capFrom, i));
            done = true;
            i--;
            if (c === '\n') line--;
            else col--;
          }
        } else if (capInString) {
          if (capEscape) capEscape = false;
          else if (c === '\\') capEscape = true;
          else if (c === '"') {
            capInString = false;
            if (capDepth === 0) done = true;
          }
        } else if (c === '"') capInString = true;
        else if (c === '{' || c === '[') capDepth++;
        else if (c === '}' || c === ']') {
          capDepth--;
          if (capDepth === 0) done = true;
        }
        if (done) {
          if (!capLiteral) capParts.push(chunk.slice(capFrom, i + 1));
          ready.push({ index: index++, text: capParts.join(''), line: capLine });
          capturing = false;
          capLiteral = false;
          capParts = [];
          capFrom = -1;
          expect = 'commaOrEnd';
        }
        continue;
      }

      if (inString) {
        if (escape) {
          escape = false;
          if (stringIsKey) key += c;
        } else if (c === '\\') {
          escape = true;
          if (stringIsKey) key += c;
        } else if (c === '"') {
          inString = false;
          if (stringIsKey) {
            stack[stack.length - 1].key = JSON.parse(`"${key}"`) as string;
            expect = 'colon';
          } else {
            expect = afterValue(stack);
          }
        } else if (c < ' ') {
          fail('control character in a string');
        } else if (stringIsKey) key += c;
        continue;
      }

      if (literal) {
        if (LITERAL_CHAR.test(c)) {
          literal += c;
          continue;
        }
        if (!LITERAL.test(literal)) fail(`invalid value "${literal}"`);
        literal = '';
        expect = afterValue(stack);
      }

      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;

      switch (expect) {
        case 'end':
          fail('unexpected text after the end of the document');
          break;
        case 'colon':
          if (c !== ':') fail('colon expected');
          expect = 'value';
          break;
        case 'keyOrEnd':
        case 'key':
          if (c === '}' && expect === 'keyOrEnd') {
            closeContainer('object');
          } else if (c === '"') {
            inString = true;
            stringIsKey = true;
            key = '';
          } else fail('property name expected');
          break;
        case 'commaOrEnd': {
          const top = stack[stack.length - 1];
          if (c === ',') expect = top.kind === 'object' ? 'key' : 'value';
          else if (c === '}' && top.kind === 'object') closeContainer('object');
          else if (c === ']' && top.kind === 'array') closeContainer('array');
          else fail(top.kind === 'object' ? 'comma or "}" expected' : 'comma or "]" expected');
          break;
        }
        case 'valueOrEnd':
          if (c === ']') closeContainer('array');
          else startValue(c, i);
          break;
        case 'value':
          startValue(c, i);
          break;
      }
    }
    if (capturing && capFrom >= 0) capParts.push(chunk.slice(capFrom));
    for (const e of ready) yield e;
  }
  if (literal) {
    if (!LITERAL.test(literal)) fail(`invalid value "${literal}"`);
    expect = afterValue(stack);
  }
  if (capturing || inString || stack.length || expect !== 'end') {
    fail('unexpected end of the file');
  }
  if (!sawEntries) throw new NotHarError('it has no log.entries array');

  function startValue(c: string, i: number): void {
    const parent = stack[stack.length - 1];
    if (parent?.role === 'entries') {
      capturing = true;
      capLine = line;
      capFrom = i;
      capDepth = c === '{' || c === '[' ? 1 : 0;
      capInString = c === '"';
      capLiteral = !capInString && capDepth === 0;
      if (capLiteral && !LITERAL_CHAR.test(c)) fail('value expected');
      return;
    }
    const role = roleOf(parent);
    if (c === '{') {
      stack.push({ kind: 'object', role: role === 'entries' ? null : role, key: '' });
      expect = 'keyOrEnd';
    } else if (c === '[') {
      if (role === 'entries') sawEntries = true;
      stack.push({ kind: 'array', role: role === 'entries' ? 'entries' : null, key: '' });
      expect = 'valueOrEnd';
    } else if (!parent) {
      throw new NotHarError('the top level is not an object');
    } else if (c === '"') {
      inString = true;
      stringIsKey = false;
    } else if (LITERAL_CHAR.test(c)) {
      literal = c;
    } else fail('value expected');
  }

  function closeContainer(kind: Frame['kind']): void {
    const top = stack.pop();
    if (!top || top.kind !== kind) fail(`unexpected "${kind === 'object' ? '}' : ']'}"`);
    expect = afterValue(stack);
  }
}

function afterValue(stack: Frame[]): Expect {
  return stack.length ? 'commaOrEnd' : 'end';
}

/** The HAR role of a value about to start inside `parent`. */
function roleOf(parent: Frame | undefined): Frame['role'] {
  if (!parent) return 'root';
  if (parent.kind !== 'object') return null;
  if (parent.role === 'root' && parent.key === 'log') return 'log';
  if (parent.role === 'log' && parent.key === 'entries') return 'entries';
  return null;
}
