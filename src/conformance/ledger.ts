import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every key the run creates is written here the moment the provider answers, before anything
 * else happens, and marked when it is deleted. A run that dies (SIGKILL, a crash, a lost
 * runner) leaves its entries behind; the next run against the same target deletes them first.
 * Only ids and names are stored: never a token.
 */
export interface LedgerEntry {
  target: string;
  runId: string;
  id: string;
  name: string;
  createdAt: string;
  deletedAt?: string;
}

interface LedgerFile {
  version: 1;
  entries: LedgerEntry[];
}

export class Ledger {
  private entries: LedgerEntry[] = [];

  /** `file` undefined keeps the ledger in memory (the embedded provider forgets its keys anyway). */
  constructor(
    private readonly file: string | undefined,
    private readonly target: string,
    private readonly runId: string,
  ) {
    if (file && fs.existsSync(file)) {
      try {
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LedgerFile;
        if (Array.isArray(parsed.entries)) this.entries = parsed.entries;
      } catch {
        // A torn or foreign file: start afresh; keys it named are still swept by prefix and age.
        this.entries = [];
      }
    }
  }

  /** Keys earlier runs created on this target and never saw deleted. */
  leftoversFromEarlierRuns(): LedgerEntry[] {
    return this.entries.filter(
      (e) => e.target === this.target && e.runId !== this.runId && !e.deletedAt,
    );
  }

  recordCreated(id: string, name: string): void {
    if (this.entries.some((e) => e.id === id && e.target === this.target && !e.deletedAt)) return;
    this.entries.push({
      target: this.target,
      runId: this.runId,
      id,
      name,
      createdAt: new Date().toISOString(),
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

  private save(): void {
    if (!this.file) return;
    // Entries deleted long ago are of no use to anyone; keep the file small.
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    this.entries = this.entries.filter((e) => !e.deletedAt || Date.parse(e.deletedAt) > weekAgo);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, entries: this.entries }, null, 2));
    fs.renameSync(tmp, this.file);
  }
}
