import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { diffPacts, formatDrift } from '../../src/contracts/drift';

/**
 * CI fails when contracts/ is not what the consumer tests produce. The consumer tests are run here,
 * in a child jest, into a fresh directory, so this file does not depend on any other test file
 * having run first (or on the order jest picks).
 */
const root = path.resolve(__dirname, '../..');
const consumerTests = path.join('tests', 'contract', 'api-keys.pact.test.ts');
const committedDir = path.join(root, CONTRACTS_DIR);

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const pactFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

let generatedDir: string;

beforeAll(() => {
  generatedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latitude-pacts-drift-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PACT_OUTPUT_DIR: generatedDir };
  delete env.JEST_WORKER_ID;
  const run = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--selectProjects',
      'contract',
      '--runTestsByPath',
      consumerTests,
    ],
    { cwd: root, env, encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status !== 0) {
    throw new Error(`the consumer tests failed, so no contract to compare:\n${run.stderr}`);
  }
}, 130_000);

afterAll(() => {
  if (generatedDir) fs.rmSync(generatedDir, { recursive: true, force: true });
});

describe('contracts/ is what the consumer tests produce', () => {
  it('has the same pact files as the consumer tests write', () => {
    expect(pactFiles(committedDir)).toEqual(pactFiles(generatedDir));
    expect(pactFiles(generatedDir).length).toBeGreaterThan(0);
  });

  it('has no difference in any committed pact file', () => {
    const drifted = pactFiles(generatedDir)
      .map((file) => {
        const committedFile = path.join(committedDir, file);
        const committed = fs.existsSync(committedFile) ? readJson(committedFile) : undefined;
        const differences = diffPacts(committed, readJson(path.join(generatedDir, file)));
        return differences.length ? formatDrift(`${CONTRACTS_DIR}/${file}`, differences) : '';
      })
      .filter(Boolean);

    if (drifted.length) throw new Error(drifted.join('\n\n'));
  });

  it('reports a drifted contract with where it drifted and the command that fixes it', () => {
    const [file] = pactFiles(generatedDir);
    const generated = readJson(path.join(generatedDir, file)) as {
      interactions: { description: string; response: { status: number } }[];
    };
    const drifted = structuredClone(generated);
    const create = drifted.interactions.find(
      (i) => i.description === 'a request to create an API key',
    );
    create!.response.status = 200;

    const differences = diffPacts(drifted, generated);
    const message = formatDrift(`${CONTRACTS_DIR}/${file}`, differences);

    expect(differences).toEqual([
      {
        pointer: '/interactions/a request to create an API key/response/status',
        committed: 200,
        generated: 201,
      },
    ]);
    expect(message).toContain('npm run pact:update');
  });

  it('ignores the versions of the Pact libraries that wrote the file', () => {
    const [file] = pactFiles(generatedDir);
    const generated = readJson(path.join(generatedDir, file)) as {
      metadata: Record<string, unknown>;
    };
    const upgraded = structuredClone(generated);
    upgraded.metadata['pact-js'] = { version: '99.0.0' };
    upgraded.metadata.pactRust = { ffi: '9.9.9', models: '9.9.9' };

    expect(diffPacts(upgraded, generated)).toEqual([]);
  });
});
