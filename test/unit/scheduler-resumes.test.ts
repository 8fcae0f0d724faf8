import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SchedulerResumes } from '../../functions/adapters/scheduler-resumes';

const target = () => ({ arn: 'arn:aws:lambda:us-east-1:1:function:runs', roleArn: 'arn:aws:iam::1:role/resumes', deadLetterArn: 'arn:aws:sqs:us-east-1:1:resumes-dlq' });
const ref = { profileId: 'ada', eventType: 'app.installed', key: 'run-1#0' };

describe('resume schedules on EventBridge Scheduler', () => {
  it('makes one one-time schedule per parked run: named by a hash, deleted after it fired, retried, dead-lettered', async () => {
    const scheduler = mockClient(SchedulerClient);
    scheduler.on(CreateScheduleCommand).resolves({});
    const resumes = new SchedulerResumes(new SchedulerClient({}), () => 'stack-resumes', target);
    const due = new Date(Date.now() + 3 * 86_400_000);
    await resumes.schedule(ref, due);
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      GroupName: 'stack-resumes',
      ScheduleExpression: `at(${due.toISOString().slice(0, 19)})`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: target().arn, RoleArn: target().roleArn, DeadLetterConfig: { Arn: target().deadLetterArn }, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } },
    });
    expect(JSON.parse(input.Target!.Input!)).toStrictEqual({ kind: 'resume', ref });
    // No personal data in the name: a hash of the continuation, within Scheduler's 64 characters.
    expect(input.Name).toMatch(/^resume-[0-9a-f]{48}$/);
    expect(input.Name).toBe(SchedulerResumes.scheduleName(ref));
    scheduler.restore();
  });

  it('sets a schedule due within the minute (or past) a minute out, as Scheduler fires to the minute', async () => {
    const scheduler = mockClient(SchedulerClient);
    scheduler.on(CreateScheduleCommand).resolves({});
    await new SchedulerResumes(new SchedulerClient({}), () => 'g', target).schedule(ref, new Date(Date.now() - 5_000));
    const at = /^at\((.+)\)$/.exec(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input.ScheduleExpression!)![1]!;
    expect(Date.parse(`${at}Z`)).toBeGreaterThan(Date.now() + 50_000);
    scheduler.restore();
  });

  it('takes a schedule made again (a segment run twice) or deleted again as done; other errors are thrown', async () => {
    const scheduler = mockClient(SchedulerClient);
    scheduler.on(CreateScheduleCommand).rejects(Object.assign(new Error('exists'), { name: 'ConflictException' }));
    scheduler.on(DeleteScheduleCommand).rejectsOnce(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' })).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const resumes = new SchedulerResumes(new SchedulerClient({}), () => 'g', target);
    await expect(resumes.schedule(ref, new Date(Date.now() + 86_400_000))).resolves.toBeUndefined();
    await expect(resumes.cancel(ref)).resolves.toBeUndefined();
    await expect(resumes.cancel(ref)).rejects.toThrow('slow down');
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]!.args[0].input).toStrictEqual({ Name: SchedulerResumes.scheduleName(ref), GroupName: 'g' });
    scheduler.restore();
  });
});
