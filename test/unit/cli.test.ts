import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The commands a person runs, as subprocesses: exit codes and what they print.
const run = (...args: string[]) => spawnSync('npx', ['tsx', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

const THREE_MISTAKES = [
  'journeys/post-purchase.json $.steps.check.branches[0].next: unknown-step: "sorry" is not a step; steps are: check, survey, pause, done',
  'journeys/post-purchase.json $.steps.survey.template: missing-template: no template "survey" in the workspace (expected templates/survey.json)',
  'journeys/post-purchase.json $.steps.pause.for: bad-duration: "3 days" is not an ISO 8601 duration such as P3D, PT2H or P1DT12H',
];

describe('jo validate', () => {
  it('accepts the example workspace', () => {
    const result = run('cli/jo.ts', 'validate', 'examples/store');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ok: 7 journey(s), 18 template(s), 6 audience(s), 5 campaign(s), 1 model(s)');
  });

  it('reports all three mistakes of a journey, each with its JSON path, and exits non-zero', () => {
    const result = run('cli/jo.ts', 'validate', 'test/fixtures/workspaces/three-mistakes');
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toStrictEqual(['3 problem(s) in the workspace:', ...THREE_MISTAKES.map((l) => `  ${l}`)]);
  });

  it('--help prints the usage and exits 0, for every command', () => {
    for (const args of [['--help'], ['validate', '--help'], ['graph', '-h']]) {
      const result = run('cli/jo.ts', ...args);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^usage:\n {2}jo validate/);
    }
  });
});

describe('npm start on a workspace with mistakes', () => {
  it('lists them and exits 1, with no stack trace', () => {
    const result = run('local/main.ts', '--workspace', 'test/fixtures/workspaces/three-mistakes', '--memory', '--port', '0', '--ses-port', '0', '--dynamo-port', '0');
    expect(result.status).toBe(1);
    for (const line of THREE_MISTAKES) expect(result.stderr).toContain(line);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('jo simulate', () => {
  it('runs a journey for a profile with time skipped, and prints the path, the states billed and the messages', () => {
    const result = run('cli/jo.ts', 'simulate', 'examples/store/journeys/welcome.json', '--profile', 'test/fixtures/simulate/ada.json', '--events', 'test/fixtures/simulate/signup-then-upgrade.json');
    expect(result.status).toBe(0);
    // Express (the default): the day's wait parks the run; a second execution goes on after it.
    expect(result.stdout).toMatch(/^journey welcome \(version [0-9a-f]{12}\): SUCCEEDED, express, 2 executions\n {2}path: hello -> later -> still-free\.profile -> still-free -> done\n/);
    expect(result.stdout).toContain('messages: 1\n  to               subject\n  ada@example.com  Welcome to the store, Ada\n');
  });
});

describe('jo cost', () => {
  it('prints the cost of a million entrants in each mode as JSON: Express at most $25 for onboarding, Standard beside it', () => {
    const result = run('cli/jo.ts', 'cost', 'examples/store/journeys/onboarding.json', '--entrants', '1000000', '--json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { modes: Record<'express' | 'standard', { total: number; perService: Record<string, number> }> };
    expect(report.modes.express.total).toBeLessThanOrEqual(25);
    expect(report.modes.standard.perService.stepFunctions).toBe(200); // 8 transitions at $25 a million
    expect(report.modes.standard.total).toBeGreaterThan(report.modes.express.total * 5);
  });
});

describe('npm ci', () => {
  it('prints no EBADENGINE warnings (npm on the system Node, the project on its own Node 22), and still prints errors', () => {
    const dry = spawnSync('npm', ['ci', '--dry-run', '--offline', '--no-audit', '--no-fund'], { encoding: 'utf8' });
    expect(`${dry.stdout}${dry.stderr}`).not.toContain('EBADENGINE');
    const missing = spawnSync('npm', ['run', 'no-such-script'], { encoding: 'utf8' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('Missing script: "no-such-script"');
  });
});
