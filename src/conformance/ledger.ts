import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Every key the run creates is written here the moment the provider answers, before anything
 * else happens, and marked when it is deleted. A run that dies (SIGKILL, a crash, a lost
 * runner) leaves its entries behind; a later run against the same target deletes them. Only ids
 * and names are stored: never a token.
 *
 * Several runs may share one ledger file (parallel CI jobs): each save merges with what is on
 * disk instead of overwriting it, and a run deletes another run's keys only once that run is
 * known to be over (its process on this host has ended) or its keys are older than the sweep age.
 */
export interface LedgerEntry {
  target: string;
  runId: string;
  id: string;
  name: string;
  createdAt: string;
  deletedAt?: string;
  /** The run's host and process, to tell a finished run from one still going on. */
  host?: string;
  pid?: number;
}

interface LedgerFile {
  version: 1;
  entries: LedgerEntry[];
}

const key = (e: LedgerEntry) => `${e.target}\u0000${e.id}`;

/** Whether the process that wrote an entry is certainly gone (same host, no such process). */
function runIsOver(e: LedgerEntry): boolean {
  if (e.host !== os.hostname() || typeof e.pid !== 'number') return false;
  if (e.pid === process.pid) return false;
  try {
    process.kill(e.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class Ledger {
  private entries: LedgerEntry[] = [];

  /** `file` undefined keeps the ledger in memory (the embedded provider forgets its keys anyway). */
  constructor(
    private readonly file: string | undefined,
    private readonly target: string,
    private readonly runId: string,
  ) {
    this.entries = this.readFile();
  }

  /**
   * Keys earlier runs created on this target and never saw deleted, that are safe to delete
   * now: their run is over, or they were created before `cutoff` (ms since the epoch).
   */
  leftoversFromEarlierRuns(cutoff: number): LedgerEntry[] {
    return this.entries.filter(
      (e) =>
        e.target === this.target &&
        e.runId !== this.runId &&
        !e.deletedAt &&
        (runIsOver(e) || Date.parse(e.createdAt) <= cutoff),
    );
  }

  recordCreated(id: string, name: string): void {
    // Known already: this run's (deleted or not), or another run's that is not deleted.
    const known = this.entries.some(
      (e) => e.id === id && e.target === this.target && (e.runId === this.runId || !e.deletedAt),
    );
    if (known) return;
    this.entries.push({
      target: this.target,
      runId: this.runId,
      id,
      name,
      createdAt: new Date().toISOString(),
      host: os.hostname(),
      pid: process.pid,
    });
    this.save();
  }

  recordDeleted(id: string): void {
    for (const e of this.entries) {
      if (e.id === id && e.target === this.target && !e.deletedAt)
        e.deletedAt = new Date().toISOString();
    }
    this.save();
  }

  /** Keys this run created and has not deleted yet. */
  outstanding(): LedgerEntry[] {
    return this.entries.filter(
      (e) => e.target === this.target && e.runId === this.runId && !e.deletedAt,
    );
  }

  createdThisRun(): LedgerEntry[] {
    return this.entries.filter((e) => e.target === this.target && e.runId === this.runId);
  }

  private readFile(): LedgerEntry[] {
    if (!this.file || !fs.existsSync(this.file)) return [];
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as LedgerFile;
      return Array.isArray(parsed.entries) ? parsed.entries : [];
    } catch {
      // A torn or foreign file: start afresh; keys it named are still swept by name and age.
      return [];
    }
  }

  private save(): void {
    if (!this.file) return;
    // Merge with what other runs wrote since: theirs stay, a deletion seen by anyone sticks.
    const merged = new Map(this.readFile().map((e) => [key(e), e]));
    for (const e of this.entries) {
      const other = merged.get(key(e));
      merged.set(key(e), { ...e, deletedAt: e.deletedAt ?? other?.deletedAt });
    }
    // Entries deleted long ago are of no use to anyone; keep the file small.
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    this.entries = [...merged.values()].filter(
      (e) => !e.deletedAt || Date.parse(e.deletedAt) > weekAgo,
    );
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, entries: this.entries }, null, 2));
    fs.renameSync(tmp, this.file);
  }
}
