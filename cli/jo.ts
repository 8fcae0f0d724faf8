#!/usr/bin/env node
import { resolve } from 'node:path';
import { renderDefinition } from '../statemachines';
import { loadWorkspace, WorkspaceError } from '../workspace/load';

// jo: the journey tool. `jo validate [workspace] [journey files...]`, `jo compile <journey file> [--workspace dir]`.

const USAGE = `usage:
  jo validate [workspace] [journey.json ...]   check every journey and template; exit 1 on any problem
  jo compile <journey.json> [--workspace dir]  print the compiled state machine (ASL)`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const flag = rest.indexOf('--workspace');
  const workspaceFlag = flag >= 0 ? rest.splice(flag, 2)[1] : undefined;
  try {
    if (command === 'validate') {
      const [root = 'examples/store', ...files] = rest;
      const ws = loadWorkspace(resolve(root), files.map((f) => resolve(f)));
      console.log(`ok: ${ws.journeys.length} journey(s), ${Object.keys(ws.templates).length} template(s)`);
      return 0;
    }
    if (command === 'compile' && rest[0]) {
      const file = resolve(rest[0]);
      const root = resolve(workspaceFlag ?? resolve(file, '..', '..'));
      const ws = loadWorkspace(root, [file]);
      process.stdout.write(renderDefinition(ws.journeys[0]!.definition, { pretty: true }));
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

process.exitCode = main(process.argv.slice(2));
