import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECKS, CHECK_CODES } from '../../src/conformance/catalogue';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('the README', () => {
  it('opens with the two commands a newcomer needs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('\n\n', readme.indexOf('# ')) + 3);
    expect(firstBlock).toMatch(/npm ci && npm run conformance/);
    expect(firstBlock).toMatch(/npm ci && npm test/);
  });

  it('explains every check code of the conformance run in its table', () => {
    for (const code of CHECK_CODES) {
      expect(readme).toContain(`| \`${code}\` | ${CHECKS[code].title.replace(/\|/g, '\\|')} |`);
    }
  });
});
