import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli';
import { bufferIo } from '../../src/io';
import type { RunReport } from '../../src/conformance/runner';

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lc-${tag}-`));
}

/** Runs `latitude-conformance run` in-process, as a user would, and reads its JSON report. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{
  code: number;
  out: string[];
  err: string[];
  report: RunReport | undefined;
  dir: string;
}> {
  const dir = tempDir('run');
  const io = bufferIo(env);
  const code = await main(['run', '--report-dir', dir, ...args], io);
  const file = path.join(dir, 'conformance.json');
  const report = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport)
    : undefined;
  return { code, out: io.out, err: io.err, report, dir };
}

export function failedCodes(report: RunReport | undefined): string[] {
  return [
    ...new Set((report?.checks ?? []).filter((c) => c.status === 'failed').map((c) => c.code)),
  ];
}
