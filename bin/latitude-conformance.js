#!/usr/bin/env node
'use strict';
// The CLI runs from the TypeScript sources through tsx, so a clone needs no build step.
process.env.PACT_DO_NOT_TRACK = process.env.PACT_DO_NOT_TRACK || 'true';
require('tsx/cjs');
require('../src/cli.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
