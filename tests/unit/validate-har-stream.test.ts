import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harEntries, HarSyntaxError, NotHarError } from '../../src/validate/har-stream';

const CAPTURE = readFileSync(join(__dirname, '../fixtures/traffic/capture.har'), 'utf8');

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function entries(text: string, size = 5) {
  const out = [];
  for await (const e of harEntries(chunks(text, size))) out.push(e);
  return out;
}

async function failure(text: string, size = 3): Promise<Error> {
  try {
    await entries(text, size);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('harEntries streams log.entries one at a time', () => {
  it.each([1, 7, 64, 1 << 20])(
    'yields each entry whole, whatever the chunk size (%d)',
    async (size) => {
      const got = await entries(CAPTURE, size);
      const expected = JSON.parse(CAPTURE).log.entries;
      expect(got.map((e) => JSON.parse(e.text))).toEqual(expected);
      expect(got.map((e) => e.index)).toEqual([0, 1]);
      // Each entry's line is where its text starts in the file.
      for (const e of got) expect(CAPTURE.split('\n')[e.line - 1]).toMatch(/^\s*\{/);
    },
  );

  it('skips everything outside the entries, strings with brackets and escapes included', async () => {
    const text =
      '{"log": {"creator": {"name": "x}]\\"["}, "pages": [[], {}], "entries": [' +
      '{"a": "\\"}]"}, [1, {"b": null}], "s", -1.5e3, true], "comment": "after"}, "z": [null]}';
    expect((await entries(text, 2)).map((e) => e.text)).toEqual([
      '{"a": "\\"}]"}',
      '[1, {"b": null}]',
      '"s"',
      '-1.5e3',
      'true',
    ]);
  });

  it('reads an empty entries array as a HAR with no entries', async () => {
    expect(await entries('{"log": {"version": "1.2", "entries": []}}')).toEqual([]);
  });

  it.each([
    ['{"log": {"entries": [,]}}', 'value expected', 1, 22],
    ['{\n  "log": {\n    "entries": [{"a": 1}]\n  }', 'unexpected end of the file', 4, 3],
    ['{"log": {"entries": []}} x', 'unexpected text after the end of the document', 1, 26],
    ['{"log": {"entries": []}, "b": tru}', 'invalid value "tru"', 1, 34],
    ['{"log": {"entries": []} "b": 1}', 'comma or "}" expected', 1, 25],
    ['{"log" {"entries": []}}', 'colon expected', 1, 8],
    ["{'log': 1}", 'property name expected', 1, 2],
  ])('%j is a syntax error: %s at %d:%d', async (text, reason, line, column) => {
    const err = await failure(text);
    expect(err).toBeInstanceOf(HarSyntaxError);
    expect(err).toMatchObject({ reason, line, column });
  });

  it.each([
    ['[{"log": {"entries": []}}]', 'it has no log.entries array'],
    ['{"entries": []}', 'it has no log.entries array'],
    ['{"log": {"entries": {}}}', 'it has no log.entries array'],
    ['{"a": {"log": {"entries": []}}}', 'it has no log.entries array'],
    ['"a string"', 'the top level is not an object'],
  ])('%j is not a HAR: %s', async (text, reason) => {
    const err = await failure(text);
    expect(err).toBeInstanceOf(NotHarError);
    expect(err.message).toBe(reason);
  });

  it('streams many entries without holding the file', async () => {
    const entry = JSON.stringify(JSON.parse(CAPTURE).log.entries[0]);
    async function* big(): AsyncGenerator<string> {
      yield '{"log": {"version": "1.2", "entries": [';
      for (let i = 0; i < 20_000; i++) yield (i ? ',' : '') + entry;
      yield ']}}';
    }
    let n = 0;
    for await (const e of harEntries(big())) {
      if (e.text.length !== entry.length) throw new Error(`entry ${e.index} was cut`);
      n++;
    }
    expect(n).toBe(20_000);
  });
});
