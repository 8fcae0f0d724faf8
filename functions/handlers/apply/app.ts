import middy from '@middy/core';
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingest, type IngestDeps } from '../../domain/ingest';
import type { Log, QueuedEvent } from '../../ports';

/**
 * The consumer of the accepted events' queue (SQS FIFO, a message group per profile): applies each event
 * (receipt, stitching, merge, history, audiences, bus) in order. A failure leaves that message, and the rest of
 * its group in the batch, to the queue's retry and then its dead-letter queue; other profiles go on.
 */
export function createApplyHandler(deps: IngestDeps & { log: Log }) {
  const apply = async (record: SQSRecord) => {
    const queued = JSON.parse(record.body) as QueuedEvent;
    await ingest([queued.event], deps, queued.receivedAt);
  };
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event, context: Context) => {
    // A processor per invocation: the local runtime runs several batches at once in one process.
    const result = await processPartialResponse(event, apply, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true, throwOnFullBatchFailure: false });
    if (result.batchItemFailures.length > 0) deps.log.warn('events not applied, left to the queue to retry', { failed: result.batchItemFailures.length, of: event.Records.length });
    return result;
  });
}
