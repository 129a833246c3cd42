import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the consumer tests write their pact file. `PACT_OUTPUT_DIR` is set by `npm run
 * pact:update` (contracts/) and by the drift test (a fresh directory); otherwise each run gets its
 * own temporary directory, so a plain `npm test` never rewrites the committed contract and two
 * runs never merge into each other's file (Pact merges into an existing file).
 */
export function pactOutputDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.PACT_OUTPUT_DIR;
  if (configured) return path.resolve(configured);
  return fs.mkdtempSync(path.join(os.tmpdir(), 'latitude-pacts-'));
}
