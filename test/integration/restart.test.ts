import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamo } from '../../local/emulators';
import { eventually } from './helpers';
import { exited, profilesTableAt, startProcess } from './process';

// `npm start` killed (SIGKILL) right after answering 202 for a batch of 100, then started again on the same
// data dir: every accepted event is applied, once, and the journeys they start run.

const dataDir = mkdtempSync(join(tmpdir(), 'jo-restart-'));
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([...children].map(exited));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start killed after a 202, then restarted on the same data dir', () => {
  it('applies all 100 accepted events once, and runs the journeys they start', async () => {
    const first = await startProcess(dataDir, children);
    const events = Array.from({ length: 100 }, (_, i) => ({ id: `rs-${i}`, type: 'order.delivered', profileId: `rs-${i}`, attributes: { email: `rs-${i}@example.com`, firstName: 'R' }, properties: { orderId: `RS-${i}` } }));
    const answer = await fetch(`${first.api}/events`, { method: 'POST', headers: { authorization: 'Bearer local-dev-key', 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
    first.child.kill('SIGKILL');
    expect(answer.status).toBe(202);
    expect(((await answer.json()) as { accepted: string[] }).accepted).toHaveLength(100);
    await exited(first.child);

    // What the killed process had applied: read from its data with DynamoDB alone.
    const dynamo = await startDynamo(0, join(dataDir, 'data', 'dynamodb'));
    const before = new Set((await profilesTableAt(dynamo.url)).filter((i) => String(i.pk).startsWith('R#rs-') && i.status === 'published').map((i) => String(i.pk).slice(2)));
    await dynamo.close();

    const second = await startProcess(dataDir, children);
    const items = await eventually(async () => {
      const all = await profilesTableAt(second.dynamo);
      return all.filter((i) => String(i.pk).startsWith('R#rs-') && i.status === 'published').length === 100 && all;
    }, 60_000);
    for (const e of events) {
      expect(items.filter((i) => i.pk === `P#${e.profileId}` && String(i.sk).startsWith('E#')), e.id).toHaveLength(1);
      expect(items.find((i) => i.pk === `P#${e.profileId}` && i.sk === 'PROFILE')).toMatchObject({ attributes: { email: `rs-${e.profileId.slice(3)}@example.com` } });
    }
    // Each event applied after the restart starts its journey: the survey email, once.
    const after = events.filter((e) => !before.has(e.id)).map((e) => `${e.profileId}@example.com`);
    const mails = await eventually(async () => {
      const found = ((await (await fetch(`${second.mail}/store`)).json()) as { emails: Array<{ destination: { to: string[] } }> }).emails.flatMap((m) => m.destination.to);
      return after.every((to) => found.includes(to)) && found;
    }, 60_000);
    expect(mails.filter((to) => to.startsWith('rs-')).sort()).toStrictEqual(after.sort());
    console.log(`restart: ${before.size} of 100 applied before the kill, ${after.length} after the restart`);
  }, 180_000);
});
