import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { DEFAULT_SPEC } from '../conformance/defaults';

const cache = new Map<string, string>();

/**
 * The spec's `info.version` ('2023-06-01'): what every key reports as `api_version`. Read from the
 * spec rather than written down here so that the provider follows the spec when it is updated.
 */
export function specApiVersion(specPath = DEFAULT_SPEC): string {
  const cached = cache.get(specPath);
  if (cached) return cached;
  const doc = yaml.load(readFileSync(specPath, 'utf8')) as { info?: { version?: unknown } };
  const version = doc?.info?.version;
  if (typeof version !== 'string' || version.length === 0) {
    throw new Error(`${specPath} has no info.version`);
  }
  cache.set(specPath, version);
  return version;
}
