import Ajv from 'ajv';
import { FORBIDDEN_KEYWORD } from './convert';

/**
 * OpenAPI keywords that annotate a schema without constraining data. Declared to ajv so that
 * strict mode stays on and still catches misspelt keywords.
 */
export const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs', 'discriminator'];

/**
 * The engine's one ajv instance.
 * - strict: unknown keywords, unknown formats and ambiguous types are spec errors, not silence.
 * - allErrors: a report lists every violation of a body, not just the first.
 * - verbose: errors carry the schema object they come from, which maps back to the spec location.
 * - allowUnionTypes: `nullable` becomes `type: [T, "null"]`.
 * - validateFormats stays on; every format is registered explicitly (see formats.ts).
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    // The spec's own `default` values are documentation here; the engine never mutates a body.
    useDefaults: false,
    // Each component schema compiles to one function shared by every operation that uses it,
    // instead of being inlined into each: the full spec then compiles in well under a second.
    inlineRefs: false,
    // Error messages are built by the engine from keyword and params.
    messages: false,
    // A lint, not a rule: `required` naming a property that `properties` does not describe is
    // valid JSON Schema (the key must be present). The provider's spec does it (POST
    // /virtual_networks requires `data.id`), and the requirement is still enforced.
    strictRequired: false,
  });
  ajv.addVocabulary(OPENAPI_ANNOTATIONS);
  ajv.addKeyword({
    keyword: FORBIDDEN_KEYWORD,
    schemaType: 'object',
    // The property exists on the wrong side (readOnly in a request, writeOnly in a response).
    validate: function forbidden(rule: { rule: string; specLocation: string }) {
      (forbidden as unknown as { errors: unknown[] }).errors = [
        { keyword: FORBIDDEN_KEYWORD, params: rule },
      ];
      return false;
    },
    errors: true,
  });
  return ajv;
}
