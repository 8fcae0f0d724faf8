import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { ApiKeySource } from '../ports';

/** API keys from a Secrets Manager secret `{ "keys": ["..."] }`, cached for five minutes. */
export class SecretsManagerApiKeys implements ApiKeySource {
  constructor(private readonly secretId: string) {}
  async keys(): Promise<readonly string[]> {
    const secret = (await getSecret(this.secretId, { transform: 'json', maxAge: 300 })) as { keys?: unknown } | undefined;
    return Array.isArray(secret?.keys) ? secret.keys.filter((k): k is string => typeof k === 'string') : [];
  }
}

export class StaticApiKeys implements ApiKeySource {
  constructor(private readonly list: readonly string[]) {}
  async keys(): Promise<readonly string[]> {
    return this.list;
  }
}
