import { Validations, type Stack } from 'aws-cdk-lib';

// cdk-nag findings this design accepts, each with its reason. Everything else fails the synth in the tests.
export function acknowledgeStackFindings(stack: Stack): void {
  const ack = (id: string, reason: string) => Validations.of(stack).acknowledge({ id, reason });
  ack(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'The AWS-managed basic execution role only lets a function write its own CloudWatch Logs.',
  );
  ack(
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray (PutTraceSegments, PutTelemetryRecords), Step Functions log delivery (logs:*LogDelivery*) and states:SendTaskSuccess (a task token names no resource) accept no resource narrower than *.',
  );
}
