import type { Activity, JourneyResponse, SimpleCondition, WaitTime } from '@aws-sdk/client-pinpoint';
import type { Predicate } from '../../statemachines';
import { parseDuration } from '../../statemachines/schema/duration';
import { dimensionsPredicate, eventPredicate, eventType, NEVER } from './predicates';
import { slug, type MigrationLog } from './report';

// A Pinpoint journey (its Activities) as a journey of this product: one step per activity where there is an
// equivalent; an activity without one (CUSTOM, ContactCenter) is passed over to its next activity and
// reported, so the journey is still produced.

type Written = Record<string, unknown>;

export interface ImportContext {
  log: MigrationLog;
  /** `<channel>:<Pinpoint template name>` → template name here. */
  templates: Map<string, string>;
  /** Pinpoint segment id → audience id here. */
  segments: Map<string, string>;
  /** Pinpoint segment id → the channels its endpoints are of, where its dimensions say (segments.ts channelScope). */
  scopes: Map<string, Set<string>>;
  ids: Set<string>;
  /** Quiet times asked for (rules.json has one quiet window for all). */
  quietTimes: Array<{ start: string; end: string; where: string }>;
  /** Journeys and campaigns that had no quiet time: the workspace's applies to them all the same. */
  unquiet: string[];
  /** When the import runs: a start time before it is past. */
  now: Date;
}

const CHANNELS = { EMAIL: 'email', SMS: 'sms', PUSH: 'push' } as const;

/** A duration this product takes: weeks, days, hours, minutes, seconds (months and years approximated). */
export function durationOf(value: string, where: string, log: MigrationLog): string {
  if (parseDuration(value).ok) return value;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$/.exec(value);
  if (m && (m[1] || m[2])) {
    const days = Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0) * 7 + Number(m[4] ?? 0);
    const approx = `P${days}D${value.includes('T') ? value.slice(value.indexOf('T')) : ''}`;
    if (parseDuration(approx).ok) {
      log.change(where, `the duration ${value} is approximated as ${approx} (months are 30 days, years 365)`);
      return approx;
    }
  }
  log.attend(where, `the duration ${value} is not one this product takes: one day is used`);
  return 'P1D';
}

// Room for a suffix (`-eval`) under the 64 characters of a step id.
const stepIdOf = (key: string, taken: Set<string>) => slug(key, taken, 58);

/** A wait step's timing from a Pinpoint WaitTime. */
function waitFields(w: WaitTime, where: string, log: MigrationLog): Written {
  if (w.WaitUntil) return { until: new Date(w.WaitUntil).toISOString().replace(/\.000Z$/, 'Z') };
  return { for: durationOf(w.WaitFor ?? 'PT1S', where, log) };
}

/** A simple condition as a predicate; an event condition is handled by the caller (a wait for the event). */
function simplePredicate(c: SimpleCondition, ctx: ImportContext, where: string): Predicate {
  if (c.SegmentDimensions) return (dimensionsPredicate(c.SegmentDimensions, where, ctx.log) as Predicate | undefined) ?? { path: 'profile.id', op: 'exists' };
  if (c.SegmentCondition) ctx.log.attend(where, `a condition on membership of segment ${c.SegmentCondition.SegmentId} has no equivalent in journey conditions (audiences start journeys instead): the false branch is always taken`);
  else ctx.log.attend(where, 'an event condition among several conditions has no equivalent: the false branch is always taken');
  return NEVER;
}

export function mapJourney(j: JourneyResponse, file: string, ctx: ImportContext): { journey: Written; campaign?: Written } {
  const log = ctx.log;
  const id = slug(j.Name ?? j.Id ?? 'journey', ctx.ids);
  const pinpointId = j.Id ?? id;
  const self = log.item('journey', pinpointId, file, { to: `journeys/${id}.json` });
  const at = (what: string) => `${self} ${what}`;
  const activities = j.Activities ?? {};
  const taken = new Set<string>(['done']);
  const stepOf = new Map(Object.keys(activities).map((key) => [key, stepIdOf(key, taken)]));
  const keyOf = new Map([...stepOf].map(([key, step]) => [step, key]));
  for (const [key, step] of stepOf) log.item('activity', key, file, { label: `journey ${pinpointId} activity ${key}`, parent: pinpointId, to: `journeys/${id}.json#steps.${step}` });
  const steps: Record<string, Written> = {};
  /** Activities passed over, and where they lead. */
  const passOver = new Map<string, string | undefined>();
  const target = (key: string | undefined, seen = new Set<string>()): string => {
    if (!key || !stepOf.has(key)) return 'done';
    if (passOver.has(key) && !seen.has(key)) return target(passOver.get(key), seen.add(key));
    return stepOf.get(key)!;
  };
  const links: Array<() => void> = [];
  const startSegment = j.StartCondition?.SegmentStartCondition?.SegmentId;
  const scope = startSegment ? ctx.scopes.get(startSegment) : undefined;

  for (const [key, a] of Object.entries(activities) as Array<[string, Activity]>) {
    const where = at(`activity ${key}`);
    const step = stepOf.get(key)!;
    const message = (['EMAIL', 'SMS', 'PUSH'] as const).find((c) => a[c]);
    if (message) {
      const m = a[message]!;
      const channel = CHANNELS[message];
      const template = ctx.templates.get(`${channel}:${m.TemplateName}`);
      if (!template) {
        log.drop(where, `${message} activity names template "${m.TemplateName}", not in the export: passed over`);
        passOver.set(key, m.NextActivity);
        continue;
      }
      if (scope && !scope.has(channel)) {
        log.drop(where, `the journey's participants are the ${[...scope].join(', ')} endpoints of segment ${startSegment}, which get no ${channel} in Pinpoint: left out (its next activity follows)`);
        passOver.set(key, m.NextActivity);
        continue;
      }
      const config = m.MessageConfig as Record<string, unknown> | undefined;
      if (config && Object.keys(config).length > 0) log.attend(where, `message settings ${Object.keys(config).join(', ')} not carried: the deployment's sender is used`);
      if (m.TemplateVersion) log.change(where, `pinned to template version ${m.TemplateVersion}: the template as exported is used (this product keeps one version of a template, in Git)`);
      links.push(() => (steps[step] = { type: channel, template, next: target(m.NextActivity) }));
      log.count(`${channel} steps`);
    } else if (a.Wait) {
      const w = a.Wait;
      if (w.WaitTime?.WaitUntil && j.LocalTime) log.change(where, 'WaitUntil in each endpoint local time is read as one instant (UTC)');
      links.push(() => (steps[step] = { type: 'wait', ...waitFields(w.WaitTime ?? {}, where, log), next: target(w.NextActivity) }));
      log.count('wait steps');
    } else if (a.ConditionalSplit || a.MultiCondition) {
      const waitTime = (a.ConditionalSplit ?? a.MultiCondition)!.EvaluationWaitTime;
      const conditions = a.ConditionalSplit?.Condition?.Conditions ?? [];
      const single = a.ConditionalSplit && conditions.length === 1 ? conditions[0]?.EventCondition : undefined;
      if (single) {
        // "Did the person open the email?": whether the event happened since the message, at the end of the
        // evaluation wait. A wait for the event that also counts one sent before the wait began (since entry),
        // so an open during an earlier wait counts; the wait's timeout is the evaluation wait.
        const dims = single.Dimensions;
        const type = eventType(dims?.EventType?.Values?.[0] ?? '_email.open', where, log);
        const sent = single.MessageActivity ? stepOf.get(single.MessageActivity) : undefined;
        if (single.MessageActivity && !sent) log.attend(where, `the condition names message activity ${single.MessageActivity}, not in the journey: any ${type} since entry counts`);
        const onEvent = eventPredicate(dims, where, log);
        const filters: Predicate[] = [...(sent ? [{ path: 'event.properties.journey', op: 'eq', value: id } as Predicate, { path: 'event.properties.step', op: 'eq', value: sent } as Predicate] : []), ...(onEvent ? [onEvent] : [])];
        const timeout = !waitTime ? 'PT1S' : waitTime.WaitUntil ? 'P1D' : durationOf(waitTime.WaitFor ?? 'P1D', where, log);
        if (waitTime?.WaitUntil) log.change(where, 'an evaluation wait until a date becomes a one-day timeout');
        if (!waitTime) log.change(where, 'evaluated at once in Pinpoint: a one-second wait for the event that counts one since entry');
        log.change(where, `an event condition: the person moves on to the yes branch as soon as ${type} has happened (since entry), where Pinpoint waited out the evaluation time`);
        log.note('A condition on an event (opened, clicked, a custom event) becomes a `waitForEvent` step with `since: "entry"`: an event since the person entered counts (an open during an earlier wait), and it moves on when the event comes, where Pinpoint waited out the whole evaluation time.');
        links.push(() => (steps[step] = { type: 'waitForEvent', event: type, since: 'entry', ...(filters.length ? { where: filters.length === 1 ? filters[0] : { all: filters } } : {}), timeout, onTimeout: target(a.ConditionalSplit!.FalseActivity), next: target(a.ConditionalSplit!.TrueActivity) }));
        log.count('condition steps (as waits for an event)');
        continue;
      }
      const decide = waitTime ? `${step}-eval` : step;
      if (waitTime) {
        taken.add(decide);
        links.push(() => (steps[step] = { type: 'wait', ...waitFields(waitTime, where, log), next: decide }));
      }
      if (a.ConditionalSplit) {
        const c = a.ConditionalSplit;
        const ps = conditions.map((s) => simplePredicate(s, ctx, where));
        const when: Predicate = ps.length === 0 ? { path: 'profile.id', op: 'exists' } : ps.length === 1 ? ps[0]! : c.Condition?.Operator === 'ANY' ? { any: ps } : { all: ps };
        links.push(() => (steps[decide] = { type: 'condition', branches: [{ when, next: target(c.TrueActivity) }], otherwise: target(c.FalseActivity) }));
      } else {
        const c = a.MultiCondition!;
        const branches = (c.Branches ?? []).slice(0, 20).map((b) => ({ when: b.Condition ? simplePredicate(b.Condition, ctx, where) : NEVER, key: b.NextActivity }));
        if (branches.length === 0) {
          passOver.set(key, c.DefaultActivity);
          continue;
        }
        links.push(() => (steps[decide] = { type: 'condition', branches: branches.map((b) => ({ when: b.when, next: target(b.key) })), otherwise: target(c.DefaultActivity) }));
      }
      log.count('condition steps');
    } else if (a.RandomSplit || a.Holdout) {
      const paths = a.RandomSplit
        ? (a.RandomSplit.Branches ?? []).filter((b) => (b.Percentage ?? 0) > 0).map((b) => ({ weight: b.Percentage!, key: b.NextActivity as string | undefined, holdout: false }))
        : [
            { weight: a.Holdout!.Percentage ?? 0, key: undefined, holdout: true },
            { weight: 100 - (a.Holdout!.Percentage ?? 0), key: a.Holdout!.NextActivity, holdout: false },
          ].filter((p) => p.weight > 0);
      if (paths.length < 2) {
        passOver.set(key, paths.find((p) => !p.holdout)?.key);
        if (paths[0]?.holdout) log.drop(where, 'a 100% holdout: passed over (every profile would leave here)');
        continue;
      }
      links.push(() => (steps[step] = { type: 'split', paths: paths.slice(0, 10).map((p) => (p.holdout ? { weight: p.weight, holdout: true } : { weight: p.weight, next: target(p.key) })) }));
      log.count(a.Holdout ? 'holdouts (split steps)' : 'random splits');
    } else if (a.CUSTOM || a.ContactCenter) {
      const next = (a.CUSTOM ?? a.ContactCenter)!.NextActivity;
      log.drop(where, a.CUSTOM ? `CUSTOM activity (${a.CUSTOM.DeliveryUri ?? 'no URI'}) has no equivalent: passed over; add a webhook step and an action calling the same endpoint` : 'ContactCenter (Amazon Connect) activity has no equivalent: passed over');
      passOver.set(key, next);
    } else {
      log.drop(where, 'an activity of no known kind: passed over to the end');
      passOver.set(key, undefined);
    }
  }
  for (const link of links) link();
  steps.done = { type: 'end' };

  // A draft's loose activities reach nothing: dropped (and reported), as the journey language refuses them.
  const start = target(j.StartActivity);
  const reached = new Set<string>();
  const visit = (s: string) => {
    if (reached.has(s) || !steps[s]) return;
    reached.add(s);
    JSON.stringify(steps[s], (k, v: unknown) => ((k === 'next' || k === 'otherwise' || k === 'onTimeout') && typeof v === 'string' ? (visit(v), v) : v));
  };
  visit(start);
  for (const s of Object.keys(steps)) {
    if (!reached.has(s)) {
      if (s !== 'done') log.drop(at(`activity ${keyOf.get(s) ?? s.replace(/-eval$/, '')}`), 'no path from the start activity reaches it: left out');
      delete steps[s];
    }
  }

  const state = j.State ?? 'ACTIVE';
  const live = state === 'ACTIVE';
  const journey: Written = { id, name: (j.Name ?? id).slice(0, 200), description: `Imported from Amazon Pinpoint journey ${j.Id ?? ''} (${j.State ?? 'state unknown'}).`, ...(live ? {} : { paused: true }), entry: {}, start, steps };
  if (!live) {
    const why = state === 'DRAFT' ? 'a draft in Pinpoint, never published' : state === 'PAUSED' ? 'paused in Pinpoint' : `${state} in Pinpoint`;
    log.change(at('State'), `${why}: imported paused (it takes no entries, and its start campaign is not scheduled); remove "paused" to make it live`);
  }
  let campaign: Written | undefined;
  const sc = j.StartCondition;
  const window: Predicate[] = [];
  if (j.Schedule?.StartTime) window.push({ path: 'event.timestamp', op: 'gte', value: new Date(j.Schedule.StartTime).toISOString() });
  if (j.Schedule?.EndTime) window.push({ path: 'event.timestamp', op: 'lte', value: new Date(j.Schedule.EndTime).toISOString() });
  if (sc?.EventStartCondition) {
    const filter = sc.EventStartCondition.EventFilter;
    const types = filter?.Dimensions?.EventType?.Values ?? [];
    if (types.length > 1) log.attend(at('StartCondition'), `entry on any of ${types.join(', ')}: this journey enters on ${types[0]}; copy it for the others`);
    if (sc.EventStartCondition.SegmentId) log.attend(at('StartCondition'), 'entry limited to a segment: not carried (give the journey an entry.when on profile attributes)');
    const onEvent = eventPredicate(filter?.Dimensions, at('StartCondition'), log);
    const when = [...window, ...(onEvent ? [onEvent] : [])];
    journey.entry = { event: eventType(types[0] ?? 'journey.start', at('StartCondition'), log), ...(when.length ? { when: when.length === 1 ? when[0] : { all: when } } : {}) };
    if (j.Schedule?.EndTime) log.change(at('Schedule.EndTime'), `no entries after ${new Date(j.Schedule.EndTime).toISOString()} (entry.when); runs under way go on to their end`);
  } else {
    // A segment journey: a campaign enters the segment's members, at the start time or when triggered.
    const segmentId = sc?.SegmentStartCondition?.SegmentId;
    const audience = segmentId ? ctx.segments.get(segmentId) : undefined;
    const campaignId = slug(`${id}-start`, ctx.ids);
    const startAt = j.Schedule?.StartTime ? new Date(j.Schedule.StartTime) : undefined;
    const future = startAt !== undefined && startAt.getTime() > ctx.now.getTime();
    if (sc?.SegmentStartCondition && !audience) log.attend(at('StartCondition'), `segment ${segmentId} is not in the export: the start campaign is triggered by the API with profile ids`);
    else if (live && !future) log.change(at('Schedule.StartTime'), `${startAt ? `started in Pinpoint at ${startAt.toISOString()}, which is past` : 'no start time'}: its start campaign runs when triggered once after deployment (POST /campaigns/${campaignId}/trigger or npx jo campaign trigger ${campaignId}); members who went through it in Pinpoint enter again`);
    if (j.RefreshFrequency || j.RefreshOnSegmentUpdate) log.attend(at('RefreshFrequency'), 'segment refresh is not carried: the start campaign enters the members of its run; start on audience.entered for later members');
    if (j.Schedule?.EndTime) log.change(at('Schedule.EndTime'), `the end (${new Date(j.Schedule.EndTime).toISOString()}) is not carried: members enter by the start campaign only, and runs under way go on to their end`);
    campaign = {
      id: campaignId,
      name: `Start of ${journey.name as string}`,
      ...(audience ? { audience } : {}),
      journey: id,
      ...(live && audience && startAt && future ? { schedule: { at: startAt.toISOString().slice(0, 16), timeZone: 'UTC' } } : { trigger: 'api' }),
    };
    log.count('start campaigns (segment journeys)');
  }
  const limits = j.Limits ?? {};
  if (limits.EndpointReentryCap === 1) journey.reentry = 'never';
  else if (limits.EndpointReentryInterval) journey.reentry = { after: durationOf(limits.EndpointReentryInterval, at('Limits'), log) };
  if ((limits.EndpointReentryCap ?? 0) > 1) log.attend(at('Limits.EndpointReentryCap'), `at most ${limits.EndpointReentryCap} entries per endpoint is not carried (re-entry here: never, always, or after a time)`);
  for (const k of ['DailyCap', 'TotalCap', 'MessagesPerSecond', 'TimeframeCap'] as const) if (limits[k] !== undefined) log.attend(at(`Limits.${k}`), `${k} (${JSON.stringify(limits[k])}) has no journey-level equivalent (frequency caps in rules.json are per profile, channel and category): not carried`);
  if (j.QuietTime?.Start && j.QuietTime.End) ctx.quietTimes.push({ start: j.QuietTime.Start, end: j.QuietTime.End, where: at('QuietTime') });
  else ctx.unquiet.push(self);
  if (j.QuietTime && j.WaitForQuietTime === false) log.change(at('WaitForQuietTime'), 'messages in quiet time wait for its end here; Pinpoint skipped them');
  if (j.OpenHours || j.ClosedDays || j.SendingSchedule) log.attend(at('OpenHours'), 'open hours and closed days are not carried: rules.json quietHours is the one sending window');
  if (j.JourneyChannelSettings) log.attend(at('JourneyChannelSettings'), 'Amazon Connect settings are not carried');
  if (j.LocalTime) log.change(at('LocalTime'), "in each endpoint's local time in Pinpoint: the journey's start, end and wait dates are read as instants here (a wait step's atLocalTime waits for a time of day where the person is)");
  if (j.Schedule?.Timezone && j.Schedule.Timezone !== 'UTC') log.change(at('Schedule.Timezone'), `the schedule's time zone ${j.Schedule.Timezone}: its start and end are carried as the instants they name`);
  if (j.TimezoneEstimationMethods?.length) log.attend(at('TimezoneEstimationMethods'), `time zones estimated from ${j.TimezoneEstimationMethods.join(' and ')} are not: a profile without timeZone is read in UTC (the profile import reports how many have none)`);
  log.count('journeys');
  return { journey, ...(campaign ? { campaign } : {}) };
}
