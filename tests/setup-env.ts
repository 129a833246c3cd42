// Pact otherwise tries to send usage events to the network on every run.
process.env.PACT_DO_NOT_TRACK = 'true';
