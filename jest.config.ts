import type { Config } from 'jest';

// Type checking is done once by `npm run lint` (tsc --noEmit); jest only transpiles, which keeps
// a full run fast on a 2-core machine.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
};

const project = (name: string, extra: Partial<Config> = {}): Config => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  setupFiles: ['<rootDir>/tests/setup-env.ts'],
  ...extra,
});

const config: Config = {
  // Pact mock servers, the reference provider and the pact CLI all bind real ports and spawn
  // processes; two workers match the machine and keep those from starving each other.
  maxWorkers: 2,
  testTimeout: 30_000,
  projects: [
    project('unit'),
    project('contract'),
    project('provider'),
    project('conformance'),
    project('broker'),
    project('sdk'),
  ],
};

export default config;
