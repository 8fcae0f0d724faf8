import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { ApiKeySource, SecretStore } from '../ports';
import { parseApiKeys, type ApiKey } from '../domain/auth';
import type { Platform } from '../platform';

/** API keys from a Secrets Manager secret (see parseApiKeys: the generated `key`, and `keys` with scopes), cached for five minutes. */
export class SecretsManagerApiKeys implements ApiKeySource {
  constructor(private readonly secretId: string) {}
  async keys(): Promise<readonly ApiKey[]> {
    return parseApiKeys(await getSecret(this.secretId, { transform: 'json', maxAge: 300 }));
  }
}

export class StaticApiKeys implements ApiKeySource {
  constructor(private readonly list: readonly ApiKey[]) {}
  async keys(): Promise<readonly ApiKey[]> {
    return this.list;
  }
}

/** Secrets for webhook headers: the Secrets Manager secret `journeys/<name>`, cached for five minutes. */
export class SecretsManagerSecrets implements SecretStore {
  async get(name: string): Promise<string | undefined> {
    try {
      return (await getSecret(`journeys/${name}`, { maxAge: 300 })) as string | undefined;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException' || (error as { cause?: Error }).cause?.name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}

/** Secrets for webhook headers locally: the environment variable JO_SECRET_<NAME> (upper case, _ for others). */
export class EnvironmentSecrets implements SecretStore {
  async get(name: string): Promise<string | undefined> {
    return process.env[`JO_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
  }
}

/** The key that signs unsubscribe tokens: a Secrets Manager secret, cached for an hour. */
export const unsubscribeKeyFromSecret = (secretId: string) => async (): Promise<string> => {
  const value = (await getSecret(secretId, { maxAge: 3600 })) as string | undefined;
  if (!value) throw new Error('the unsubscribe key secret is empty');
  return value;
};

/** The API keys the authorizer accepts. */
export const apiKeysOf = (p: Platform): ApiKeySource => p.local?.apiKeys ?? new SecretsManagerApiKeys(p.setting('API_KEYS_SECRET_ARN'));
/** Secrets for webhook headers. */
export const secretsOf = (p: Platform): SecretStore => p.local?.secrets ?? new SecretsManagerSecrets();
/** The key that signs unsubscribe tokens. */
export const unsubscribeKeyOf = (p: Platform): (() => Promise<string>) => p.local?.unsubscribeKey ?? unsubscribeKeyFromSecret(p.setting('UNSUBSCRIBE_KEY_SECRET_ARN'));
