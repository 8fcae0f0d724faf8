import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../platform';

/** The platform's DynamoDB document client: one per platform, over its DynamoDB client. */
export const documentClient = (p: Platform): DynamoDBDocumentClient => p.once('dynamodb-document', () => DynamoDBDocumentClient.from(p.client(DynamoDBClient)));
