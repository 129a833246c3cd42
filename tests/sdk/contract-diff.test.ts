import {
  acceptAdmits,
  compareWithContract,
  ContractInteraction,
  contractKeyIds,
} from '../../src/sdk/contract';
import type { RecordedExchange } from '../../src/sdk/recorder';

/** How what an SDK sent is held against the contract's interactions. */
const interaction = (over: Partial<ContractInteraction>): ContractInteraction => ({
  file: 'p.json',
  description: 'a request to create an API key',
  providerStates: ['an authenticated account'],
  method: 'POST',
  path: '/auth/api_keys',
  headers: {
    'content-type': 'application/vnd.api+json',
    accept: 'application/vnd.api+json',
    authorization: 'Bearer fake0000000000000000000000000000call',
  },
  headerRegex: { authorization: '^(Bearer )?\\S+$' },
  status: 201,
  ...over,
});

const sent = (over: Partial<RecordedExchange>): RecordedExchange => ({
  step: 'create',
  method: 'POST',
  path: '/auth/api_keys',
  authorizationForm: 'raw',
  contentType: 'application/json',
  accept: 'application/vnd.api+json',
  ...over,
});

describe('request differences from the contract', () => {
  it('reports application/json against an exact vnd.api+json as a difference the contract refuses', () => {
    const [d, ...rest] = compareWithContract(sent({}), [interaction({})]).filter(
      (x) => x.code === 'request.header.content-type',
    );
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      received: 'application/json',
      expected: 'application/vnd.api+json',
      contractAccepts: false,
      specDocuments: false,
    });
  });

  it('marks application/json as documented when the spec lists it for the request body', () => {
    const spec = {
      request: () => ['application/json', 'application/vnd.api+json'],
      response: () => ['application/vnd.api+json'],
    };
    const d = compareWithContract(sent({}), [interaction({})], spec).find(
      (x) => x.code === 'request.header.content-type',
    );
    expect(d).toMatchObject({ contractAccepts: false, specDocuments: true });
    expect(d?.message).toMatch(/the spec documents as an alternative/);
    const notListed = { ...spec, request: () => ['application/vnd.api+json'] };
    const refused = compareWithContract(sent({}), [interaction({})], notListed).find(
      (x) => x.code === 'request.header.content-type',
    );
    expect(refused?.specDocuments).toBe(false);
  });

  it('treats an Accept that admits the documented response type as documented', () => {
    expect(acceptAdmits('*/*', 'application/vnd.api+json')).toBe(true);
    expect(acceptAdmits('text/html, application/*;q=0.8', 'application/vnd.api+json')).toBe(true);
    expect(acceptAdmits('application/json', 'application/vnd.api+json')).toBe(false);
  });

  it('accepts application/json when the contract matches the content type with a regex', () => {
    const widened = interaction({
      headerRegex: {
        authorization: '^(Bearer )?\\S+$',
        'content-type': '^application/(vnd\\.api\\+)?json',
      },
    });
    const d = compareWithContract(sent({}), [widened]).find(
      (x) => x.code === 'request.header.content-type',
    );
    expect(d?.contractAccepts).toBe(true);
  });

  it('ignores media-type parameters when comparing', () => {
    const diffs = compareWithContract(
      sent({ contentType: 'application/vnd.api+json; charset=utf-8' }),
      [interaction({})],
    );
    expect(diffs.filter((d) => d.code === 'request.header.content-type')).toEqual([]);
  });

  it("reports a raw token where the example shows Bearer, accepted by the contract's matcher", () => {
    const d = compareWithContract(sent({}), [interaction({})]).find(
      (x) => x.code === 'request.header.authorization.form',
    );
    expect(d).toMatchObject({ contractAccepts: true, received: '<token> (raw, no scheme)' });
  });

  it('refuses a missing Authorization and an Accept of */* where the contract names one', () => {
    const diffs = compareWithContract(
      sent({
        method: 'DELETE',
        path: '/auth/api_keys/tok_abc',
        authorizationForm: 'absent',
        accept: '*/*',
        contentType: undefined,
      }),
      [
        interaction({
          method: 'DELETE',
          path: '/auth/api_keys/tok_x1',
          status: 200,
          headers: { accept: 'application/vnd.api+json', authorization: 'Bearer x' },
        }),
      ],
    );
    expect(diffs.map((d) => [d.code, d.contractAccepts])).toEqual([
      ['request.header.accept', false],
      ['request.header.authorization.form', false],
    ]);
  });

  it('finds the ids the stub knows: one answered 2xx, one answered 404', () => {
    expect(
      contractKeyIds([
        interaction({ method: 'DELETE', path: '/auth/api_keys/tok_exists1', status: 200 }),
        interaction({ method: 'DELETE', path: '/auth/api_keys/tok_missing0', status: 404 }),
      ]),
    ).toEqual({ existing: 'tok_exists1', missing: 'tok_missing0' });
  });
});
