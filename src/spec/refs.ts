import { SpecError } from '../errors';
import { jsonPointer } from '../findings';

/** Reads the value at a local JSON pointer (`#/components/schemas/api_key`), or undefined. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (ref === '#' || ref === '#/') return doc;
  if (!ref.startsWith('#/')) return undefined;
  // A `$ref` is a URI fragment: each segment is percent-decoded before the pointer escapes.
  return walkSegments(doc, ref.slice(2).split('/').map(decodeURIComponent));
}

/** Reads the value at a plain JSON pointer (`/data/attributes/name`, RFC 6901), or undefined. */
export function valueAtPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  return walkSegments(doc, pointer.slice(1).split('/'));
}

function walkSegments(doc: unknown, segments: string[]): unknown {
  let cur: unknown = doc;
  for (const raw of segments) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Every `$ref` in the document must be local and resolve. Checked once at load time so that a
 * broken reference is a SpecError naming the reference and where it occurs, not a crash later.
 */
export function checkRefs(doc: Record<string, unknown>, location: string): void {
  const walk = (v: unknown, path: Array<string | number>): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i]));
      return;
    }
    if (!v || typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    const ref = obj.$ref;
    if (typeof ref === 'string' && !isExampleValue(path)) {
      const at = '#' + jsonPointer(path);
      if (!ref.startsWith('#')) {
        throw new SpecError(
          `the spec ${location} has an external $ref "${ref}" at ${at}; only local references (#/...) are supported. Bundle the spec into one file first.`,
        );
      }
      if (resolvePointer(doc, ref) === undefined) {
        throw new SpecError(
          `the spec ${location} has a $ref "${ref}" at ${at} that does not resolve: nothing exists at that location.`,
        );
      }
    }
    for (const [k, x] of Object.entries(obj)) {
      if (k !== '$ref') walk(x, [...path, k]);
    }
  };
  walk(doc, []);
}

// Example values are data, not spec: a `$ref` key inside one is just a property name.
function isExampleValue(path: Array<string | number>): boolean {
  for (let i = 0; i < path.length; i++) {
    // A schema property may itself be called `example` or `default`.
    if (path[i - 1] === 'properties') continue;
    if (path[i] === 'example' || path[i] === 'default' || path[i] === 'enum') return true;
    if (path[i] === 'examples' && path[i + 2] === 'value') return true;
  }
  return false;
}

/**
 * Follows a chain of `$ref`s on a non-schema object (response, request body, parameter) to the
 * object itself. Returns the object and the pointer it lives at; a cycle is a SpecError.
 */
export function derefObject<T>(
  doc: unknown,
  value: unknown,
  at: string,
  location: string,
): { value: T; at: string } {
  const seen = new Set<string>();
  let cur = value;
  let where = at;
  while (cur && typeof cur === 'object' && typeof (cur as { $ref?: unknown }).$ref === 'string') {
    const ref = (cur as { $ref: string }).$ref;
    if (seen.has(ref)) {
      throw new SpecError(`the spec ${location} has a $ref cycle through "${ref}" at ${at}.`);
    }
    seen.add(ref);
    cur = resolvePointer(doc, ref);
    where = ref;
  }
  return { value: cur as T, at: where };
}

/**
 * A copy of `value` with every local `$ref` replaced by what it points to. A reference back into
 * a schema being expanded (a cycle) is left as the `$ref` itself, so the result is finite. Used to
 * compare two specs schema by schema, whatever their component names.
 */
export function dereference(doc: unknown, value: unknown, stack: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => dereference(doc, v, stack));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    if (stack.includes(ref)) return { $ref: ref };
    return dereference(doc, resolvePointer(doc, ref), [...stack, ref]);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dereference(doc, v, stack)]));
}
