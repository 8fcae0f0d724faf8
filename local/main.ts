import { watch } from 'node:fs';
import { parseArgs } from 'node:util';
import { WorkspaceError } from '../workspace/load';
import { READ_API_KEY, startLocalRuntime, type LocalRuntime } from './runtime';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file';

// `npm start`: the whole product on this machine. Flags: --workspace, --port, --ses-port, --dynamo-port,
// --time-scale, --data-dir, --memory, --verbose.

const { values } = parseArgs({
  options: {
    workspace: { type: 'string', default: 'examples/store' },
    port: { type: 'string', default: '3000' },
    'ses-port': { type: 'string', default: '8005' },
    'dynamo-port': { type: 'string', default: '8006' },
    'messaging-port': { type: 'string', default: '8007' },
    'time-scale': { type: 'string', default: '1' },
    'data-dir': { type: 'string', default: '.local/data' },
    memory: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const timeScale = Number(values['time-scale']);
if (!(timeScale > 0 && timeScale <= 1)) {
  console.error('--time-scale must be a number in (0, 1], such as 0.00001 to let P3D pass in about 2.6 s');
  process.exit(2);
}

let runtime: LocalRuntime;
try {
  runtime = await startLocalRuntime({
    workspace: values.workspace,
    apiPort: Number(values.port),
    sesPort: Number(values['ses-port']),
    dynamoPort: Number(values['dynamo-port']),
    messagingPort: Number(values['messaging-port']),
    ...(values.memory ? {} : { dataDir: values['data-dir'] }),
    timeScale,
    logLevel: values.verbose ? 'INFO' : 'WARN',
  });
} catch (error) {
  // A workspace with mistakes, or a port in use: say what, not where in our code.
  if (error instanceof WorkspaceError) console.error(error.message);
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`a port is in use: ${(error as Error).message} (is npm start already running? see --port)`);
  else throw error;
  process.exit(1);
}

// The links and the example event are the loaded workspace's: its first journey with an entry event of its own
// (the store example's README event when it is that workspace).
const journeys = runtime.workspace.journeys.map((j) => j.journey);
const first = journeys.find((j) => j.id === 'post-purchase') ?? journeys.find((j) => j.entry.event !== undefined) ?? journeys[0];
const reportJourney = journeys.find((j) => j.id === 'onboarding') ?? first;
const example = JSON.stringify(
  first?.id === 'post-purchase'
    ? { id: 'evt-1001', type: 'order.delivered', profileId: 'ada', attributes: { email: 'ada@example.com', firstName: 'Ada' }, properties: { orderId: 'A-1001', delayed: false } }
    : { id: 'evt-1001', type: first?.entry.event ?? 'page.viewed', profileId: 'ada', attributes: { email: 'ada@example.com', firstName: 'Ada' }, properties: {} },
);
writeRuntimeFile({ pid: process.pid, apiUrl: runtime.apiUrl, mailUrl: runtime.mailUrl, apiKey: runtime.apiKey, workspace: values.workspace });
console.log(`open-journeys is running locally (workspace ${values.workspace}, ${runtime.workspace.journeys.length} journeys${timeScale === 1 ? '' : `, waits x${timeScale}`})

  API           ${runtime.apiUrl}/events        (Authorization: Bearer ${runtime.apiKey})
  Mail viewer   ${runtime.mailUrl}
  Push and SMS  ${runtime.messagingUrl}
  DynamoDB      ${runtime.dynamoUrl}             (dynalite${values.memory ? ', in memory' : `, data in ${values['data-dir']}`})
  Profiles      ${runtime.apiUrl}/profiles/<id>  (and ?email=..., /export, DELETE)
  Exports       ${runtime.exportsDir}
  Reports       ${reportJourney ? `${runtime.apiUrl}/report#journey=${reportJourney.id}&key=${READ_API_KEY}   (a read-only key; or: npx jo report ${reportJourney.id})` : '(no journey in this workspace)'}
  Use cases     npm run demo   (in another terminal: the README's tutorial)

Send an event${first ? ` (it enters ${first.id}${first.id === 'post-purchase' ? ': the survey email shows in the mail viewer' : ''})` : ''}:

curl -s -X POST ${runtime.apiUrl}/events \\
  -H 'Authorization: Bearer ${runtime.apiKey}' -H 'Content-Type: application/json' \\
  -d '${example}'
`);

// Editing a journey or template applies at once: new entries get the new version, profiles inside keep theirs.
let pending: NodeJS.Timeout | undefined;
watch(values.workspace, { recursive: true }, () => {
  clearTimeout(pending);
  pending = setTimeout(async () => {
    try {
      const { changed } = await runtime.reload();
      console.log(changed.length > 0 ? `reloaded: new versions of ${changed.join(', ')}` : 'reloaded: no journey changed');
    } catch (error) {
      if (!(error instanceof WorkspaceError)) throw error;
      console.error(`not reloaded, the running journeys stay as they were:\n${error.message}`);
    }
  }, 200);
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('stopping...');
  removeRuntimeFile(process.pid);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
