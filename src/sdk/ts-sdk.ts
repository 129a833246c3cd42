/**
 * The TypeScript SDK (`latitudesh-typescript-sdk`) is not on the npm registry, and this suite has
 * no driver for it: nothing it would verify about a build can be checked here. `--ts-sdk PATH` is
 * still accepted so that asking for it gets an honest answer: the SDK is reported as not run and
 * the run fails, rather than a build being installed and counted as a pass.
 */

export const TS_SDK_PACKAGE = 'latitudesh-typescript-sdk';

export interface TsSdkStatus {
  /** skipped: not asked for (not a failure); not-run: asked for with --ts-sdk, and not verified. */
  status: 'skipped' | 'not-run';
  reason: string;
  /** The build named with --ts-sdk. */
  path?: string;
}

export function typescriptSdkStatus(tsSdk: string | undefined): TsSdkStatus {
  if (tsSdk === undefined) {
    return {
      status: 'skipped',
      reason:
        `${TS_SDK_PACKAGE} is not on the npm registry and there is no TypeScript driver; ` +
        'it is not verified',
    };
  }
  return {
    status: 'not-run',
    path: tsSdk,
    reason:
      `no TypeScript driver: the ${TS_SDK_PACKAGE} build at ${tsSdk} was not installed or ` +
      'run, so nothing about it is verified',
  };
}
