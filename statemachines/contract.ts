import type { Predicate } from './schema/predicate';

// The contract between the compiler and the functions its states invoke: task placeholders, the error names
// Retry and Catch match, the names of states the runtime reads, and the payload each task receives. The
// compiler, the functions and the local runtime all import it; neither side spells these facts itself.

/** Task resources, left as placeholders that CDK's definitionSubstitutions (or the local runtime) fill in. */
export interface TaskResources {
  send: string;
  profile: string;
  wait: string;
  jump: string;
  webhook: string;
  decide: string;
}
export const DEFAULT_RESOURCES: TaskResources = {
  send: '${SendFunctionArn}',
  profile: '${ProfileFunctionArn}',
  wait: '${WaitFunctionArn}',
  jump: '${JumpFunctionArn}',
  webhook: '${WebhookFunctionArn}',
  decide: '${DecideFunctionArn}',
};

/** Error names thrown by the send function, matched by the Retry and Catch of message steps. */
export const SEND_ERRORS = {
  /** The provider refused for now; nothing was sent. */
  throttled: 'SendThrottledError',
  /** Another attempt holds the send's claim and may still be sending. */
  inProgress: 'SendInProgressError',
  permanent: 'PermanentSendError',
} as const;

/** Error names thrown by the webhook function. */
export const WEBHOOK_ERRORS = { retryable: 'WebhookRetryableError', failed: 'WebhookFailedError' } as const;

/** Shared state names start with a capital letter: step ids cannot, so they never collide. */
export const SEND_FAILED_STATE = 'SendFailed';
export const ACTION_FAILED_STATE = 'ActionFailed';

/** Report counting: the state that counts a visit of a step, and those that count a waiting step's leaving. */
export const countName = (id: string) => `${id}.count`;
export const leftName = (id: string, to: string) => `${id}.left.${to}`;
/** Whether a state is one of those counts: not part of the path a profile takes. */
export const isCountState = (name: string) => name.endsWith('.count') || name.includes('.left.');
/** The step a state belongs to (`survey.profile`, `survey.count` belong to `survey`): step ids have no dot. */
export const stepOfState = (name: string) => name.split('.')[0]!;
/** The state that reloads the profile before a step that reads it. */
export const reloadName = (id: string) => `${id}.profile`;
/** Quiet hours: after a send, the Choice on its answer, and the Wait until the window ends (at `$.steps.<id>.at`). */
export const deferredName = (id: string) => `${id}.deferred?`;
export const quietName = (id: string) => `${id}.quiet`;
export const isQuietWait = (name: string) => name.endsWith('.quiet');

/** What each step's task keeps of its visits (`$.steps.<id>`): the visit count, and what the task answered. */
export type StepVisits = Record<string, { visit?: number } | undefined>;

/** The journey (and version) a task runs for. */
export interface JourneyRef {
  id: string;
  version?: string | undefined;
}

/** The payload of a message step's Task (kinds/message.ts), read by the send function. */
export interface SendTask {
  channel: string;
  stepId: string;
  template: string;
  journey: JourneyRef;
  /** The run (stable across the executions of an Express journey's segments): effects are keyed by it. */
  runId: string;
  profileId: string;
  event: unknown;
  steps: StepVisits;
  /** Campaigns: the data the run was triggered with, for the template. */
  context?: Record<string, unknown>;
  /**
   * Campaigns: the send time this send is for (its slot). Quiet hours are judged at it when the clock is behind
   * it, as a deferred send is judged at the time it waited for (the local runtime's scaled waits fire early).
   */
  notBefore?: string;
  /** A channel choice (`choose: "best"`): the options; `channel` and `template` are the first of them. */
  choices?: Array<{ channel: string; template: string }>;
  /** With a choice: the audiences that learn apart. */
  learnBy?: string[];
  /** With sendTime best: whether this person is in the optimised group or the held one (for the report). */
  timing?: 'best' | 'held';
}

/** The payload of a message step's best-time task (kinds/message.ts), read by the profile function. */
export interface BestTimeTask {
  operation: 'bestTime';
  profileId: string;
  runId: string;
  journeyId: string;
  stepId: string;
  withinSeconds: number;
  holdout: number;
}

/** The task that answers a message step's best time: `<id>.best`; its Wait is `<id>.best.wait`. */
export const timingName = (id: string) => `${id}.best`;

/** The payload of a count task (kinds/tasks.ts), read by the profile function. */
export interface CountTask {
  operation: 'count';
  count: 'entered' | 'left';
  stepId: string;
  waits: boolean;
  journey: JourneyRef;
  runId: string;
  /** Each counted step's visit number so far (`$.visits.<id>.n`), apart from the effects' `$.steps`. */
  visits: Record<string, { n?: number } | undefined>;
}

/** The payload of a waitForEvent task (kinds/wait-for-event.ts), read by the wait function. */
export interface WaitTask {
  taskToken: string;
  runId: string;
  journey: JourneyRef;
  profileId: string;
  stepId: string;
  event: string;
  where?: Predicate;
  /** since: "entry": when the run entered (`$.run.enteredAt`); a matching event since then ends the wait at once. */
  since?: string;
  timeoutSeconds: number;
}

/** The payload of a webhook task (kinds/webhook.ts), read by the webhook function. */
export interface WebhookTask {
  action: string;
  stepId: string;
  runId: string;
  journey: JourneyRef;
  profileId: string;
  event: unknown;
  steps: StepVisits;
}

/** The payload of a decide task (kinds/decide.ts), read by the decide function. */
export interface DecideTask {
  decision: string;
  stepId: string;
  runId: string;
  profileId: string;
  steps: StepVisits;
}

/** The payload of a jump task (kinds/jump.ts), read by the jump function (which narrows event and profile). */
export interface JumpTask {
  stepId: string;
  target: string;
  runId: string;
  event: unknown;
  profile: unknown;
  steps: StepVisits;
}

/** The payload of an updateProfile task (kinds/update-profile.ts), read by the profile function. */
export interface UpdateProfileTask {
  operation: 'update';
  stepId: string;
  runId: string;
  profileId: string;
  event: unknown;
  steps: StepVisits;
  set?: Record<string, unknown>;
  increment?: Record<string, number>;
  unset?: string[];
}

/** The payload of a wait step's atLocalTime task (kinds/wait.ts), read by the profile function. */
export interface LocalTimeTask {
  operation: 'localTime';
  profileId: string;
  runId: string;
  atLocalTime: string;
  days?: string[];
}

/** The Wait after an atLocalTime task: it waits until the `at` the task answered (`$.steps.<id>.at`). */
export const localTimeWaitName = (id: string) => `${id}.wait`;

/**
 * The Wait whose end a task of this step computes (its answer's `at`): the quiet-hours wait of a message step,
 * or the wait of an atLocalTime step. The local runtime scales such waits by the time it was asked to skip.
 */
export const waitsFedBy = (taskState: string) => [quietName(taskState), localTimeWaitName(taskState)];

/**
 * A payload as the compiler writes it: each field either literal or read from the state (`<field>.$`). An
 * object literal checked with `satisfies TaskPayload<T>` fails to compile on a field the runtime does not read.
 */
export type TaskPayload<T> = { [K in keyof T]?: T[K] } & { [K in keyof T & string as `${K}.$`]?: string };

// Express journeys (compile/express.ts): a run is a chain of short executions, its segments. A segment ends by
// parking (a continuation record, resumed by a schedule or by the awaited event) or by closing the run.

/** The first state of an Express journey that parks: it sends a resumed segment to the state it resumes at. */
export const RESUME_STATE = 'Resume';
/** The states that close an Express run: completed, or failed (before the Fail state it failed into). */
export const CLOSE_STATE = 'Close';
export const FAILED_STATE = 'Failed';

/** What a count state of an Express segment records in `$.tally.<key>`, written when the segment ends. */
export interface TallyMark {
  step: string;
  count: 'entered' | 'left';
  waits: boolean;
}
/** The key a count state's mark is kept under (state names have dots; JSONPath keys here do not). */
export const tallyKey = (stateName: string) => stateName.replace(/\./g, '_');

/** The payload of a park task: the whole state data, and how and where the run resumes. */
export interface ParkTask {
  operation: 'park';
  stepId: string;
  /** The state data as it is (profile, event, steps, run, tally...): the next segment starts from it. */
  state: Record<string, unknown>;
  /** The state machine that runs the journey's version (the next segment starts on it). */
  machine: string;
  /** Where the next segment starts: at the due time, and on the awaited event. */
  resume: { due: string; event?: string };
  /** When it is due: seconds from now, or a timestamp. */
  seconds?: number;
  until?: string;
  /** waitForEvent: the event type, its condition, and how long at most. */
  event?: string;
  where?: Predicate;
  /** waitForEvent since "entry": a matching event since the run entered (`state.run.enteredAt`) resumes it at once. */
  since?: 'entry';
  timeoutSeconds?: number;
}

/** The payload of a close task: the run ends (completed or failed), its segment's counts written with it. */
export interface CloseTask {
  operation: 'close';
  status: 'SUCCEEDED' | 'FAILED';
  state: Record<string, unknown>;
}
