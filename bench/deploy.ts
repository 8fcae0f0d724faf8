import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../infra/app';
import { stackFigures } from '../infra/limits';
import { writeScaleWorkspace } from '../test/fixtures/scale';
import { round } from './measure';

// The deployment at 5, 50 and 300 journeys (a tenth of them of 50 steps of every kind): per stack, resources
// and template size, and the synth time against the example workspace's, measured in the same run.

function synth(workspace: string) {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-cdk-'));
  const start = performance.now();
  buildApp(new App({ outdir, context: { workspace, fromAddress: 'shop@example.com' } })).app.synth();
  const seconds = (performance.now() - start) / 1000;
  const stacks = readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => {
      const fig = stackFigures(readFileSync(join(outdir, f), 'utf8'));
      return { stack: f.replace('.template.json', ''), resources: fig.resources, kib: round(fig.templateBytes / 1024, 1), rules: Math.max(0, ...Object.values(fig.rulesPerBus)), largestPolicy: fig.largestPolicy?.bytes ?? 0 };
    });
  return { seconds, stacks };
}

export async function deployFigures() {
  // The first synth bundles the functions; later ones reuse the bundles of this process (as one cdk synth does).
  synth('examples/store');
  const baseline = synth('examples/store');
  const figures: Record<string, unknown> = { baseline: { journeys: 6, synthSeconds: round(baseline.seconds, 2) } };
  for (const count of [5, 50, 300]) {
    const { seconds, stacks } = synth(writeScaleWorkspace(mkdtempSync(join(tmpdir(), 'bench-scale-')), count));
    const journeyStacks = stacks.filter((s) => /-Journeys\d+$/.test(s.stack));
    const platform = stacks.find((s) => !/-Journeys\d+$/.test(s.stack))!;
    figures[`journeys${count}`] = {
      synthSeconds: round(seconds, 2),
      synthRatio: round(seconds / baseline.seconds, 2),
      platform,
      journeyStacks: { count: journeyStacks.length, maxResources: Math.max(...journeyStacks.map((s) => s.resources)), maxKib: Math.max(...journeyStacks.map((s) => s.kib)), maxRulesPerBus: Math.max(...journeyStacks.map((s) => s.rules)) },
      stacks,
    };
  }
  return figures;
}
