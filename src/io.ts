/**
 * What a command may touch of the outside world. Entry points pass the real process; tests pass
 * buffers and a fixed environment, so no command reads `process` directly.
 */
export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return {
    stdout: (line) => process.stdout.write(line + '\n'),
    stderr: (line) => process.stderr.write(line + '\n'),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** An Io that records every line, for tests. */
export function bufferIo(
  env: NodeJS.ProcessEnv = {},
  cwd = process.cwd(),
): Io & {
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, cwd, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}
