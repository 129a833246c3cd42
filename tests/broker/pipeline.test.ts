import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { CONSUMER_NAME } from '../../src/contracts/fixtures';
import { REPO_ROOT } from './helpers';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const load = (file: string): Workflow & { raw: string } => {
  const raw = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return { ...(yaml.load(raw) as Workflow), raw };
};
const needs = (job: Job) => (Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('the contracts pipeline', () => {
  const wf = load('.github/workflows/contracts.yml');

  it('goes test → publish → can-i-deploy → record-deployment, each needing the one before', () => {
    expect(needs(wf.jobs.publish)).toEqual(['test']);
    expect(needs(wf.jobs['can-i-deploy'])).toEqual(['publish']);
    expect(needs(wf.jobs['record-deployment'])).toEqual(['can-i-deploy']);
    expect(runs(wf.jobs.test)).toMatch(/npm test/);
    expect(runs(wf.jobs.publish)).toMatch(/npm run pact:publish/);
    expect(runs(wf.jobs['can-i-deploy'])).toMatch(
      /npm run pact:can-i-deploy -- .*--to-environment production/s,
    );
    expect(runs(wf.jobs['record-deployment'])).toMatch(
      /npm run pact:record-deployment -- .*--environment production/s,
    );
  });

  it('gates and records deployments from the main branch only', () => {
    for (const job of ['can-i-deploy', 'record-deployment']) {
      expect(wf.jobs[job].if).toContain("github.ref == 'refs/heads/main'");
    }
  });

  it('takes broker credentials from the secret store and passes them in the environment only', () => {
    for (const name of ['publish', 'can-i-deploy', 'record-deployment']) {
      const env = wf.jobs[name].env ?? {};
      for (const v of ['PACT_BROKER_BASE_URL', 'PACT_BROKER_TOKEN']) {
        expect(env[v]).toBe(`\${{ secrets.${v} }}`);
      }
      expect(runs(wf.jobs[name])).not.toMatch(
        /--broker-token|--broker-password|-k |PACT_BROKER_TOKEN/,
      );
    }
    expect(wf.env?.PACT_DO_NOT_TRACK).toBe('true');
    expect(wf.env?.PACTICIPANT).toBe(CONSUMER_NAME);
  });
});

describe('the scheduled staging conformance job', () => {
  const wf = load('.github/workflows/staging-conformance.yml');
  const job = wf.jobs.conformance;

  it('runs on a schedule against staging credentials from the secret store', () => {
    expect(wf.raw).toMatch(/schedule:\s*\n\s*- cron:/);
    expect(job.env?.LATITUDE_API_BASE_URL).toBe('${{ secrets.LATITUDE_API_BASE_URL }}');
    expect(job.env?.LATITUDE_API_TOKEN).toBe('${{ secrets.LATITUDE_API_TOKEN }}');
    expect(runs(job)).toMatch(/npm run conformance/);
  });

  it('always cleans up after the run and always uploads reports/', () => {
    const run = job.steps.findIndex((s) => s.run === 'npm run conformance');
    const cleanup = job.steps.findIndex((s) => /--sweep-age-minutes 0/.test(s.run ?? ''));
    const upload = job.steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(run).toBeGreaterThan(-1);
    expect(cleanup).toBeGreaterThan(run);
    expect(job.steps[cleanup].if).toMatch(/^always\(\)/);
    expect(upload).toBeGreaterThan(cleanup);
    expect(job.steps[upload].if).toBe('always()');
    expect(job.steps[upload].with?.path).toBe('reports/');
  });
});
