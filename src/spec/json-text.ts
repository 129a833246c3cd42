import { parse, ParseError, printParseErrorCode } from 'jsonc-parser';

/** A JSON syntax error with a 1-based line and column. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

/**
 * JSON.parse, and on failure the position of the first error. Node 20's JSON.parse names no
 * position, so the text is re-read with jsonc-parser (strict: no comments, no trailing commas)
 * only when it fails, which keeps the common path as fast as JSON.parse.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    if (!first) throw new JsonSyntaxError(jsonErrorWithoutExcerpt(err as Error), 1, 1);
    const { line, column } = lineColumn(text, first.offset);
    throw new JsonSyntaxError(describe(printParseErrorCode(first.error)), line, column);
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function describe(code: string): string {
  // `PropertyNameExpected` → `property name expected`
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * JSON.parse's message without the text of the input V8 quotes into it (`Unexpected token 'e',
 * "e4c0562458"... is not valid JSON`): that excerpt bypasses any scrubbing of the input, and can be
 * the start of a token or secret.
 */
export function jsonErrorWithoutExcerpt(err: Error): string {
  const m = err.message;
  if (!/is not valid JSON\s*$/.test(m)) return m;
  return /^Unexpected token/.test(m) ? 'Unexpected token: not valid JSON' : 'not valid JSON';
}
