import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The repository root, from which the bundled spec and default paths are resolved: the nearest
 * folder above this file with a package.json (the same from the sources and from a build).
 */
export const PACKAGE_ROOT = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
})();

export const DEFAULT_SPEC = path.join(PACKAGE_ROOT, 'specs', 'latitude-api-keys.yaml');

/** Every key a run creates is named `<prefix>-<runId>-<purpose>`; sweeps look for the prefix. */
export const DEFAULT_NAME_PREFIX = 'lc-conformance';
