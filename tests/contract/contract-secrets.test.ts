import fs from 'node:fs';
import path from 'node:path';
import { ALLOWED_CONTRACT_SECRETS, CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { findContractSecrets } from '../../src/contracts/secrets';

/**
 * Contracts are published to a broker that many teams read: nothing under contracts/ may hold a
 * credential other than the visibly fake examples the consumer tests use.
 */
const root = path.resolve(__dirname, '../..');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('credentials in contracts/', () => {
  const files = filesUnder(path.join(root, CONTRACTS_DIR)).filter((f) => !f.endsWith('.gitkeep'));

  it('has contracts to scan', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [path.relative(root, f)]))(
    '%s holds only the fake example credentials',
    (file) => {
      const found = findContractSecrets(fs.readFileSync(path.join(root, file), 'utf8'));
      expect(found.filter((s) => !ALLOWED_CONTRACT_SECRETS.has(s.value))).toEqual([]);
    },
  );

  it('flags a real-looking token and Authorization value the scan has not been told about', () => {
    const leaked = JSON.stringify({
      request: { headers: { Authorization: ['Bearer 9f86d081884c7d659a2feaa0c55ad015a3bf'] } },
      response: {
        body: { data: { attributes: { token: 'a3bf4f1b2b0b822cd15d6c15b0f00a089f86' } } },
      },
    });

    const found = findContractSecrets(leaked).filter((s) => !ALLOWED_CONTRACT_SECRETS.has(s.value));

    expect(found.map((s) => s.value)).toEqual(
      expect.arrayContaining([
        'Bearer 9f86d081884c7d659a2feaa0c55ad015a3bf',
        'a3bf4f1b2b0b822cd15d6c15b0f00a089f86',
      ]),
    );
  });
});
