import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../../functions/adapters/dynamodb-tables';

/** Profiles, their event history and ingest receipts (one table, see functions/adapters/dynamodb-tables.ts). */
export class ProfileTables extends Construct {
  readonly profiles: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.profiles = new Table(this, 'Profiles', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_KEYS.ttl,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Grants access and tells the function where the table is. */
  bindProfiles(fn: IFunction & { addEnvironment(k: string, v: string): unknown }, access: 'read' | 'readWrite'): void {
    if (access === 'read') this.profiles.grantReadData(fn);
    else this.profiles.grantReadWriteData(fn);
    fn.addEnvironment('PROFILES_TABLE', this.profiles.tableName);
  }
}
