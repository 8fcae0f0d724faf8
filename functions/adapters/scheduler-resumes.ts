import { createHash } from 'node:crypto';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ResumeSchedules, WaitingRef } from '../ports';
import type { Platform } from '../platform';

/**
 * EventBridge Scheduler one-time schedules that resume parked runs: named by the continuation (a hash: no
 * personal data, at most 64 characters), deleted by Scheduler once they fired, retried, then dead-lettered.
 */
export class SchedulerResumes implements ResumeSchedules {
  constructor(
    private readonly client: SchedulerClient,
    /** Settings are read when used: a function that only deletes schedules needs the group alone. */
    private readonly group: () => string,
    private readonly target: () => { arn: string; roleArn: string; deadLetterArn: string },
  ) {}

  static scheduleName(ref: WaitingRef): string {
    return `resume-${createHash('sha256').update(`${ref.profileId}\u0000${ref.eventType}\u0000${ref.key}`).digest('hex').slice(0, 48)}`;
  }

  async schedule(ref: WaitingRef, at: Date): Promise<void> {
    const target = this.target();
    // Scheduler fires one-time schedules to the minute: one due sooner (or past) is set a minute out.
    const when = new Date(Math.max(at.getTime(), Date.now() + 60_000));
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: SchedulerResumes.scheduleName(ref),
          GroupName: this.group(),
          // at() takes a local date and time, no zone: UTC, the default.
          ScheduleExpression: `at(${when.toISOString().slice(0, 19)})`,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: target.arn,
            RoleArn: target.roleArn,
            // The runs function's resume (functions/handlers/runs/app.ts).
            Input: JSON.stringify({ kind: 'resume', ref: { profileId: ref.profileId, eventType: ref.eventType, key: ref.key } }),
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: target.deadLetterArn },
          },
        }),
      );
    } catch (error) {
      // Parked again by a segment run twice: the schedule is there already.
      if ((error as Error).name !== 'ConflictException') throw error;
    }
  }

  async cancel(ref: WaitingRef): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: SchedulerResumes.scheduleName(ref), GroupName: this.group() }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}

/** Resume schedules: EventBridge Scheduler on AWS, the local runtime's timers locally. */
export const resumeSchedulesOf = (p: Platform): ResumeSchedules =>
  p.local?.schedules ??
  p.once('resumes', () =>
    new SchedulerResumes(p.client(SchedulerClient), () => p.setting('RESUME_SCHEDULE_GROUP'), () => ({
      arn: p.setting('RESUME_TARGET_ARN'),
      roleArn: p.setting('RESUME_ROLE_ARN'),
      deadLetterArn: p.setting('RESUME_DLQ_ARN'),
    })),
  );
