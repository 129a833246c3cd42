/**
 * The spec engine: load an OpenAPI 3.x document, compile its schemas into strict validators and
 * check requests and responses against them. Everything other modules need comes from here.
 */
export { loadSpec, specFromDocument, parseDocument } from './load';
export type { LoadedSpec, LoadOptions, OpenApiDocument } from './load';
export { createEngine, ENGINE_FINDING_CODES, JSON_API, unenforcedFormatNotices } from './engine';
export type { EngineOptions, FormatUsage, HeaderMap, SpecEngine } from './engine';
export type { OperationInfo, ResponseInfo, MediaTypeInfo } from './operations';
export { dereference, resolvePointer } from './refs';
export { responseExample } from './examples';
export { translateRubyRegexp, isRubyRegexpInspect, RubyRegexpError } from './ruby-regexp';
export type { AnchorMode, RubyRegexp } from './ruby-regexp';
export { isRfc3339DateTime, resolveFormat, ENFORCED_FORMATS } from './formats';
export { parseMediaType, isJsonMediaType, headerValue } from './media-type';
