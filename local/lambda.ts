import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A Lambda context for handlers invoked in-process. */
export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type LocalFunction = (event: unknown) => Promise<unknown>;

/** The function whose invocation is running (what `jo cost` attributes each AWS request to). */
export const invocation = new AsyncLocalStorage<{ fn: string }>();

/** Binds a middy handler to a name, as a function the local bus and state machines can invoke. */
export function localFunction(name: string, handler: (event: never, context: Context) => Promise<unknown>, onInvoke?: (fn: string, event: unknown) => void): LocalFunction {
  return (event) => {
    onInvoke?.(name, event);
    return invocation.run({ fn: name }, () => handler(event as never, lambdaContext(name)));
  };
}
