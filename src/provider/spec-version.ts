import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export const SPEC_RELATIVE_PATH = path.join('specs', 'latitude-api-keys.yaml');

/**
 * The spec file, found by walking up from this module: the sources run through tsx and ts-jest
 * from src/, a build runs from dist/src/, and both sit below the repository root.
 */
export function findSpecPath(from = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, SPEC_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find ${SPEC_RELATIVE_PATH} above ${from}`);
    }
    dir = parent;
  }
}

const cache = new Map<string, string>();

/**
 * The spec's `info.version` ('2023-06-01'): what every key reports as `api_version`. Read from the
 * spec rather than written down here so that the provider follows the spec when it is updated.
 */
export function specApiVersion(specPath = findSpecPath()): string {
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
