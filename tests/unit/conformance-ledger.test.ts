import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger, LedgerEntry } from '../../src/conformance/ledger';

const file = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lc-ledger-')), 'ledger.json');
const now = () => Date.now();
const halfHourAgo = () => Date.now() - 30 * 60_000;

function writeEntries(f: string, entries: Partial<LedgerEntry>[]): void {
  const full = entries.map((e) => ({
    target: 't',
    runId: 'other',
    name: 'n',
    createdAt: new Date().toISOString(),
    ...e,
  }));
  fs.writeFileSync(f, JSON.stringify({ version: 1, entries: full }));
}

describe('the key ledger', () => {
  it('is on disk the moment a key is created, and survives the process', () => {
    const f = file();
    const a = new Ledger(f, 'https://staging', 'run-1');
    a.recordCreated('tok_a', 'lc-conformance-run-1-lifecycle');
    a.recordCreated('tok_b', 'lc-conformance-run-1-read-only');
    a.recordDeleted('tok_a');
    const next = new Ledger(f, 'https://staging', 'run-2');
    expect(next.leftoversFromEarlierRuns(now()).map((e) => e.id)).toEqual(['tok_b']);
    expect(fs.readFileSync(f, 'utf8')).not.toMatch(/token/i);
  });

  it("never hands one target's keys to a run against another", () => {
    const f = file();
    new Ledger(f, 'https://staging', 'run-1').recordCreated('tok_a', 'x');
    expect(new Ledger(f, 'https://production', 'run-2').leftoversFromEarlierRuns(now())).toEqual(
      [],
    );
  });

  it('leaves a run that is still going its fresh keys, and takes those of a run that has ended', () => {
    const f = file();
    const host = os.hostname();
    // The parent of this process is alive; pid 2^22+1 is above Linux's pid limit, so never alive.
    writeEntries(f, [
      { id: 'tok_live', host, pid: process.ppid },
      { id: 'tok_dead', host, pid: 2 ** 22 + 1 },
      { id: 'tok_elsewhere', host: 'another-runner', pid: 1 },
      {
        id: 'tok_old',
        host: 'another-runner',
        pid: 1,
        createdAt: new Date(Date.now() - 3600_000).toISOString(),
      },
    ]);
    const ids = new Ledger(f, 't', 'mine').leftoversFromEarlierRuns(halfHourAgo()).map((e) => e.id);
    expect(ids.sort()).toEqual(['tok_dead', 'tok_old']);
  });

  it('merges with what another run wrote in the meantime instead of overwriting it', () => {
    const f = file();
    const a = new Ledger(f, 't', 'run-a');
    const b = new Ledger(f, 't', 'run-b');
    a.recordCreated('tok_a', 'a');
    b.recordCreated('tok_b', 'b');
    a.recordDeleted('tok_a');
    const onDisk = JSON.parse(fs.readFileSync(f, 'utf8')).entries as LedgerEntry[];
    expect(onDisk.map((e) => [e.id, Boolean(e.deletedAt)]).sort()).toEqual([
      ['tok_a', true],
      ['tok_b', false],
    ]);
  });

  it('starts afresh from a torn file instead of failing the run', () => {
    const f = file();
    fs.writeFileSync(f, '{"version":1,"entr');
    const l = new Ledger(f, 't', 'r');
    expect(l.leftoversFromEarlierRuns(now())).toEqual([]);
    l.recordCreated('tok_x', 'n');
    expect(JSON.parse(fs.readFileSync(f, 'utf8')).entries).toHaveLength(1);
  });
});
