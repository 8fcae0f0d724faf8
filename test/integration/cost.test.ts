import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COST_PROFILE, measureUsage, priceUsage } from '../../cli/cost';

// `jo cost` derives its figures from the journey: run on the local runtime, the requests counted, then priced.
// The same journey with one more wait and one more email costs more, by what those add.

const dir = mkdtempSync(join(tmpdir(), 'jo-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jo cost', () => {
  it('prices what the journey does: a journey changed costs differently, and Express stays under $25 a million for onboarding', async () => {
    cpSync('examples/store', dir, { recursive: true });
    const file = join(dir, 'journeys/onboarding.json');
    const before = priceUsage(await measureUsage({ journeyFile: file, profile: COST_PROFILE }, 'express'), 'express', 1_000_000);
    expect(before.total).toBeLessThanOrEqual(25);
    expect(before.perEntrant).toMatchObject({ executions: 2, resumeSchedules: 1 });

    // The nudge followed by a day's wait and a reminder: one more park, one more resume, one more email.
    const journey = JSON.parse(readFileSync(file, 'utf8'));
    journey.steps['install-nudge'].next = 'pause';
    journey.steps.pause = { type: 'wait', for: 'P1D', next: 'reminder' };
    journey.steps.reminder = { type: 'email', template: 'install-app', next: 'installed' };
    writeFileSync(file, JSON.stringify(journey));
    const after = priceUsage(await measureUsage({ journeyFile: file, profile: COST_PROFILE }, 'express'), 'express', 1_000_000);
    expect(after.perEntrant).toMatchObject({ executions: 3, resumeSchedules: 2 });
    expect(after.providerFees).toBe(2 * before.providerFees);
    expect(after.total).toBeGreaterThan(before.total);
    expect(after.perService.scheduler).toBe(2 * before.perService.scheduler!);
  });
});
