import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../src/conformance/ledger';

describe('the key ledger', () => {
  const file = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lc-ledger-')), 'ledger.json');

  it('is on disk the moment a key is created, and survives the process', () => {
    const f = file();
    const a = new Ledger(f, 'https://staging', 'run-1');
    a.recordCreated('tok_a', 'lc-conformance-run-1-lifecycle');
    a.recordCreated('tok_b', 'lc-conformance-run-1-read-only');
    a.recordDeleted('tok_a');
    const next = new Ledger(f, 'https://staging', 'run-2');
    expect(next.leftoversFromEarlierRuns().map((e) => e.id)).toEqual(['tok_b']);
  });

  it("never hands one target's keys to a run against another", () => {
    const f = file();
    new Ledger(f, 'https://staging', 'run-1').recordCreated('tok_a', 'x');
    expect(new Ledger(f, 'https://production', 'run-2').leftoversFromEarlierRuns()).toEqual([]);
  });

  it('starts afresh from a torn file instead of failing the run', () => {
    const f = file();
    fs.writeFileSync(f, '{"version":1,"entr');
    const l = new Ledger(f, 't', 'r');
    expect(l.leftoversFromEarlierRuns()).toEqual([]);
    l.recordCreated('tok_x', 'n');
    expect(JSON.parse(fs.readFileSync(f, 'utf8')).entries).toHaveLength(1);
  });
});
