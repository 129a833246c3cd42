import { judgeRun } from '../../src/sdk/matrix';
import { pairSteps } from '../../src/sdk/pairing';
import type { RecordedExchange } from '../../src/sdk/recorder';
import type { DriverRun, DriverStep, ParsedKey } from '../../src/sdk/types';

/** The matrix verdict from a driver run and the responses the proxy recorded. */
const key = (over: Partial<ParsedKey> = {}): ParsedKey => ({
  id: 'tok_abc123',
  type: 'api_keys',
  name: 'k',
  token_present: true,
  last_slice_matches_token: true,
  created_at: '2026-01-14T15:56:29+00:00',
  ...over,
});
const wire = (attrs: Record<string, unknown> = {}) => ({
  data: {
    id: 'tok_abc123',
    type: 'api_keys',
    attributes: { name: 'k', created_at: '2026-01-14T15:56:29+00:00', ...attrs },
  },
});
const step = (over: Partial<DriverStep>): DriverStep => ({
  sdk: 'python',
  sdk_version: '3.4.6',
  step: 'create',
  call: 'api_keys.create',
  ok: true,
  status: 201,
  parsed: { key: key() },
  ...over,
});
const exchange = (status: number, responseBody: unknown, method = 'POST'): RecordedExchange => ({
  method,
  path: '/auth/api_keys',
  authorizationForm: 'raw',
  status,
  responseBody,
});
const judge = (steps: DriverStep[], exchanges: RecordedExchange[]) => {
  const run: DriverRun = { sdk: 'python', version: '3.4.6', steps, exitCode: 0, stderrTail: '' };
  return judgeRun(run, pairSteps(run, exchanges), 'none');
};

describe('matrix verdicts', () => {
  it('accepts when every value the caller reads matches the response', () => {
    expect(judge([step({})], [exchange(201, wire())]).outcome).toBe('accepts');
  });

  it('rejects when the SDK raised although the provider answered 2xx', () => {
    const cell = judge(
      [
        step({
          step: 'delete',
          ok: false,
          parsed: undefined,
          status: 204,
          error: { class: 'APIError' },
        }),
      ],
      [exchange(204, undefined, 'DELETE')],
    );
    expect(cell).toMatchObject({ outcome: 'rejects', rejections: ['delete: APIError'] });
  });

  it('calls a create without a token a misparse, not an acceptance', () => {
    const cell = judge(
      [step({ parsed: { key: key({ token_present: false, last_slice_matches_token: false }) } })],
      [exchange(201, wire())],
    );
    expect(cell).toMatchObject({
      outcome: 'misparses',
      misparses: ['create: no token in the result and no error'],
    });
  });

  it('calls a naive timestamp taken without complaint a misparse', () => {
    const cell = judge(
      [step({ parsed: { key: key({ created_at: '2026-01-14T15:56:29' }) } })],
      [exchange(201, wire({ created_at: '2026-01-14T15:56:29' }))],
    );
    expect(cell.misparses).toEqual(['create: created_at without a zone accepted as a naive time']);
  });

  it('flags a null name and a value that differs from the response', () => {
    const cell = judge(
      [step({ parsed: { key: key({ name: null, id: 'tok_other1' }) } })],
      [exchange(201, wire({ name: null }))],
    );
    expect(cell.misparses).toEqual([
      'create: id differs from the response',
      'create: name is null',
    ]);
  });

  it("rejects a 401 raised as something other than the SDK's error type", () => {
    const cell = judge(
      [
        step({
          step: 'unauthorized_no_token',
          ok: false,
          status: 401,
          parsed: undefined,
          error: { class: 'JSONDecodeError' },
        }),
      ],
      [exchange(401, 'Invalid Token', 'GET')],
    );
    expect(cell.outcome).toBe('rejects');
    expect(cell.rejections[0]).toMatch(/not the SDK's error type/);
  });
});
