import fs from 'node:fs';
import path from 'node:path';
import { CONTRACTS_DIR } from '../../src/contracts/fixtures';
import { findContractSecrets } from '../../src/contracts/secrets';
import { findPublishBlockers } from '../../src/pact/secret-guard';

/**
 * Contracts are published to a broker that many teams read. The scan here is the publish guard
 * itself (findPublishBlockers, with the fake-token rule of src/pact/fake-tokens.ts): a contract
 * that passes these tests is one `pact publish` accepts, and the other way round.
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
    '%s holds nothing the publish guard would refuse',
    (file) => {
      const text = fs.readFileSync(path.join(root, file), 'utf8');

      // The contract does hold credentials (the fake examples): the guard passes them as fake.
      expect(findContractSecrets(text).length).toBeGreaterThan(0);
      expect(findPublishBlockers([{ file, text }], process.env.LATITUDE_API_TOKEN)).toEqual([]);
    },
  );

  it('refuses a real-looking token and Authorization value in a contract', () => {
    const leaked = JSON.stringify({
      request: { headers: { Authorization: ['Bearer 9f86d081884c7d659a2feaa0c55ad015a3bf'] } },
      response: {
        body: { data: { attributes: { token: 'a3bf4f1b2b0b822cd15d6c15b0f00a089f86' } } },
      },
    });

    const found = findPublishBlockers([{ file: 'leaked.json', text: leaked }], undefined);

    expect(found.map((f) => [f.code, f.path])).toEqual([
      ['secret.authorization', '$.request.headers.Authorization[0]'],
      ['secret.token', '$.response.body.data.attributes.token'],
    ]);
  });

  it('reads Authorization values written as text in a file that is not JSON', () => {
    const text = [
      'Authorization: Bearer 9f86d081884c7d659a2feaa0c55ad015a3bf',
      '"authorization": "Basic Y2k6aHVudGVyMi1yZWFsLXBhc3N3b3Jk"',
      'authorization=token fake-token-for-docs',
    ].join('\n');

    const found = findContractSecrets(text).filter((s) => s.kind === 'authorization');

    expect(found).toEqual([
      {
        kind: 'authorization',
        where: 'line 1',
        value: 'Bearer 9f86d081884c7d659a2feaa0c55ad015a3bf',
      },
      { kind: 'authorization', where: 'line 2', value: 'Basic Y2k6aHVudGVyMi1yZWFsLXBhc3N3b3Jk' },
      { kind: 'authorization', where: 'line 3', value: 'token fake-token-for-docs' },
    ]);
  });
});
