import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ExportSink } from '../ports';
import type { Platform } from '../platform';

/** Audience exports as objects in the exports bucket (encrypted, private; see infra/constructs/audiences.ts). */
export class S3ExportSink implements ExportSink {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async write(key: string, body: string): Promise<string> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: key.endsWith('.json') ? 'application/json' : 'application/x-ndjson' }));
    return `s3://${this.bucket}/${key}`;
  }

  async read(key: string): Promise<string> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  }

  async readRange(key: string, start: number, length: number): Promise<{ bytes: Uint8Array; size: number }> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${start + length - 1}` }));
      const size = Number(/\/(\d+)$/.exec(out.ContentRange ?? '')?.[1] ?? out.ContentLength ?? 0);
      return { bytes: (await out.Body?.transformToByteArray()) ?? new Uint8Array(), size };
    } catch (error) {
      // At or past the end: nothing more to read.
      if ((error as { name?: string }).name === 'InvalidRange') return { bytes: new Uint8Array(), size: start };
      throw error;
    }
  }

  locate(prefix: string): string {
    return `s3://${this.bucket}/${prefix}/`;
  }
}

/** Where exports and campaign recipient lists go: the exports bucket on AWS, a folder locally. */
export const exportSinkOf = (p: Platform): ExportSink => p.local?.sink ?? p.once('sink', () => new S3ExportSink(p.client(S3Client), p.setting('EXPORTS_BUCKET')));
