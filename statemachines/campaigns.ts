import type { StateMachineDefinition } from './asl';
import { LAMBDA_TRANSIENT_RETRY, RERUNNABLE_RETRY } from './kinds/tasks';

// One campaign run, the same for every campaign (its id and settings are in the input):
//   Prepare   the recipients written as parts (an audience export, or the API's list), a slice at a time
//   NextSlot  the next send time (one for a plain run; one per local time for "localTime") and its parts
//   WaitSlot  until then
//   Fanout    a Distributed Map over the parts, Express children, each a batch that paces itself so the run
//             keeps to the campaign's rate limit; every send is keyed (campaign, run, profile)
//   Held      a batch refused because the run is paused or cancelled: wait, look again, resume or finish
// Every Task is safe to run again, so a retried batch or a re-delivered schedule sends nothing twice.

export const CAMPAIGN_FUNCTION = '${CampaignFunctionArn}';

const task = (op: string, payload: Record<string, unknown>, next: string, resultPath = '$') => ({
  Type: 'Task' as const,
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: CAMPAIGN_FUNCTION, Payload: { op, 'executionId.$': '$$.Execution.Id', ...payload } },
  ResultSelector: { 'result.$': '$.Payload' },
  ResultPath: resultPath === '$' ? '$.step' : resultPath,
  Retry: [LAMBDA_TRANSIENT_RETRY, RERUNNABLE_RETRY],
  Next: next,
});

export function campaignRunDefinition(): StateMachineDefinition {
  return {
    Comment: 'A campaign run: prepare the recipients, then for each send time wait and fan out in paced batches',
    StartAt: 'Prepare',
    States: {
      Prepare: { ...task('prepare', { 'campaignId.$': '$.campaignId', 'runId.$': '$.runId' }, 'Prepared?'), Comment: 'Writes the recipients as parts, a slice of pages per call' },
      'Prepared?': { Type: 'Choice', Choices: [{ Variable: '$.step.result.done', BooleanEquals: true, Next: 'NextSlot' }], Default: 'Prepare' },
      NextSlot: { ...task('nextSlot', { 'campaignId.$': '$.campaignId', 'runId.$': '$.runId', 'after.$': '$.step.result.slot' }, 'Slot?'), Comment: 'The next send time and its parts' },
      'Slot?': { Type: 'Choice', Choices: [{ Variable: '$.step.result.done', BooleanEquals: true, Next: 'Finish' }], Default: 'WaitSlot' },
      WaitSlot: { Type: 'Wait', TimestampPath: '$.step.result.at', Next: 'Fanout' },
      Fanout: {
        Type: 'Map',
        Comment: 'One Express child per part; the concurrency and each batch\'s pace together keep the rate limit',
        ItemsPath: '$.step.result.parts',
        MaxConcurrencyPath: '$.step.result.concurrency',
        ItemSelector: { 'campaignId.$': '$.campaignId', 'runId.$': '$.runId', 'slot.$': '$.step.result.slot', 'part.$': '$$.Map.Item.Value', 'pace.$': '$.step.result.pace' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Batch',
          States: {
            Batch: {
              Type: 'Task',
              Comment: 'Sends to the members of one part, paced; refuses (RunHeld) while the run is paused or cancelled',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: CAMPAIGN_FUNCTION, 'Payload.$': '$' },
              ResultSelector: { 'result.$': '$.Payload' },
              // A batch is rerunnable (sends are ledger-keyed, enrolments named by run and profile): a provider's
              // throttling or an SDK call timing out is retried here, not counted as a failure of the run.
              Retry: [LAMBDA_TRANSIENT_RETRY, { ...RERUNNABLE_RETRY, ErrorEquals: ['CampaignThrottled', 'TimeoutError'] }],
              End: true,
            },
          },
        },
        ToleratedFailurePercentage: 0,
        Label: 'Fanout',
        ResultPath: null,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.held', Next: 'Held' }],
        Next: 'NextSlot',
      },
      Held: {
        ...task('status', { 'campaignId.$': '$.campaignId', 'runId.$': '$.runId', 'error.$': '$.held.Error' }, 'Held?', '$.hold'),
        Comment: 'Why the fan-out stopped: paused, cancelled, or a failure (three failures fail the run)',
      },
      'Held?': {
        Type: 'Choice',
        Choices: [
          { Variable: '$.hold.result.status', StringEquals: 'paused', Next: 'WhilePaused' },
          { Variable: '$.hold.result.status', StringEquals: 'running', Next: 'Fanout' },
        ],
        Default: 'Finish',
      },
      WhilePaused: { Type: 'Wait', Seconds: 60, Next: 'Held' },
      Finish: { ...task('finish', { 'campaignId.$': '$.campaignId', 'runId.$': '$.runId' }, 'Done', '$.finished'), Comment: 'Records the run done (or cancelled)' },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}
