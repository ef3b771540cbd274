import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Page, PageQuery, toPage } from '../common/pagination.js';
import { NotFoundProblem, Problem, ValidationProblem } from '../common/problem.js';
import type { SecretValues } from '../execution/secret-values.js';
import { CONNECTOR_NAME } from '../execution/template.js';
import { SecretCipher } from './secret-cipher.js';
import { SecretResponse, toSecretResponse } from './dto/secret.dto.js';
import { SecretsRepository } from './secrets.repository.js';

const MAX_NAME_LENGTH = 128;

/** Group secrets: stored sealed, listed without values, opened only for runs that reference them. */
@Injectable()
export class SecretsService {
  private readonly logger = new Logger(SecretsService.name);
  private readonly cipher: SecretCipher | undefined;

  constructor(
    private readonly secrets: SecretsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cipher = config.secretsKey ? new SecretCipher(config.secretsKey) : undefined;
  }

  async put(
    groupId: string,
    name: string,
    value: string,
    keyId: string,
  ): Promise<{ secret: SecretResponse; created: boolean }> {
    const cipher = this.requireCipher();
    checkName(name);
    const { secret, created } = await this.secrets.put(groupId, name, cipher.seal(groupId, name, value), keyId);
    return { secret: toSecretResponse(secret), created };
  }

  async list(groupId: string, query: PageQuery): Promise<Page<SecretResponse>> {
    this.requireCipher();
    return toPage(query, await this.secrets.page(groupId, query.skip, query.page_size), toSecretResponse);
  }

  async delete(groupId: string, name: string, keyId: string): Promise<void> {
    this.requireCipher();
    if (!(await this.secrets.delete(groupId, name, keyId))) throw new NotFoundProblem('Secret', name);
  }

  /**
   * The values of the named secrets that exist and open with the current key. A name left out
   * fails the node that uses it with `secret_missing`.
   */
  async resolve(groupId: string, names: readonly string[]): Promise<SecretValues> {
    if (names.length === 0) return {};
    if (!this.cipher) {
      this.logger.warn({ groupId }, 'a run references secrets but SECRETS_KEY is not set');
      return {};
    }
    const values: Record<string, string> = {};
    for (const sealed of await this.secrets.sealed(groupId, names)) {
      const value = this.cipher.open(groupId, sealed.name, sealed);
      if (value === undefined)
        this.logger.warn({ groupId, secret: sealed.name }, 'secret does not open with SECRETS_KEY');
      else values[sealed.name] = value;
    }
    return values;
  }

  private requireCipher(): SecretCipher {
    if (this.cipher) return this.cipher;
    throw new Problem(
      503,
      'secrets-not-configured',
      'Service Unavailable',
      'Secrets are not available: set SECRETS_KEY (32 bytes as 64 hex digits or base64) on every instance.',
    );
  }
}

function checkName(name: string): void {
  if (name.length > MAX_NAME_LENGTH || !CONNECTOR_NAME.test(name)) {
    throw new ValidationProblem([
      { field: 'name', message: `must be 1-${MAX_NAME_LENGTH} letters, digits or _, not starting with a digit` },
    ]);
  }
}
