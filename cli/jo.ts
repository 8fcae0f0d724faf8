#!/usr/bin/env node
import { resolve } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outlineJourney, renderDefinition, toMermaid } from '../statemachines';
import { toSvg } from './svg';
import { formatReport, simulate } from './simulate';
import { formatPreview, renderCommand } from './render';
import { importPinpointCommand, importProfilesCommand } from './import';
import { COST_PROFILE, formatCost, journeyCost } from './cost';
import { fetchCampaignReport, fetchModelReport, fetchReport, formatCampaignReport, formatJourneyReport, formatModelReport } from './report';
import { DEFAULT_API_KEY } from '../local/runtime';
import { loadWorkspace, WorkspaceError } from '../workspace/load';
import { readRuntimeFile } from '../local/runtime-file';
import { DEFAULT_JOURNEY_STACKS, journeyStackName, journeyStackOf } from '../infra/journey-stacks';

// jo: the journey tool.

const USAGE = `usage:
  jo validate [workspace] [journey.json ...]              check every journey and template; exit 1 on any problem
  jo compile <journey.json> [--workspace dir] [--out f]   the compiled state machine (ASL), printed or written to f
  jo graph <journey.json> [--workspace dir] [--out dir]   the journey as Mermaid text; with --out, <id>.mmd and <id>.svg
  jo simulate <journey.json> --profile p.json [--events e.json] [--workspace dir]
                                                          runs it locally, time skipped: paths, states billed, messages
  jo cost <journey.json> [--entrants N] [--profile p.json] [--events e.json] [--json]
                                                          AWS cost per N entrants (default a million), Express and Standard
  jo report <journey id> [--api url] [--key k] [--from t] [--to t]
                                                          the live report, per step (default: npm start's API and key)
  jo report --campaign <campaign id> [--api url] [--key k]
                                                          a campaign's runs, and its experiment: each arm against the control
  jo report --model <model id|engagement> [--api url] [--key k]
                                                          a model's last training: AUC on held-out profiles, coefficients, calibration
  jo render <template> --profile p.json [--event e.json] [--context c.json] [--locale fr] [--workspace dir] [--json]
                                                          a template rendered for a profile: subject, text, HTML (opens nothing)
  jo import pinpoint <export dir> --out <workspace>       Amazon Pinpoint's journeys, campaigns, segments, templates and endpoints
                                                          (as the AWS CLI prints them) as a workspace, profiles.jsonl, migration-report.md
  jo import profiles <file.jsonl|file.csv> [--api url] [--key k] [--start-journeys] [--report f]
                                                          profiles into the running product (npm start's API by default), 100 a request
  jo stack <journey id> [--stacks n] [--stack-name s]     the CloudFormation stack the journey deploys in (cdk deploy <it>)`;

/** Removes `--name value` from args and returns the value. */
function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = argv;
  const workspaceFlag = option(rest, '--workspace');
  const out = option(rest, '--out');
  const loadOne = (file: string) => {
    const path = resolve(file);
    return loadWorkspace(resolve(workspaceFlag ?? resolve(path, '..', '..')), [path]).journeys[0]!;
  };
  try {
    if (command === 'stack' && rest[0]) {
      const stacks = Number(option(rest, '--stacks') ?? DEFAULT_JOURNEY_STACKS);
      console.log(journeyStackName(option(rest, '--stack-name') ?? 'OpenJourneys', journeyStackOf(rest[0], stacks)));
      return 0;
    }
    if (command === 'validate') {
      const [root = 'examples/store', ...files] = rest;
      const ws = loadWorkspace(resolve(root), files.map((f) => resolve(f)));
      console.log(`ok: ${ws.journeys.length} journey(s), ${Object.keys(ws.templates).length} template(s), ${ws.audiences.length} audience(s), ${Object.keys(ws.campaigns).length} campaign(s), ${ws.models.length} model(s)`);
      return 0;
    }
    if (command === 'compile' && rest[0]) {
      const asl = renderDefinition(loadOne(rest[0]).definition, { pretty: true });
      if (out) writeFileSync(out, asl);
      else process.stdout.write(asl);
      return 0;
    }
    if (command === 'simulate' && rest[0]) {
      const profile = option(rest, '--profile');
      const events = option(rest, '--events');
      if (!profile) {
        console.error('jo simulate needs --profile p.json: { "id": "...", "attributes": { ... } }');
        return 2;
      }
      const report = await simulate({ journeyFile: rest[0], profileFile: profile, ...(events ? { eventsFile: events } : {}), ...(workspaceFlag ? { workspace: workspaceFlag } : {}) });
      process.stdout.write(formatReport(report));
      return 0;
    }
    if (command === 'cost' && rest[0]) {
      const json = rest.includes('--json');
      const entrants = Number(option(rest, '--entrants') ?? 1_000_000);
      if (!(Number.isInteger(entrants) && entrants > 0)) {
        console.error('jo cost: --entrants is a whole number above 0, such as 1000000');
        return 2;
      }
      const profile = option(rest, '--profile');
      const events = option(rest, '--events');
      const report = await journeyCost({ journeyFile: rest[0], ...(profile ? { profileFile: profile } : { profile: COST_PROFILE }), ...(events ? { eventsFile: events } : {}), ...(workspaceFlag ? { workspace: workspaceFlag } : {}) }, entrants);
      process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatCost(report));
      return 0;
    }
    if (command === 'render' && rest[0]) {
      const json = rest.includes('--json');
      const profile = option(rest, '--profile');
      if (!profile) {
        console.error('jo render needs --profile p.json: { "id": "...", "attributes": { ... } }');
        return 2;
      }
      const [event, context, locale] = [option(rest, '--event'), option(rest, '--context'), option(rest, '--locale')];
      try {
        const preview = renderCommand({ template: rest[0], profileFile: profile, ...(workspaceFlag ? { workspace: workspaceFlag } : {}), ...(event ? { eventFile: event } : {}), ...(context ? { contextFile: context } : {}), ...(locale ? { locale } : {}) });
        process.stdout.write(json ? `${JSON.stringify(preview, null, 2)}\n` : formatPreview(preview));
        return 0;
      } catch (error) {
        if (error instanceof WorkspaceError) throw error;
        console.error(`jo render: ${(error as Error).message}`);
        return 1;
      }
    }
    if (command === 'import' && rest[0] === 'pinpoint' && rest[1]) {
      const target = out ?? option(rest, '--out');
      if (!target) {
        console.error('jo import pinpoint needs --out <workspace folder>');
        return 2;
      }
      const s = importPinpointCommand(rest[1], target);
      console.log(`wrote ${s.written} file(s) to ${target} (${s.changed} changed), ${s.profiles} profile(s) in profiles.jsonl; ${s.attention} item(s) need attention: see migration-report.md`);
      if (s.problems.length > 0) {
        console.error(`the workspace has ${s.problems.length} problem(s):\n${s.problems.map((p) => `  ${p}`).join('\n')}`);
        return 1;
      }
      console.log('jo validate: ok');
      return 0;
    }
    if (command === 'import' && rest[0] === 'profiles' && rest[1]) {
      const running = readRuntimeFile();
      const api = option(rest, '--api') ?? process.env.JO_API_URL ?? running?.apiUrl ?? 'http://127.0.0.1:3000';
      const reportFile = option(rest, '--report') ?? `${rest[1]}.import-report.json`;
      const report = await importProfilesCommand({ file: rest[1], api, key: option(rest, '--key') ?? process.env.JO_API_KEY ?? running?.apiKey ?? DEFAULT_API_KEY, startJourneys: rest.includes('--start-journeys') });
      writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`${report.accepted} profile(s) imported, ${report.duplicates} already imported, ${report.errors.length} line(s) refused (${reportFile})`);
      for (const e of report.errors.slice(0, 10)) console.error(`  ${rest[1]}:${e.line}: ${e.message}`);
      return report.errors.length > 0 ? 1 : 0;
    }
    if (command === 'report' && rest[0]) {
      const from = option(rest, '--from');
      const to = option(rest, '--to');
      const running = readRuntimeFile();
      const api = option(rest, '--api') ?? process.env.JO_API_URL ?? running?.apiUrl ?? 'http://127.0.0.1:3000';
      try {
        const key = option(rest, '--key') ?? process.env.JO_API_KEY ?? running?.apiKey ?? DEFAULT_API_KEY;
        const campaign = option(rest, '--campaign');
        const model = option(rest, '--model');
        if (campaign) process.stdout.write(formatCampaignReport(await fetchCampaignReport({ api, key, campaign })));
        else if (model) process.stdout.write(formatModelReport(await fetchModelReport({ api, key, model })));
        else process.stdout.write(formatJourneyReport(await fetchReport({ api, key, journey: rest[0], ...(from ? { from } : {}), ...(to ? { to } : {}) })));
        return 0;
      } catch (error) {
        console.error(`jo report: ${(error as Error).message} (API ${api}; is npm start running?)`);
        return 1;
      }
    }
    if (command === 'graph' && rest[0]) {
      const { journey } = loadOne(rest[0]);
      const outline = outlineJourney(journey);
      const mermaid = toMermaid(outline);
      if (!out) {
        process.stdout.write(mermaid);
        return 0;
      }
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, `${journey.id}.mmd`), mermaid);
      writeFileSync(join(out, `${journey.id}.svg`), toSvg(outline));
      console.log(`wrote ${join(out, `${journey.id}.mmd`)} and ${join(out, `${journey.id}.svg`)}`);
      return 0;
    }
  } catch (error) {
    if (error instanceof WorkspaceError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  console.error(USAGE);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
