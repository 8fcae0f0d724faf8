import { BatchWriteCommand, DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamodb-query';
import type { ProfileData, Run, WaitingItem } from '../ports';
import { runPartition, waitingKey } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';

type Item = Record<string, unknown> & { pk: string; sk: string };

/** A profile's partitions in the profiles table: P#id (profile, history E#, sends S#), W#id (waits), J#id (runs). */
export class DynamoDbProfileData implements ProfileData {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly profilesTable: string,
    /** Needed to erase: the send ledger entries go too. */
    private readonly ledgerTable?: string,
  ) {}

  private partitions(id: string) {
    return { profile: `P#${id}`, waits: waitingKey(id, '', '').pk, runs: runPartition(id) };
  }

  private async query(pk: string): Promise<Item[]> {
    return queryAll<Item>(this.doc, { TableName: this.profilesTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true });
  }

  async move(from: string, to: string): Promise<void> {
    const source = this.partitions(from);
    const target = this.partitions(to);
    const moves: Array<[string, string]> = [
      [source.profile, target.profile],
      [source.waits, target.waits],
      [source.runs, target.runs],
    ];
    for (const [fromPk, toPk] of moves) {
      for (const item of await this.query(fromPk)) {
        if (item.sk === 'PROFILE') continue;
        const moved = { ...item, pk: toPk, ...('profileId' in item ? { profileId: to } : {}) };
        try {
          // The survivor's own item of the same key wins (a run of the same journey and correlation).
          await this.doc.send(new PutCommand({ TableName: this.profilesTable, Item: moved, ConditionExpression: 'attribute_not_exists(pk)' }));
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
        await this.doc.send(new DeleteCommand({ TableName: this.profilesTable, Key: { pk: item.pk, sk: item.sk } }));
      }
    }
  }

  async collect(id: string) {
    const p = this.partitions(id);
    const [own, waits, runs] = await Promise.all([this.query(p.profile), this.query(p.waits), this.query(p.runs)]);
    const strip = ({ pk: _pk, sk: _sk, expiresAt: _ttl, ...rest }: Item) => rest;
    return {
      history: own.filter((i) => i.sk.startsWith('E#')).map(strip),
      sends: own.filter((i) => i.sk.startsWith('S#')).map(strip),
      decisions: own.filter((i) => i.sk.startsWith('DEC#')).map(strip).sort((a, b) => String(a.at).localeCompare(String(b.at))),
      inbox: own.filter((i) => i.sk.startsWith('IN#')).map(strip),
      waits: waits.map(strip) as unknown as WaitingItem[],
      runs: runs.map(strip) as unknown as Run[],
    };
  }

  async erase(id: string): Promise<void> {
    const p = this.partitions(id);
    const items = (await Promise.all([this.query(p.profile), this.query(p.waits), this.query(p.runs)])).flat();
    if (!this.ledgerTable) throw new Error('erasing needs the send ledger table');
    const ledgerKeys = items.filter((i) => i.sk.startsWith('S#')).map((i) => String(i.ledgerKey));
    await this.deleteAll(this.ledgerTable, ledgerKeys.map((pk) => ({ pk })));
    // Fan-out interests: the index entries the profile's references name (under the id that was indexed).
    await this.deleteAll(this.profilesTable, items.filter((i) => i.sk.startsWith('FX#')).map((i) => ({ pk: i.sk, sk: String(i.member ?? id) })));
    // The profile item last: while it is there, a retried erasure finds everything again.
    await this.deleteAll(this.profilesTable, items.filter((i) => i.sk !== 'PROFILE').map(({ pk, sk }) => ({ pk, sk })));
    await this.deleteAll(this.profilesTable, items.filter((i) => i.sk === 'PROFILE').map(({ pk, sk }) => ({ pk, sk })));
  }

  private async deleteAll(table: string, keys: Array<Record<string, string>>): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: unknown[] | undefined = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let round = 0; requests && requests.length > 0; round += 1) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
        const out: { UnprocessedItems?: Record<string, unknown[]> } = await this.doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests as never } }));
        requests = out.UnprocessedItems?.[table];
      }
    }
  }
}
