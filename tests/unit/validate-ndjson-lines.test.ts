import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTraffic, TrafficRecord } from '../../src/validate/exchanges';

/** NDJSON is split into lines as readline splits them: \n, \r\n or a lone \r, across chunks. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ndjson-lines-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const exchange = (path: string, pad = 0) =>
  JSON.stringify({ method: 'GET', path, status: 200, body: 'x'.repeat(pad) });

async function records(text: string): Promise<TrafficRecord[]> {
  const file = join(dir, 'traffic.ndjson');
  writeFileSync(file, text);
  const out: TrafficRecord[] = [];
  for await (const r of readTraffic(file, 'ndjson')) out.push(r);
  return out;
}

const summary = (rs: TrafficRecord[]) =>
  rs.map((r) => (r.kind === 'exchange' ? `${r.where} ${r.exchange.url}` : `${r.where} unreadable`));

describe('NDJSON line splitting', () => {
  it('numbers lines across \\n, \\r\\n, a lone \\r and blank lines, with no final newline', async () => {
    const text = `${exchange('/a')}\r\n\n${exchange('/b')}\r${exchange('/c')}\n{oops\n${exchange('/d')}`;
    expect(summary(await records(text))).toEqual([
      'line 1 /a',
      'line 3 /b',
      'line 4 /c',
      'line 5 unreadable',
      'line 6 /d',
    ]);
  });

  it('keeps lines whole across read chunks, including a \\r\\n split between two chunks', async () => {
    // The reader takes 1 MiB at a time: long lines straddle chunk boundaries, and the padding
    // is chosen so that one \r\n falls across a boundary.
    const big = exchange('/big', 1 << 20);
    const first = exchange('/first', (1 << 20) - exchange('/first').length - 1);
    const text = `${first}\r\n${big}\n${big}\r\n${exchange('/last')}\n`;
    expect(text.indexOf('\r\n')).toBe((1 << 20) - 1);
    expect(summary(await records(text))).toEqual([
      'line 1 /first',
      'line 2 /big',
      'line 3 /big',
      'line 4 /last',
    ]);
  });

  it('reports a missing file as input that cannot be read', async () => {
    const it = readTraffic(join(dir, 'missing.ndjson'), 'ndjson');
    await expect(it.next()).rejects.toThrow(/cannot read .*missing\.ndjson: no such file/);
  });
});
