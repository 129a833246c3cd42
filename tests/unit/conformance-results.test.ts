import { Results } from '../../src/conformance/results';
import { CHECK_CODES } from '../../src/conformance/catalogue';
import { SecretScrubber } from '../../src/redact';
import { fail } from '../../src/conformance/verdict';

describe('report lines', () => {
  it('cut long quotes only after scrubbing, so a token at the cut never shows in part', () => {
    const token = '0123456789abcdef0123456789abcdef4d063';
    const results = new Results(new Set(CHECK_CODES), new SecretScrubber([token]));
    // The token starts a few characters before the quote limit.
    const body = 'x'.repeat(290) + token + 'y'.repeat(50);
    results.record('response.body.not_json', 'post-api-key', fail(`body ${body}`, 'JSON', body));
    const line = results.lines().find((l) => l.status === 'failed')!;
    const text = JSON.stringify(line);
    expect(text).not.toContain(token.slice(0, 10));
    expect(String(line.received).length).toBeLessThan(body.length);
    expect(String(line.received)).toMatch(/more characters\)$/);
  });
});
