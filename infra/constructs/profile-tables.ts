import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { dataTable } from './data-table';

/** Profiles, their event history and ingest receipts (one table, see functions/adapters/dynamodb-tables.ts). */
export class ProfileTables extends Construct {
  readonly profiles: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.profiles = dataTable(this, 'Profiles', { sortKey: true });
  }

  /** Grants access and tells the function where the table is. */
  bindProfiles(fn: IFunction & { addEnvironment(k: string, v: string): unknown }, access: 'read' | 'readWrite'): void {
    if (access === 'read') this.profiles.grantReadData(fn);
    else this.profiles.grantReadWriteData(fn);
    fn.addEnvironment('PROFILES_TABLE', this.profiles.tableName);
  }
}
