import * as path from 'node:path';

/** The repository root, from which the bundled spec and default paths are resolved. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

export const DEFAULT_SPEC = path.join(PACKAGE_ROOT, 'specs', 'latitude-api-keys.yaml');

/** Every key a run creates is named `<prefix>-<runId>-<purpose>`; sweeps look for the prefix. */
export const DEFAULT_NAME_PREFIX = 'lc-conformance';
