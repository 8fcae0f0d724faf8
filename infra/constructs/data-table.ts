import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../functions/adapters/dynamodb-tables';

/** A table with the project's defaults: on-demand, point-in-time recovery, encrypted, TTL, kept on delete. */
export function dataTable(scope: Construct, id: string, keys: { sortKey: boolean }): Table {
  return new Table(scope, id, {
    partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
    ...(keys.sortKey ? { sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING } } : {}),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: TABLE_KEYS.ttl,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
