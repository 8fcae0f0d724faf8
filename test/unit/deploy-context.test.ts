import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeployContextError, deployedChannels, deploymentFromAddress } from '../../infra/deploy-context';

const templates = (channels: string[]) => ({ templates: Object.fromEntries(channels.map((c, i) => [`t${i}`, { channel: c }])) }) as never;

describe('deployment context', () => {
  it('a deployment names a From address SES can verify', () => {
    expect(deploymentFromAddress('no-reply@shop.co.uk')).toBe('no-reply@shop.co.uk');
    for (const [value, message] of [
      [undefined, /fromAddress: not set; .*-c fromAddress=/],
      ['', /not set/],
      ['shop', /not an email address/],
      ['no-reply@example.com', /reserved example domain/],
      ['a@mail.example.org', /reserved example domain/],
      ['a@shop.test', /reserved example domain/],
    ] as const) {
      expect(() => deploymentFromAddress(value)).toThrow(DeployContextError);
      expect(() => deploymentFromAddress(value)).toThrow(message);
    }
  });

  it('channels: all by default; email always; a template of a channel left out is refused by name', () => {
    expect(deployedChannels(undefined, templates(['email', 'push']))).toStrictEqual(['email', 'push', 'sms']);
    expect(deployedChannels('email', templates(['email', 'inApp']))).toStrictEqual(['email']);
    expect(deployedChannels('email, sms', templates(['sms']))).toStrictEqual(['email', 'sms']);
    expect(() => deployedChannels('email', templates(['email', 'push']))).toThrow(/t1 \(push\).*-c channels=email,push/);
    expect(() => deployedChannels('sms', templates([]))).toThrow(/email is always deployed/);
    expect(() => deployedChannels('email,fax', templates([]))).toThrow(/fax is not a channel/);
  });

  it('the CDK app run as the CLI runs it, without fromAddress: a clear message, exit 1, no stack trace', () => {
    const root = resolve(import.meta.dirname, '../..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ workspace: 'examples/store' }) }, timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('fromAddress: not set; pass the verified SES identity to send from: npx cdk deploy --all -c fromAddress=no-reply@yourdomain.com');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
