import { GitRunner, resolveBranch, resolveVersion } from '../../src/pact/broker-version';

const git =
  (sha: string | undefined, branch: string | undefined): GitRunner =>
  (args) =>
    args.includes('--abbrev-ref') ? branch : sha;
const noGit: GitRunner = () => undefined;

describe('the version and branch contracts are published under', () => {
  it('comes from git when no variable is set', () => {
    expect(resolveVersion({}, git('abc123', 'main'))).toEqual({ value: 'abc123', source: 'git' });
    expect(resolveBranch({}, git('abc123', 'main'))).toEqual({ value: 'main', source: 'git' });
  });

  it('has no branch on a detached HEAD', () => {
    expect(resolveBranch({}, git('abc123', 'HEAD'))).toBeUndefined();
  });

  it('prefers GIT_COMMIT and GIT_BRANCH over CI variables and git', () => {
    const env = {
      GIT_COMMIT: 'override',
      GITHUB_SHA: 'gh',
      GIT_BRANCH: 'mine',
      GITHUB_REF_NAME: 'main',
    };
    expect(resolveVersion(env, git('abc', 'x')).source).toBe('GIT_COMMIT');
    expect(resolveBranch(env, git('abc', 'x'))).toEqual({ value: 'mine', source: 'GIT_BRANCH' });
  });

  it.each([
    [
      { GITHUB_SHA: 's', GITHUB_HEAD_REF: 'feature', GITHUB_REF_NAME: '7/merge' },
      'GITHUB_SHA',
      'feature',
    ],
    [{ GITHUB_SHA: 's', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main' }, 'GITHUB_SHA', 'main'],
    [{ CI_COMMIT_SHA: 's', CI_COMMIT_REF_NAME: 'main' }, 'CI_COMMIT_SHA', 'main'],
    [
      { CI_COMMIT_SHA: 's', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'mr', CI_COMMIT_REF_NAME: 'main' },
      'CI_COMMIT_SHA',
      'mr',
    ],
    [{ CIRCLE_SHA1: 's', CIRCLE_BRANCH: 'main' }, 'CIRCLE_SHA1', 'main'],
    [{ BUILD_SOURCEVERSION: 's', BUILD_SOURCEBRANCHNAME: 'main' }, 'BUILD_SOURCEVERSION', 'main'],
  ])('reads the CI variables %j', (env, versionSource, branch) => {
    expect(resolveVersion(env, git('from-git', 'git-branch')).source).toBe(versionSource);
    expect(resolveBranch(env, git('from-git', 'git-branch'))?.value).toBe(branch);
  });

  it('says what to set when there is neither a variable nor git (exit 2)', () => {
    expect(() => resolveVersion({}, noGit)).toThrow(/Set GIT_COMMIT/);
  });
});
