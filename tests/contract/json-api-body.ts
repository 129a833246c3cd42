import type { V4RequestBuilder, V4ResponseBuilder } from '@pact-foundation/pact/src/v4/http/types';
import { JSON_API } from '../../src/client';

/**
 * `jsonBody()` records every JSON body as `application/json` in the pact file, whatever the
 * Content-Type header says. The API speaks `application/vnd.api+json`, and readers of the contract
 * (the broker's OpenAPI comparison, `contracts check`) take the media type from the recorded body,
 * so the body goes to Pact's core with the real media type. The core handles `+json` types as
 * JSON, matchers included. pact-js 16 has no public call for this; the guard below turns a change
 * of its internals into a clear failure instead of a silently different contract.
 */
interface CoreInteraction {
  withRequestBody(body: string, contentType: string): void;
  withResponseBody(body: string, contentType: string): void;
}

function coreInteraction(builder: V4RequestBuilder | V4ResponseBuilder): CoreInteraction {
  const interaction = (builder as unknown as { interaction?: Partial<CoreInteraction> })
    .interaction;
  if (
    typeof interaction?.withRequestBody !== 'function' ||
    typeof interaction.withResponseBody !== 'function'
  ) {
    throw new Error(
      'this pact-js version no longer exposes the core interaction: record the JSON:API body another way',
    );
  }
  return interaction as CoreInteraction;
}

export function jsonApiRequestBody(builder: V4RequestBuilder, body: unknown): V4RequestBuilder {
  coreInteraction(builder).withRequestBody(JSON.stringify(body), JSON_API);
  return builder;
}

export function jsonApiResponseBody(builder: V4ResponseBuilder, body: unknown): V4ResponseBuilder {
  coreInteraction(builder).withResponseBody(JSON.stringify(body), JSON_API);
  return builder;
}
