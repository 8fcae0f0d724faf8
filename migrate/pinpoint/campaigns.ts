import type { CampaignResponse, MessageConfiguration, Schedule, TemplateConfiguration, TreatmentResource } from '@aws-sdk/client-pinpoint';
import type { ImportContext } from './journeys';
import { eventPredicate, eventType } from './predicates';
import { slug } from './report';
import { emailTemplate } from './templates';
import { WEEKDAYS, wallClock } from '../../functions/domain/local-time';

// Pinpoint campaigns as campaigns of this product: the segment as the audience, the template (or the inline
// message, as a template of its own), the schedule as a cron / one-off schedule in a time zone, local time,
// the rate. A/B treatments and a holdout become a journey the campaign enters everyone into, whose split step
// sends each treatment to its share; an event-triggered campaign becomes a journey that enters on the event.

type Written = Record<string, unknown>;
const two = (n: number) => String(n).padStart(2, '0');

export interface CampaignImport {
  campaign?: Written;
  journey?: Written;
  /** Templates made from inline messages, by name. */
  templates: Record<string, Written>;
}

/** Pinpoint's "UTC+01" as an IANA zone (Etc/GMT-1: the sign is POSIX's); undefined for a half hour. */
export function timeZoneOf(tz: string | undefined): string | undefined {
  if (!tz || tz === 'UTC') return 'UTC';
  const m = /^UTC([+-])(\d{2})(?::?00)?$/.exec(tz);
  if (!m) return undefined;
  const hours = Number(m[2]);
  return hours === 0 ? 'UTC' : `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
}

/** The message of a treatment: a template of the export, or its inline email made a template. */
function messageOf(t: { TemplateConfiguration?: TemplateConfiguration; MessageConfiguration?: MessageConfiguration }, name: string, where: string, ctx: ImportContext, out: CampaignImport): { channel: string; template: string } | undefined {
  const tc = t.TemplateConfiguration ?? {};
  const named = [
    ['email', tc.EmailTemplate?.Name],
    ['sms', tc.SMSTemplate?.Name],
    ['push', tc.PushTemplate?.Name],
  ].filter((x): x is [string, string] => typeof x[1] === 'string');
  if (named.length > 1) ctx.log.attend(where, `several channels (${named.map((n) => n[0]).join(', ')}): the ${named[0]![0]} message is carried`);
  if (tc.VoiceTemplate || tc.InAppTemplate) ctx.log.drop(where, 'voice and in-app templates are not carried');
  for (const [channel, ref] of [['email', tc.EmailTemplate], ['sms', tc.SMSTemplate], ['push', tc.PushTemplate]] as const) {
    if (ref?.Version) ctx.log.change(where, `the ${channel} template is pinned to version ${ref.Version}: the template as exported is used (one version of a template, in Git)`);
  }
  const config = t.MessageConfiguration;
  if (config?.EmailMessage?.FromAddress) ctx.log.attend(where, `sent from ${config.EmailMessage.FromAddress} in Pinpoint: here from the deployment's address (cdk deploy -c fromAddress=...)`);
  if (config?.SMSMessage?.OriginationNumber || config?.SMSMessage?.SenderId) ctx.log.attend(where, "the SMS origination number or sender id is not carried: the deployment's is used");
  if (named[0]) {
    const [channel, pinpointName] = named[0];
    const template = ctx.templates.get(`${channel}:${pinpointName}`);
    if (template) return { channel, template };
    ctx.log.drop(where, `template "${pinpointName}" is not in the export`);
    return undefined;
  }
  const email = t.MessageConfiguration?.EmailMessage;
  if (email) {
    const template = slug(name, new Set(Object.keys(out.templates)), 48);
    out.templates[template] = emailTemplate({ TemplateName: template, Subject: email.Title ?? name, ...(email.HtmlBody ? { HtmlPart: email.HtmlBody } : {}), ...(email.Body ? { TextPart: email.Body } : {}) }, where, ctx.log);
    ctx.templates.set(`email:${template}`, template);
    return { channel: 'email', template };
  }
  ctx.log.drop(where, 'no message this product can send (email, SMS or push template, or an inline email)');
  return undefined;
}

export function mapCampaign(c: CampaignResponse, file: string, ctx: ImportContext): CampaignImport {
  const log = ctx.log;
  const out: CampaignImport = { templates: {} };
  const id = slug(c.Name ?? c.Id ?? 'campaign', ctx.ids);
  const where = log.item('campaign', c.Id ?? id, file);
  const audience = c.SegmentId ? ctx.segments.get(c.SegmentId) : undefined;
  const schedule: Partial<Schedule> = c.Schedule ?? {};
  const main = messageOf(c, id, where, ctx, out);
  const treatments: Array<{ weight: number; message?: { channel: string; template: string }; name: string }> = (c.AdditionalTreatments ?? []).map((t: TreatmentResource, i) => {
    const at = log.item('treatment', t.Id ?? String(i + 1), file, { label: `campaign ${c.Id ?? id} treatment ${t.Id ?? i + 1}`, parent: c.Id ?? id });
    return { weight: t.SizePercent ?? 0, message: messageOf(t, `${id}-${t.TreatmentName ?? i + 1}`, at, ctx, out), name: t.TreatmentName ?? `treatment-${i + 1}` };
  });
  const holdout = c.HoldoutPercent ?? 0;
  const mainWeight = Math.max(0, 100 - holdout - treatments.reduce((n, t) => n + t.weight, 0));
  const event = schedule.Frequency === 'EVENT';
  const arms = [{ weight: mainWeight, message: main, name: c.TreatmentName ?? 'control' }, ...treatments].filter((a) => a.weight > 0 && a.message);
  // Sent on an event: a journey carries the message steps (a split for treatments and a holdout).
  let experiment: Written | undefined;
  if (!event && (treatments.length > 0 || holdout > 0)) {
    if (arms.length === 0) {
      log.drop(where, 'no treatment has a message this product can send: not imported');
      return out;
    }
    // A scheduled A/B campaign: the campaign's own treatments and holdout (its report compares them).
    const names = new Set<string>(['holdout']);
    experiment = arms.length > 1 ? { treatments: arms.map((a) => ({ id: slug(a.name, names, 32), weight: a.weight, message: a.message })) } : { message: arms[0]!.message };
    if (holdout > 50) log.change(where, `a holdout of ${holdout}%: held out at 50%, the most a campaign holds out`);
    if (holdout > 0) experiment.holdout = Math.min(50, holdout);
    log.count('campaigns with treatments or a holdout (campaign treatments)');
  } else if (event) {
    const steps: Record<string, Written> = { done: { type: 'end' } };
    arms.forEach((arm, i) => (steps[`send-${i + 1}`] = { type: arm.message!.channel, template: arm.message!.template, next: 'done' }));
    const split = arms.length + (holdout > 0 ? 1 : 0) >= 2;
    if (split) steps.split = { type: 'split', paths: [...arms.map((a, i) => ({ weight: a.weight, next: `send-${i + 1}` })), ...(holdout > 0 ? [{ weight: holdout, holdout: true }] : [])] };
    const journeyId = slug(`${id}-on-event`, ctx.ids);
    const types = schedule.EventFilter?.Dimensions?.EventType?.Values ?? [];
    const when = eventPredicate(schedule.EventFilter?.Dimensions, where, log);
    const journey: Written = {
      id: journeyId,
      name: `${c.Name ?? id}${split ? ': treatments' : ''}`.slice(0, 200),
      description: `Imported from Amazon Pinpoint campaign ${c.Id ?? ''}: ${split ? `treatments ${arms.map((a) => `${a.name} ${a.weight}%`).join(', ')}${holdout ? `, holdout ${holdout}%` : ''}` : 'sent on an event'}.`,
      entry: { event: eventType(types[0] ?? 'campaign.event', where, log), ...(when ? { when } : {}) },
      reentry: 'always',
      start: split ? 'split' : 'send-1',
      steps,
    };
    if (arms.length === 0) {
      log.drop(where, 'no treatment has a message this product can send: not imported');
      return out;
    }
    out.journey = journey;
    log.carriedTo(where, `journeys/${journeyId}.json`);
    log.count('event campaigns (journeys entered on the event)');
    if (types.length > 1) log.attend(where, `sent on any of ${types.join(', ')}: the journey enters on ${types[0]}`);
    if (audience) log.attend(where, 'an event campaign limited to a segment: the journey enters anyone who sends the event');
    return out;
  } else if (!main) {
    log.drop(where, 'not imported: nothing to send');
    return out;
  }

  const campaign: Written = { id, name: (c.Name ?? id).slice(0, 200), description: `Imported from Amazon Pinpoint campaign ${c.Id ?? ''}.` };
  if (audience) campaign.audience = audience;
  else log.attend(where, `segment ${c.SegmentId ?? '(none)'} is not in the export: the campaign is triggered by the API with profile ids`);
  Object.assign(campaign, experiment ?? { message: main });
  const timeZone = timeZoneOf(schedule.Timezone);
  if (!timeZone) log.change(where, `time zone ${schedule.Timezone} (not whole hours) read as UTC`);
  const start = schedule.StartTime && schedule.StartTime !== 'IMMEDIATE' ? schedule.StartTime : undefined;
  // The start's clock and day in the campaign's time zone. In each recipient's local time that clock is the time
  // of day each gets it (localTime), on that day (WEEKLY: localDays) or date (ONCE: localDate); the run starts
  // when that day and time come first on Earth (UTC+14), in time for everyone.
  const p = start ? wallClock(new Date(start), timeZone ?? 'UTC') : undefined;
  const zone = schedule.IsLocalTime ? 'Pacific/Kiritimati' : (timeZone ?? 'UTC');
  const dow = p ? WEEKDAYS[p.weekday]!.toUpperCase() : '*';
  const frequency = schedule.Frequency ?? 'ONCE';
  const cron = p ? ({ HOURLY: `${p.minute} * * * *`, DAILY: `${p.minute} ${p.hour} * * *`, WEEKLY: `${p.minute} ${p.hour} * * ${dow}`, MONTHLY: `${p.minute} ${p.hour} ${p.day} * *` } as Record<string, string>)[frequency] : undefined;
  const date = p ? `${p.year}-${two(p.month)}-${two(p.day)}` : undefined;
  const paused = c.IsPaused === true || c.State?.CampaignStatus === 'PAUSED';
  const ended = ['COMPLETED', 'DELETED', 'INVALID'].includes(c.State?.CampaignStatus ?? '');
  const past = frequency === 'ONCE' && start !== undefined && Date.parse(start) <= ctx.now.getTime();
  if (audience && (paused || ended || past) && (cron || date)) {
    campaign.trigger = 'api';
    log.change(where, `${paused ? 'paused in Pinpoint' : ended ? `${c.State!.CampaignStatus} in Pinpoint` : `sent once in Pinpoint, at ${start}, which is past`}: imported without its schedule (${frequency} ${start}), so it does not run until triggered (POST /campaigns/${id}/trigger)`);
  } else if (audience && cron) campaign.schedule = { cron, timeZone: zone };
  else if (audience && p && frequency === 'ONCE') campaign.schedule = { at: `${date}T${two(p.hour)}:${two(p.minute)}`, timeZone: zone };
  else {
    campaign.trigger = 'api';
    if (audience) log.change(where, `schedule ${frequency} ${schedule.StartTime ?? ''}: triggered by the API here (POST /campaigns/${id}/trigger)`);
  }
  if (schedule.IsLocalTime && p) {
    campaign.localTime = `${two(p.hour)}:${two(p.minute)}`;
    if (frequency === 'WEEKLY') campaign.localDays = [WEEKDAYS[p.weekday]!.toLowerCase()];
    if (frequency === 'ONCE') campaign.localDate = date;
    if (frequency === 'MONTHLY') log.change(where, `monthly in local time: the run starts on day ${p.day} at ${campaign.localTime} in UTC+14, and each recipient gets it at the next ${campaign.localTime} where they are (behind UTC+14, that can be the day before)`);
    if (frequency === 'HOURLY') log.change(where, 'hourly in local time: sent every hour as soon as the run starts');
    if (!schedule.Timezone) log.change(where, 'local time with no Timezone: the start time is read as UTC');
  }
  if (schedule.EndTime) log.change(where, `the schedule's end (${schedule.EndTime}) is not carried: remove the campaign file to end it`);
  if (schedule.QuietTime?.Start && schedule.QuietTime.End) ctx.quietTimes.push({ start: schedule.QuietTime.Start, end: schedule.QuietTime.End, where });
  else ctx.unquiet.push(where);
  const limits = c.Limits ?? {};
  if (limits.MessagesPerSecond) campaign.rateLimit = Math.min(10_000, Math.max(1, Math.round(limits.MessagesPerSecond)));
  for (const k of ['Daily', 'Total', 'Session', 'MaximumDuration'] as const) if (limits[k] !== undefined) log.attend(where, `the ${k} limit is not carried (frequency caps in rules.json are per profile)`);
  if (c.Hook?.LambdaFunctionName) log.attend(where, 'the campaign hook (Lambda) is not carried');
  if (c.CustomDeliveryConfiguration) log.attend(where, 'custom delivery (Lambda or webhook) is not carried');
  log.count('campaigns');
  log.carriedTo(where, `campaigns/${id}.json`);
  out.campaign = campaign;
  return out;
}
