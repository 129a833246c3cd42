import { execFileSync } from 'node:child_process';
import { UserError } from '../errors';

/**
 * The consumer version and branch a contract is published under. The version is the git commit
 * SHA and the branch the git branch (https://docs.pact.io/getting_started/versioning_in_the_pact_broker);
 * both come from the first of these that is set and not empty, then from git itself:
 */
export const VERSION_SOURCES = [
  'GIT_COMMIT', // explicit override (and Jenkins' own)
  'GITHUB_SHA', // GitHub Actions (on pull_request: the merge commit; see the README's broker section)
  'CI_COMMIT_SHA', // GitLab CI
  'CIRCLE_SHA1', // CircleCI
  'BUILDKITE_COMMIT', // Buildkite
  'BITBUCKET_COMMIT', // Bitbucket Pipelines
  'TRAVIS_COMMIT', // Travis CI
  'BUILD_SOURCEVERSION', // Azure Pipelines
] as const;

export const BRANCH_SOURCES = [
  'GIT_BRANCH', // explicit override (and Jenkins' own)
  'GITHUB_HEAD_REF', // GitHub Actions, pull requests only: the source branch
  'GITHUB_REF_NAME', // GitHub Actions, pushes: the branch pushed to
  'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', // GitLab CI, merge requests
  'CI_COMMIT_REF_NAME', // GitLab CI
  'CIRCLE_BRANCH', // CircleCI
  'BUILDKITE_BRANCH', // Buildkite
  'BITBUCKET_BRANCH', // Bitbucket Pipelines
  'TRAVIS_PULL_REQUEST_BRANCH', // Travis CI, pull requests (empty otherwise)
  'TRAVIS_BRANCH', // Travis CI
  'BUILD_SOURCEBRANCHNAME', // Azure Pipelines
] as const;

export interface ResolvedValue {
  value: string;
  /** Where it came from: an environment variable's name, or `git`. */
  source: string;
}

export interface PublishVersion {
  version: ResolvedValue;
  /** Absent on a detached HEAD with no CI variable: the contract is published without a branch. */
  branch?: ResolvedValue;
}

/** Runs git in a directory; undefined when git is missing or fails (not a repository). */
export type GitRunner = (args: string[]) => string | undefined;

export function gitIn(cwd: string): GitRunner {
  return (args) => {
    try {
      return execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return undefined;
    }
  };
}

function fromEnv(env: NodeJS.ProcessEnv, names: readonly string[]): ResolvedValue | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { value, source: name };
  }
  return undefined;
}

export function resolveVersion(env: NodeJS.ProcessEnv, git: GitRunner): ResolvedValue {
  const found = fromEnv(env, VERSION_SOURCES);
  if (found) return found;
  const sha = git(['rev-parse', 'HEAD']);
  if (sha) return { value: sha, source: 'git' };
  throw new UserError(
    'cannot tell which version to use: this is not a git checkout and none of GIT_COMMIT, GITHUB_SHA, CI_COMMIT_SHA (…) is set. Set GIT_COMMIT to the commit the contracts come from.',
  );
}

export function resolveBranch(env: NodeJS.ProcessEnv, git: GitRunner): ResolvedValue | undefined {
  const found = fromEnv(env, BRANCH_SOURCES);
  if (found) return found;
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']);
  // `HEAD` is what git answers on a detached checkout: there is no branch to report.
  return branch && branch !== 'HEAD' ? { value: branch, source: 'git' } : undefined;
}

export function resolvePublishVersion(env: NodeJS.ProcessEnv, git: GitRunner): PublishVersion {
  return { version: resolveVersion(env, git), branch: resolveBranch(env, git) };
}
