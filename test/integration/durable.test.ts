import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers';
import { exited, profilesTableAt, startProcess } from './process';

// Express runs parked in a wait and in a waitForEvent survive a SIGKILL of `npm start`: restarted on the same
// data dir, each resumes at its time (a due time that passed while the runtime was down, at once), the awaited
// event resumes the right run, exit criteria end the right ones, the reports are exact, nothing is sent twice.
// Time scale 0.0004: PT6H passes in 8.6 s, P1D in 35 s, P30D in 17 minutes (never, here).

const dataDir = mkdtempSync(join(tmpdir(), 'jo-durable-'));
const children = new Set<ChildProcess>();
const KEY = 'local-dev-key';

const parked = (all: Array<Record<string, any>>) => all.filter((i) => String(i.pk).startsWith('W#') && i.continuation?.status === 'parked');

async function post(api: string, events: unknown[]) {
  const r = await fetch(`${api}/events`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
  expect(r.status).toBe(202);
}
const mailTo = async (mail: string) =>
  ((await (await fetch(`${mail}/store`)).json()) as { emails: Array<{ destination: { to: string[] }; subject: string }> }).emails.map((m) => `${m.destination.to[0]} ${m.subject.split(' ')[0]}`);
const report = async (api: string, journey: string) => (await (await fetch(`${api}/journeys/${journey}/report`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as Record<string, any>;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([...children].map(exited));
  rmSync(dataDir, { recursive: true, force: true });
});

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('npm start killed (SIGKILL) with 40 runs parked, restarted on the same data dir', () => {
  it('resumes each at its time or on its event, honours exits, counts exactly, sends nothing twice', async () => {
    const first = await startProcess(dataDir, children, ['--workspace', 'test/fixtures/workspaces/durable', '--time-scale', '0.0004']);
    const person = (id: string) => ({ email: `${id}@example.com`, firstName: id });
    await post(first.api, [
      ...ids('r', 10).map((p) => ({ id: `${p}-saved`, type: 'cart.saved', profileId: p, attributes: person(p), properties: {} })),
      ...ids('n', 10).map((p) => ({ id: `${p}-trial`, type: 'trial.started', profileId: p, attributes: person(p), properties: {} })),
      ...ids('c', 20).map((p) => ({ id: `${p}-card`, type: 'card.issued', profileId: p, attributes: person(p), properties: {} })),
      ...ids('l', 2).map((p) => ({ id: `${p}-renewed`, type: 'plan.renewed', profileId: p, attributes: person(p), properties: {} })),
    ]);
    await eventually(async () => parked(await profilesTableAt(first.dynamo)).length === 40 && (await report(first.api, 'legacy')).totals.entered === 2, 30_000);
    // Killed once the parks' writes are whole: the local transaction emulator plays a transaction's parts one
    // by one, so a kill inside one could leave half its counts (DynamoDB's transactions are atomic).
    await eventually(async () => (await Promise.all(['reminder', 'nudge', 'activation', 'legacy'].map((j) => report(first.api, j)))).every((r) => Object.values(r.steps as Record<string, { waiting?: number }>).reduce((n, s) => n + (s.waiting ?? 0), 0) === r.totals.entered), 30_000);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const killedAt = Date.now();

    // Down long enough for the reminders' PT6H (8.6 s) to fall due while nothing runs.
    await new Promise((r) => setTimeout(r, 9_000));
    const second = await startProcess(dataDir, children, ['--workspace', 'test/fixtures/workspaces/durable', '--time-scale', '0.0004']);
    expect(Date.now() - killedAt).toBeLessThan(30_000); // the nudges (P1D, 35 s) are not due yet
    await post(second.api, [
      ...ids('n', 4).map((p) => ({ id: `${p}-cancel`, type: 'trial.cancelled', profileId: p, properties: {} })),
      ...ids('c', 10).map((p) => ({ id: `${p}-activated`, type: 'card.activated', profileId: p, properties: {} })),
    ]);

    const expected = [...ids('r', 10).map((p) => `${p}@example.com remind`), ...ids('n', 10).slice(4).map((p) => `${p}@example.com nudge`), ...ids('c', 10).map((p) => `${p}@example.com card-welcome`)].sort();
    const sent = await eventually(async () => {
      const m = await mailTo(second.mail);
      return m.length >= expected.length && m;
    }, 60_000);
    // Once each: nothing sent twice, nothing to the cancelled trials or the cards not activated.
    expect(sent.sort()).toStrictEqual(expected);

    // The report's counters settle a moment after the last email (each write is a transaction of several items).
    const want = {
      reminder: { totals: { entered: 10, completed: 10, inFlight: 0 }, steps: { later: { entered: 10, waiting: 0 } } },
      nudge: { totals: { entered: 10, completed: 6, stopped: 4, inFlight: 0 }, steps: { day: { entered: 10, waiting: 0 } } },
      activation: { totals: { entered: 20, completed: 10, inFlight: 10 }, steps: { activated: { entered: 20, waiting: 10 }, welcome: { sent: 10 } } },
      // Standard: the executions died with the process; their runs are closed as stopped on the restart.
      legacy: { totals: { entered: 2, stopped: 2, inFlight: 0 } },
    };
    const reports = async () => Object.fromEntries(await Promise.all(Object.keys(want).map(async (j) => [j, await report(second.api, j)] as const)));
    const holds = (actual: any, wanted: unknown): boolean => (typeof wanted === 'object' && wanted !== null ? Object.entries(wanted).every(([k, v]) => holds(actual?.[k], v)) : actual === wanted);
    await eventually(async () => holds(await reports(), want), 30_000).catch(() => undefined);
    expect(await reports()).toMatchObject(want);

    // The runs: ended as they should be; the ten cards not activated still parked, each once.
    const all = await profilesTableAt(second.dynamo);
    const run = (p: string) => all.find((i) => i.pk === `J#${p}`);
    for (const p of [...ids('n', 4), ...ids('l', 2)]) expect(run(p)).toMatchObject({ status: 'ended', outcome: 'ABORTED' });
    for (const p of [...ids('r', 10), ...ids('n', 10).slice(4), ...ids('c', 10)]) expect(run(p)).toMatchObject({ status: 'ended', outcome: 'SUCCEEDED' });
    expect(parked(all).map((i) => String(i.pk).slice(2)).sort()).toStrictEqual(ids('c', 20).slice(10).sort());
  }, 150_000);
});
