import { parsePact } from '../../src/contracts/pact-file';
import { jsonErrorWithoutExcerpt, JsonSyntaxError, parseJsonText } from '../../src/spec/json-text';

/** JSON.parse quotes the start of its input into its message; none of that may be reported. */
const TOKEN = 'e4c0562458abcdef0123456789abcdef';

function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (err) {
    return err as Error;
  }
  throw new Error('parsed');
}

describe('jsonErrorWithoutExcerpt', () => {
  it('drops the quoted excerpt and the quoted token', () => {
    const message = jsonErrorWithoutExcerpt(parseError(`${TOKEN} is your token`));
    expect(message).toBe('Unexpected token: not valid JSON');
    expect(message).not.toContain(TOKEN.slice(0, 4));
  });

  it('keeps messages that quote nothing', () => {
    expect(jsonErrorWithoutExcerpt(parseError('{"a":1} x'))).toMatch(/at position 8/);
  });
});

describe('a pact file that is not JSON', () => {
  it('names the file without quoting its first characters', () => {
    expect(() => parsePact(`${TOKEN} is not a pact`, 'pact.json')).toThrow(
      /^pact\.json is not JSON, so not a pact file: Unexpected token: not valid JSON$/,
    );
    expect(() => parsePact(`${TOKEN} is not a pact`, 'pact.json')).not.toThrow(/e4c05/);
  });
});

describe('parseJsonText', () => {
  it('reports a syntax error with no excerpt of the text', () => {
    let err: unknown;
    try {
      parseJsonText(`${TOKEN}`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonSyntaxError);
    expect((err as Error).message).not.toContain(TOKEN.slice(0, 5));
  });
});
