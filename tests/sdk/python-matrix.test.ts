import { SecretScrubber } from '../../src/redact';
import { MatrixReport, QUICK_MATRIX_FAULTS, runMatrix } from '../../src/sdk/matrix';
import { describeWithSdk } from './sdk-env';

/**
 * A slice of the compatibility matrix for the Python SDK: one fault of each kind the facts
 * describe (npm run sdk:verify runs the full list). Each expectation is what a user of the SDK
 * would meet: an exception, or a result with a value silently missing or wrong.
 */
describeWithSdk('python', 'Python SDK 3.4.6 compatibility matrix (quick subset)', (driver) => {
  let report: MatrixReport;
  const progress: string[] = [];

  beforeAll(async () => {
    report = await runMatrix({
      drivers: [driver()],
      unavailable: [],
      faults: QUICK_MATRIX_FAULTS,
      env: process.env,
      progress: (l) => progress.push(l),
      scrubber: new SecretScrubber(),
    });
  }, 180_000);

  const cell = (fault: string) => report.cells.find((c) => c.fault === fault);

  it('accepts the conformant baseline', () => {
    expect(cell('none')).toMatchObject({ outcome: 'accepts', rejections: [], misparses: [] });
  });

  it('rejects a DELETE answered 204 with its APIError', () => {
    expect(cell('delete-204')?.outcome).toBe('rejects');
    expect(cell('delete-204')?.rejections).toEqual(['delete: APIError']);
  });

  it('rejects responses that are application/json instead of application/vnd.api+json', () => {
    expect(cell('json-content-type')?.outcome).toBe('rejects');
    expect(cell('json-content-type')?.rejections).toContain('create: APIError');
  });

  it('accepts a timestamp without a zone, handing the caller a naive time', () => {
    expect(cell('naive-timestamp')?.outcome).toBe('misparses');
    expect(cell('naive-timestamp')?.misparses).toContain(
      'create: created_at without a zone accepted as a naive time',
    );
  });

  it('does not notice a create or rotate without a token', () => {
    expect(cell('missing-token')?.outcome).toBe('misparses');
    expect(cell('missing-token')?.misparses).toEqual([
      'create: no token in the result and no error',
      'rotate: no token in the result and no error',
    ]);
  });

  it('accepts extra fields', () => {
    expect(cell('extra-fields')).toMatchObject({ outcome: 'accepts', misparses: [] });
  });

  it('reports progress for every run', () => {
    expect(progress).toHaveLength(QUICK_MATRIX_FAULTS.length + 1);
    expect(progress[0]).toMatch(/^\[matrix 1\/6\] python 3\.4\.6 × none: accepts$/);
  });
});
