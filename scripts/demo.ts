import { STORIES, type Api } from '../examples/stories';
import { DEFAULT_API_KEY, READ_API_KEY } from '../local/runtime';
import { readRuntimeFile } from '../local/runtime-file';

// `npm run demo`: plays each use case of examples/stories.ts against a running `npm start`, then prints what
// happened to each profile (the emails, pushes and texts captured), with links to the mail viewer, the push
// and SMS outbox, and the report page.

// The API of the running npm start (it writes .local/runtime.json), unless JO_API_URL / JO_API_KEY say otherwise.
const running = readRuntimeFile();
const apiUrl = (process.env.JO_API_URL ?? running?.apiUrl ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const key = process.env.JO_API_KEY ?? running?.apiKey ?? DEFAULT_API_KEY;
const run = `demo${new Date().toISOString().slice(11, 19).replaceAll(':', '')}`;

async function call(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const r = await fetch(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const answer = (await r.json()) as Record<string, any>;
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(answer)}`);
  return answer;
}

const api: Api = {
  events: async (events) => void (await call('POST', '/events', { events })),
  trigger: async (campaign, body = {}) => (await call('POST', `/campaigns/${campaign}/trigger`, body)).runId,
  catalog: async (events) => (await call('POST', '/catalog/events', { events })).runs,
};

let index: { mailViewer: string; pushAndSmsOutbox: string };
try {
  index = (await (await fetch(`${apiUrl}/`)).json()) as typeof index;
} catch {
  console.error(`no API at ${apiUrl}: start it first with \`npm start\` (or set JO_API_URL)`);
  process.exit(1);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const story of STORIES) {
  console.log(`\n== ${story.title}`);
  const { campaignRun } = await story.play(api, run);
  // A journey answers in well under a second locally; a campaign run when it is done (or scheduled).
  for (let i = 0; i < 40 && campaignRun; i += 1) {
    const r = await call('GET', `/campaigns/${story.campaign}/runs/${campaignRun}`);
    if (r.status === 'done' || r.sendTimes.some((t: string) => Date.parse(t) > Date.now() + 60_000)) {
      console.log(`campaign ${story.campaign}, run ${campaignRun}: ${r.status}, ${r.sent} sent of ${r.targeted}${r.status === 'done' ? '' : `; sends at ${r.sendTimes.join(', ')}`}`);
      break;
    }
    await sleep(250);
  }
  await sleep(campaignRun ? 0 : 1000);
  const mail = ((await (await fetch(`${index.mailViewer}/store`)).json()) as { emails: Array<{ destination: { to: string[] }; subject: string }> }).emails;
  const outbox = (await (await fetch(`${index.pushAndSmsOutbox}/store`)).json()) as { push: Array<{ to: Array<{ token: string }>; title: string; body: string }>; sms: Array<{ to: string; body: string }> };
  for (const [role, id] of Object.entries(story.profiles(run))) {
    const got = [
      ...mail.filter((m) => m.destination.to.includes(`${id}@example.com`)).map((m) => `email "${m.subject}"`),
      ...outbox.push.filter((p) => p.to.some((t) => t.token === `${id}-phone`)).map((p) => `push "${p.title}: ${p.body}"`),
      ...outbox.sms.filter((s) => id.endsWith('-ben') && s.to === '+447700900123').map((s) => `text "${s.body}"`),
    ];
    console.log(`  ${id} (${role}): ${got.length > 0 ? got.join('; ') : 'nothing (yet)'}`);
  }
  console.log(`  look: ${story.look}`);
  if (story.journey) console.log(`  report: ${apiUrl}/report#journey=${story.journey}&key=${running ? READ_API_KEY : key}   graph: npx jo graph examples/store/journeys/${story.journey}.json`);
}
console.log(`\nemails: ${index.mailViewer}   push and SMS: ${index.pushAndSmsOutbox}`);
