import { describe, expect, it } from 'vitest';
import { compileJourney as compileWithCounts, estimateHistory, type Predicate } from '../../statemachines';
import { journeyOf } from '../fixtures/journeys';

// These tests look at each step's own states: without the report's count tasks.
const compileJourney = (...[journey, options]: Parameters<typeof compileWithCounts>) => compileWithCounts(journey, { countSteps: false, execution: 'standard', ...options });

// One exact-ASL test per step kind: GIVEN a journey, WHEN compiled, THEN these are its states.

const LAMBDA_RETRY = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};

describe('compile: email', () => {
  it('emits one Lambda task keyed for exactly-once sending, failing to the shared Fail state', () => {
    const asl = compileJourney(journeyOf({ hello: { type: 'email', template: 'welcome', next: 'done' }, done: { type: 'end' } }));
    expect(asl).toStrictEqual({
      Comment: 'Journey test: Test',
      StartAt: 'hello',
      States: {
        hello: {
          Type: 'Task',
          Comment: 'Email welcome',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName: '${SendFunctionArn}',
            Payload: {
              channel: 'email',
              stepId: 'hello',
              template: 'welcome',
              'journey.$': '$.journey',
              'runId.$': '$.run.id',
              'profileId.$': '$.profileId',
              'event.$': '$.event',
              'steps.$': '$.steps',
            },
          },
          ResultSelector: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status' },
          ResultPath: '$.steps.hello',
          Retry: [
            { ErrorEquals: ['SendThrottledError', 'SendInProgressError'], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
            LAMBDA_RETRY,
          ],
          Catch: [{ ErrorEquals: ['PermanentSendError'], ResultPath: '$.error', Next: 'SendFailed' }],
          Next: 'done',
        },
        done: { Type: 'Succeed', Comment: 'The profile leaves the journey' },
        SendFailed: {
          Type: 'Fail',
          Comment: 'A message failed permanently and its step has no onError path; the send ledger holds the reason',
          Error: 'SendFailed',
          Cause: 'A message could not be sent',
        },
      },
    });
  });

  it('sends a permanent failure to onError, and then needs no Fail state', () => {
    const asl = compileJourney(
      journeyOf({ hello: { type: 'email', template: 'welcome', next: 'done', onError: 'oops' }, done: { type: 'end' }, oops: { type: 'end' } }),
    );
    expect(asl.States.hello).toMatchObject({ Catch: [{ ErrorEquals: ['PermanentSendError'], ResultPath: '$.error', Next: 'oops' }] });
    expect(Object.keys(asl.States)).toStrictEqual(['hello', 'done', 'oops']);
  });
});

describe('compile: quiet hours', () => {
  it('gives a message step a wait-and-send-again loop that the history estimate counts as bounded', () => {
    const asl = compileJourney(journeyOf({ hello: { type: 'email', template: 'welcome', next: 'done' }, done: { type: 'end' } }), { quietHours: true });
    expect(asl.States.hello).toMatchObject({ Next: 'hello.deferred?', ResultSelector: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status', 'at.$': '$.Payload.at' } });
    expect(asl.States['hello.deferred?']).toStrictEqual({
      Type: 'Choice',
      Comment: "Quiet hours: welcome waits for the window's end",
      Choices: [{ Variable: '$.steps.hello.status', StringEquals: 'deferred', Next: 'hello.quiet' }],
      Default: 'done',
    });
    expect(asl.States['hello.quiet']).toStrictEqual({ Type: 'Wait', TimestampPath: '$.steps.hello.at', Next: 'hello' });
    expect(estimateHistory(asl).events).toBeLessThan(100);
    // Without quiet hours in the workspace, no extra state (and no extra transition per send).
    expect(Object.keys(compileJourney(journeyOf({ hello: { type: 'email', template: 'welcome', next: 'done' }, done: { type: 'end' } })).States)).toStrictEqual(['hello', 'done', 'SendFailed']);
  });
});

describe('compile: push and sms', () => {
  it.each([
    ['push', 'Push'],
    ['sms', 'SMS'],
  ] as const)('%s is the message task of its channel, on the send function', (channel, label) => {
    const asl = compileJourney(journeyOf({ tell: { type: channel, template: 'news', next: 'done' }, done: { type: 'end' } }));
    expect(asl.States.tell).toStrictEqual({
      Type: 'Task',
      Comment: `${label} news`,
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: '${SendFunctionArn}',
        Payload: {
          channel,
          stepId: 'tell',
          template: 'news',
          'journey.$': '$.journey',
          'runId.$': '$.run.id',
          'profileId.$': '$.profileId',
          'event.$': '$.event',
          'steps.$': '$.steps',
        },
      },
      ResultSelector: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status' },
      ResultPath: '$.steps.tell',
      Retry: [
        { ErrorEquals: ['SendThrottledError', 'SendInProgressError'], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
        LAMBDA_RETRY,
      ],
      Catch: [{ ErrorEquals: ['PermanentSendError'], ResultPath: '$.error', Next: 'SendFailed' }],
      Next: 'done',
    });
  });
});

describe('compile: wait', () => {
  it('turns a duration into Seconds', () => {
    const asl = compileJourney(journeyOf({ pause: { type: 'wait', for: 'P1DT2H30M5S', next: 'done' }, done: { type: 'end' } }));
    expect(asl.States.pause).toStrictEqual({ Type: 'Wait', Comment: 'Wait P1DT2H30M5S', Seconds: 86400 + 9000 + 5, Next: 'done' });
  });

  it('turns until into a Timestamp', () => {
    const asl = compileJourney(journeyOf({ pause: { type: 'wait', until: '2026-12-24T09:00:00Z', next: 'done' }, done: { type: 'end' } }));
    expect(asl.States.pause).toStrictEqual({ Type: 'Wait', Comment: 'Wait until 2026-12-24T09:00:00Z', Timestamp: '2026-12-24T09:00:00Z', Next: 'done' });
  });
});

describe('compile: split', () => {
  it('hashes profile and step in a Pass, then picks the path in a Choice by thresholds: no Lambda', () => {
    const asl = compileJourney(
      journeyOf({
        ab: { type: 'split', paths: [{ weight: 50, next: 'a' }, { weight: 30, next: 'b' }, { weight: 20, holdout: true }] },
        a: { type: 'end' },
        b: { type: 'end' },
      }),
    );
    expect(asl.States.ab).toStrictEqual({
      Type: 'Pass',
      Comment: 'Split 50/30/20: hash of profile and step',
      Parameters: { 'bucket.$': "States.Hash(States.Format('{}:ab', $.profileId), 'SHA-256')" },
      ResultPath: '$.split',
      Next: 'ab.path',
    });
    expect(asl.States['ab.path']).toStrictEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.split.bucket', StringLessThan: '80000000', Next: 'a' },
        { Variable: '$.split.bucket', StringLessThan: 'cccccccd', Next: 'b' },
      ],
      Default: 'ab.holdout',
    });
    expect(asl.States['ab.holdout']).toStrictEqual({
      Type: 'Pass',
      Comment: 'Holdout: the profile is recorded as held out and gets nothing',
      Result: { step: 'ab' },
      ResultPath: '$.holdout',
      End: true,
    });
  });
});

describe('compile: wait until a local time', () => {
  it("asks the profile function for the next such time in the profile's zone, then waits on it", () => {
    const asl = compileJourney(journeyOf({ morning: { type: 'wait', atLocalTime: '09:00', days: ['mon', 'fri'], next: 'done' }, done: { type: 'end' } }));
    expect(asl.States).toStrictEqual({
      morning: {
        Type: 'Task',
        Comment: "Next 09:00 on mon, fri in the profile's time zone",
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: {
          FunctionName: '${ProfileFunctionArn}',
          Payload: { operation: 'localTime', 'profileId.$': '$.profileId', 'runId.$': '$.run.id', atLocalTime: '09:00', days: ['mon', 'fri'] },
        },
        ResultSelector: { 'at.$': '$.Payload.at' },
        ResultPath: '$.steps.morning',
        Retry: [LAMBDA_RETRY],
        Next: 'morning.wait',
      },
      'morning.wait': { Type: 'Wait', Comment: 'Wait until 09:00 local time', TimestampPath: '$.steps.morning.at', Next: 'done' },
      done: { Type: 'Succeed', Comment: 'The profile leaves the journey' },
    });
  });
});

describe('compile: wait until a timestamp in the data', () => {
  it('guards the value, then waits on TimestampPath; no value, no wait', () => {
    const asl = compileJourney(journeyOf({ pause: { type: 'wait', until: { path: 'event.properties.deliveryDate' }, next: 'done' }, done: { type: 'end' } }));
    expect(asl.States).toStrictEqual({
      pause: {
        Type: 'Choice',
        Comment: 'Wait until event.properties.deliveryDate, if it holds a timestamp',
        Choices: [
          {
            And: [
              { Variable: '$.event.properties.deliveryDate', IsPresent: true },
              { Variable: '$.event.properties.deliveryDate', IsTimestamp: true },
            ],
            Next: 'pause.wait',
          },
        ],
        Default: 'done',
      },
      'pause.wait': { Type: 'Wait', Comment: 'Wait until event.properties.deliveryDate', TimestampPath: '$.event.properties.deliveryDate', Next: 'done' },
      done: { Type: 'Succeed', Comment: 'The profile leaves the journey' },
    });
  });

  it('reloads the profile first when the timestamp is in the profile and time has passed', () => {
    const asl = compileJourney(
      journeyOf({
        first: { type: 'wait', for: 'P1D', next: 'renewal' },
        renewal: { type: 'wait', until: { path: 'profile.attributes.renewsAt' }, next: 'done' },
        done: { type: 'end' },
      }),
    );
    expect(Object.keys(asl.States)).toStrictEqual(['first', 'renewal.profile', 'renewal', 'renewal.wait', 'done']);
    expect(asl.States.first).toMatchObject({ Next: 'renewal.profile' });
  });
});

describe('compile: waitForEvent', () => {
  it('is one callback task: the token goes to the wait function, a timeout goes to onTimeout', () => {
    const asl = compileJourney(
      journeyOf({
        'wait-order': {
          type: 'waitForEvent',
          event: 'order.placed',
          where: { path: 'event.properties.total', op: 'gt', value: 0 },
          timeout: 'P2D',
          onTimeout: 'remind',
          next: 'thanks',
        },
        thanks: { type: 'end' },
        remind: { type: 'end' },
      }),
    );
    expect(asl.States['wait-order']).toStrictEqual({
      Type: 'Task',
      Comment: 'Wait for order.placed (at most P2D)',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${WaitFunctionArn}',
        Payload: {
          'taskToken.$': '$$.Task.Token',
          'runId.$': '$.run.id',
          'journey.$': '$.journey',
          'profileId.$': '$.profileId',
          stepId: 'wait-order',
          event: 'order.placed',
          where: { path: 'event.properties.total', op: 'gt', value: 0 },
          timeoutSeconds: 172800,
        },
      },
      TimeoutSeconds: 172800,
      ResultPath: '$.received.wait-order',
      Retry: [LAMBDA_RETRY],
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'remind' }],
      Next: 'thanks',
    });
  });
});

describe('compile: updateProfile', () => {
  it('is one task on the profile function, keyed by visit; a condition after it reloads the profile', () => {
    const asl = compileJourney(
      journeyOf({
        count: { type: 'updateProfile', increment: { purchases: 1 }, set: { last: { path: 'event.properties.orderId' } }, unset: ['cartId'], next: 'check' },
        check: { type: 'condition', branches: [{ when: { path: 'profile.attributes.purchases', op: 'gte', value: 2 }, next: 'done' }], otherwise: 'done' },
        done: { type: 'end' },
      }),
    );
    expect(asl.States.count).toStrictEqual({
      Type: 'Task',
      Comment: 'Update the profile',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: '${ProfileFunctionArn}',
        Payload: {
          operation: 'update',
          stepId: 'count',
          'runId.$': '$.run.id',
          'profileId.$': '$.profileId',
          'event.$': '$.event',
          'steps.$': '$.steps',
          set: { last: { path: 'event.properties.orderId' } },
          increment: { purchases: 1 },
          unset: ['cartId'],
        },
      },
      ResultSelector: { 'visit.$': '$.Payload.visit' },
      ResultPath: '$.steps.count',
      Retry: [LAMBDA_RETRY],
      Next: 'check.profile',
    });
    expect(Object.keys(asl.States)).toStrictEqual(['count', 'check.profile', 'check', 'done']);
  });
});

describe('compile: jump', () => {
  it('is one task on the jump function; without next the profile leaves this journey', () => {
    const asl = compileJourney(journeyOf({ hand: { type: 'jump', journey: 'other' } }));
    expect(asl.States.hand).toStrictEqual({
      Type: 'Task',
      Comment: 'Enter journey other',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: '${JumpFunctionArn}',
        Payload: { stepId: 'hand', target: 'other', 'runId.$': '$.run.id', 'event.$': '$.event', 'profile.$': '$.profile', 'steps.$': '$.steps' },
      },
      ResultSelector: { 'visit.$': '$.Payload.visit' },
      ResultPath: '$.steps.hand',
      Retry: [LAMBDA_RETRY],
      End: true,
    });
    expect(compileJourney(journeyOf({ hand: { type: 'jump', journey: 'other', next: 'done' }, done: { type: 'end' } })).States.hand).toMatchObject({ Next: 'done' });
  });
});

describe('compile: webhook', () => {
  it('is one task on the webhook function, retried on 429/5xx, and ends in ActionFailed without onError', () => {
    const asl = compileJourney(journeyOf({ award: { type: 'webhook', action: 'points', next: 'done' }, done: { type: 'end' } }));
    expect(asl.States.award).toStrictEqual({
      Type: 'Task',
      Comment: 'Call points',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: '${WebhookFunctionArn}',
        Payload: { action: 'points', stepId: 'award', 'runId.$': '$.run.id', 'journey.$': '$.journey', 'profileId.$': '$.profileId', 'event.$': '$.event', 'steps.$': '$.steps' },
      },
      ResultSelector: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status' },
      ResultPath: '$.steps.award',
      Retry: [{ ErrorEquals: ['WebhookRetryableError'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' }, LAMBDA_RETRY],
      Catch: [{ ErrorEquals: ['WebhookRetryableError', 'WebhookFailedError'], ResultPath: '$.error', Next: 'ActionFailed' }],
      Next: 'done',
    });
    expect(asl.States.ActionFailed).toMatchObject({ Type: 'Fail', Error: 'ActionFailed' });
    expect(asl.States.SendFailed).toBeUndefined();
  });
});

describe('compile: decide', () => {
  it('is one task on the decide function whose offers stay in $.steps for the templates after it', () => {
    const asl = compileJourney(journeyOf({ pick: { type: 'decide', decision: 'apology', next: 'done' }, done: { type: 'end' } }));
    expect(asl.States.pick).toStrictEqual({
      Type: 'Task',
      Comment: 'Decide apology',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${DecideFunctionArn}', Payload: { decision: 'apology', stepId: 'pick', 'runId.$': '$.run.id', 'profileId.$': '$.profileId', 'steps.$': '$.steps' } },
      ResultSelector: { 'visit.$': '$.Payload.visit', 'at.$': '$.Payload.at', 'fallback.$': '$.Payload.fallback', 'offers.$': '$.Payload.offers' },
      ResultPath: '$.steps.pick',
      Retry: [LAMBDA_RETRY],
      Next: 'done',
    });
  });
});

describe('compile: end', () => {
  it('is a Succeed state', () => {
    expect(compileJourney(journeyOf({ done: { type: 'end' } }))).toStrictEqual({
      Comment: 'Journey test: Test',
      StartAt: 'done',
      States: { done: { Type: 'Succeed', Comment: 'The profile leaves the journey' } },
    });
  });
});

describe('compile: condition', () => {
  const onEvent: Predicate = { path: 'event.properties.delayed', op: 'eq', value: true };
  const onProfile: Predicate = { path: 'profile.attributes.tier', op: 'in', value: ['gold', 'silver'] };

  it('compiles a condition on event data to a Choice with no Lambda', () => {
    const asl = compileJourney(journeyOf({ check: { type: 'condition', branches: [{ when: onEvent, next: 'a' }], otherwise: 'b' }, a: { type: 'end' }, b: { type: 'end' } }));
    expect(asl.States.check).toStrictEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.event.properties.delayed', IsPresent: true },
            { Variable: '$.event.properties.delayed', IsBoolean: true },
            { Variable: '$.event.properties.delayed', BooleanEquals: true },
          ],
          Next: 'a',
        },
      ],
      Default: 'b',
    });
  });

  it('reads the profile from the execution input when no time has passed', () => {
    const asl = compileJourney(journeyOf({ check: { type: 'condition', branches: [{ when: onProfile, next: 'a' }], otherwise: 'a' }, a: { type: 'end' } }));
    expect(Object.keys(asl.States)).toStrictEqual(['check', 'a']);
  });

  it('reloads the profile once, after a wait, before a condition on it', () => {
    const asl = compileJourney(
      journeyOf({
        pause: { type: 'wait', for: 'P1D', next: 'check' },
        check: { type: 'condition', branches: [{ when: onProfile, next: 'again' }], otherwise: 'done' },
        again: { type: 'condition', branches: [{ when: onProfile, next: 'done' }], otherwise: 'done' },
        done: { type: 'end' },
      }),
    );
    expect(asl.States.pause).toMatchObject({ Next: 'check.profile' });
    expect(asl.States['check.profile']).toStrictEqual({
      Type: 'Task',
      Comment: 'Reload the profile for check',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${ProfileFunctionArn}', Payload: { 'profileId.$': '$.profileId' } },
      ResultSelector: { 'id.$': '$.Payload.id', 'attributes.$': '$.Payload.attributes', 'scores.$': '$.Payload.scores' },
      ResultPath: '$.profile',
      Retry: [LAMBDA_RETRY],
      Next: 'check',
    });
    // The second condition follows the first with no time between: no second load.
    expect(Object.keys(asl.States)).toStrictEqual(['pause', 'check.profile', 'check', 'again', 'done']);
    expect(asl.States.check).toMatchObject({ Choices: [{ Next: 'again' }] });
  });

  it('guards every comparison with IsPresent and a type test, and escapes StringMatches', () => {
    const asl = compileJourney(
      journeyOf({
        check: {
          type: 'condition',
          branches: [
            {
              when: {
                any: [
                  { path: 'event.properties.sku', op: 'contains', value: 'a*b\\c' },
                  { not: { path: 'event.properties.total', op: 'gte', value: 10 } },
                  { path: 'event.properties.coupon', op: 'exists', value: false },
                ],
              },
              next: 'a',
            },
          ],
          otherwise: 'a',
        },
        a: { type: 'end' },
      }),
    );
    expect(asl.States.check).toMatchObject({
      Choices: [
        {
          Or: [
            {
              And: [
                { Variable: '$.event.properties.sku', IsPresent: true },
                { Variable: '$.event.properties.sku', IsString: true },
                { Variable: '$.event.properties.sku', StringMatches: '*a\\*b\\\\c*' },
              ],
            },
            {
              Not: {
                And: [
                  { Variable: '$.event.properties.total', IsPresent: true },
                  { Variable: '$.event.properties.total', IsNumeric: true },
                  { Variable: '$.event.properties.total', NumericGreaterThanEquals: 10 },
                ],
              },
            },
            { Not: { And: [{ Variable: '$.event.properties.coupon', IsPresent: true }, { Not: { Variable: '$.event.properties.coupon', IsNull: true } }] } },
          ],
          Next: 'a',
        },
      ],
    });
  });
});

describe('compile: the report', () => {
  it('counts a visit before each step without a function of its own, and a waiting step\'s leaving on each way out', () => {
    const asl = compileWithCounts(
      journeyOf({
        ask: { type: 'waitForEvent', event: 'reply', timeout: 'P1D', next: 'split', onTimeout: 'done' },
        split: { type: 'split', paths: [{ weight: 1, next: 'mail' }, { weight: 1, holdout: true }] },
        mail: { type: 'email', template: 'survey', next: 'done' },
        done: { type: 'end' },
      }),
      { execution: 'standard' },
    );
    expect(asl.StartAt).toBe('ask.count');
    expect(asl.States['ask.count']).toStrictEqual({
      Type: 'Task',
      Comment: 'Count a visit of ask',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${ProfileFunctionArn}', Payload: { operation: 'count', count: 'entered', stepId: 'ask', waits: true, 'journey.$': '$.journey', 'runId.$': '$.run.id', 'visits.$': '$.visits' } },
      ResultSelector: { 'n.$': '$.Payload.n' },
      ResultPath: '$.visits.ask',
      Retry: [LAMBDA_RETRY, { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'ask' }],
      Next: 'ask',
    });
    expect(asl.States.ask).toMatchObject({ Next: 'ask.left.split', Catch: [{ Next: 'ask.left.done' }] });
    expect(asl.States['ask.left.split']).toMatchObject({ Parameters: { Payload: { count: 'left', stepId: 'ask' } }, Next: 'split.count' });
    expect(asl.States['ask.left.done']).toMatchObject({ Parameters: { Payload: { count: 'left', stepId: 'ask' } }, Next: 'done.count' });
    // The held out are counted as a step of their own; a message step counts in the send function.
    expect(asl.States['split.path']).toMatchObject({ Choices: [{ Next: 'mail' }], Default: 'split.holdout.count' });
    expect(asl.States['split.holdout.count']).toMatchObject({ Parameters: { Payload: { stepId: 'split.holdout' } }, Next: 'split.holdout' });
    expect(asl.States['mail.count']).toBeUndefined();
    expect(asl.States['done.count']).toMatchObject({ Next: 'done' });
  });

  it('counts only entries, ends and messages when the journey asks for "messages"', () => {
    const asl = compileWithCounts({ ...journeyOf({ wait: { type: 'wait', for: 'P1D', next: 'done' }, done: { type: 'end' } }), report: 'messages' }, { execution: 'standard' });
    expect(Object.keys(asl.States)).toStrictEqual(['wait', 'done']);
  });
});
