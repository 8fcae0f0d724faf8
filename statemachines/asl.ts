// Amazon States Language types (JSONPath flavour). A state has exactly one of Next or End, so an illegal
// transition cannot be written down.

export type Transition = { Next: string; End?: never } | { End: true; Next?: never };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

export type TaskState = {
  Type: 'Task';
  Comment?: string;
  Resource: string;
  Parameters?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
} & Transition;

export type WaitState = {
  Type: 'Wait';
  Comment?: string;
  Seconds?: number;
  Timestamp?: string;
  TimestampPath?: string;
} & Transition;

export type ChoiceComparison = { Variable: string } & (
  | { StringEquals: string }
  | { StringLessThan: string }
  | { StringLessThanEquals: string }
  | { StringGreaterThan: string }
  | { StringGreaterThanEquals: string }
  | { StringMatches: string }
  | { NumericEquals: number }
  | { NumericLessThan: number }
  | { NumericLessThanEquals: number }
  | { NumericGreaterThan: number }
  | { NumericGreaterThanEquals: number }
  | { BooleanEquals: boolean }
  | { IsPresent: boolean }
  | { IsNull: boolean }
  | { IsString: boolean }
  | { IsNumeric: boolean }
  | { IsBoolean: boolean }
  | { IsTimestamp: boolean }
);

export type ChoiceRule = { And: ChoiceRule[] } | { Or: ChoiceRule[] } | { Not: ChoiceRule } | ChoiceComparison;

export interface ChoiceState {
  Type: 'Choice';
  Comment?: string;
  Choices: Array<ChoiceRule & { Next: string }>;
  Default: string;
}

export type PassState = {
  Type: 'Pass';
  Comment?: string;
  Parameters?: Record<string, unknown>;
  Result?: unknown;
  ResultPath?: string | null;
} & Transition;

export interface SucceedState {
  Type: 'Succeed';
  Comment?: string;
}

export interface FailState {
  Type: 'Fail';
  Comment?: string;
  Error: string;
  Cause: string;
}

export type State = TaskState | WaitState | ChoiceState | PassState | SucceedState | FailState;

export interface StateMachineDefinition {
  Comment: string;
  StartAt: string;
  States: Record<string, State>;
}

/** Step Functions limits that the compiler and validator check against. */
export const ASL_LIMITS = {
  stateNameLength: 80,
  definitionBytes: 1024 * 1024,
} as const;
