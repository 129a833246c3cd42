import { JSON_API } from './engine';
import type { LoadedSpec } from './load';
import type { OperationInfo } from './operations';
import { derefObject, resolvePointer } from './refs';

/**
 * The example a documented response carries (the first of `examples`, else `example`), preferring
 * JSON:API. Benchmarks and tests use the spec's own sample rather than a copy that could drift.
 */
export function responseExample(
  spec: LoadedSpec,
  operation: OperationInfo,
  status: string,
): unknown {
  const response = operation.responseInfo.find((r) => r.status === status);
  const content = [...(response?.content ?? [])].sort(
    (a, b) => Number(b.mediaType === JSON_API) - Number(a.mediaType === JSON_API),
  );
  for (const mt of content) {
    const media = resolvePointer(spec.document, mt.specLocation) as
      { example?: unknown; examples?: Record<string, { value?: unknown }> } | undefined;
    const named = Object.values(media?.examples ?? {})[0];
    const first = named && derefObject<{ value?: unknown }>(spec.document, named, '', spec.source);
    if (first?.value && 'value' in first.value) return first.value.value;
    if (media && 'example' in media) return media.example;
  }
  throw new Error(`${spec.source} documents no example for ${operation.operationId} ${status}`);
}
