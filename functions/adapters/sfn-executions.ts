import { GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { Executions, StartRequest } from '../ports';
import type { Platform } from '../platform';

export class StepFunctionsExecutions implements Executions {
  constructor(private readonly client: SFNClient) {}

  async start(request: StartRequest): Promise<'started' | 'already-started'> {
    try {
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn: request.stateMachineArn, name: request.name, input: JSON.stringify(request.input) }),
      );
      return 'started';
    } catch (error) {
      // Standard workflows answer with the existing execution when name and input are the same, and with
      // ExecutionAlreadyExists when the input differs: either way this event has started the journey.
      if ((error as Error).name === 'ExecutionAlreadyExists') return 'already-started';
      throw error;
    }
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn, cause }));
    } catch (error) {
      if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
    }
  }

  /** The newest events first: the last state entered is among the first few. */
  async lastState(executionArn: string): Promise<string | undefined> {
    const page = await this.client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 20, includeExecutionData: false }));
    return page.events?.find((e) => e.stateEnteredEventDetails)?.stateEnteredEventDetails?.name;
  }
}

/** Step Functions executions: the service on AWS, the in-process runner locally. */
export const executionsOf = (p: Platform): Executions => p.local?.executions ?? p.once('executions', () => new StepFunctionsExecutions(p.client(SFNClient)));
