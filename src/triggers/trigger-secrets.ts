import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Problem } from '../common/problem.js';
import type { Trigger } from '../generated/prisma/client.js';
import { SecretCipher } from '../secrets/secret-cipher.js';

type SealedColumns = Pick<Trigger, 'secretCiphertext' | 'secretIv' | 'secretAuthTag'>;

/**
 * Triggers' signing secrets, sealed as group secrets are (AES-256-GCM under SECRETS_KEY), bound to
 * their group and trigger: a ciphertext copied onto another trigger's row does not open.
 */
@Injectable()
export class TriggerSecrets {
  private readonly cipher: SecretCipher | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cipher = config.secretsKey ? new SecretCipher(config.secretsKey) : undefined;
  }

  seal(groupId: string, triggerId: string, secret: string | null): SealedColumns {
    if (secret === null) return { secretCiphertext: null, secretIv: null, secretAuthTag: null };
    const sealed = this.requireCipher().seal(groupId, name(triggerId), secret);
    return {
      secretCiphertext: Buffer.from(sealed.ciphertext),
      secretIv: Buffer.from(sealed.iv),
      secretAuthTag: Buffer.from(sealed.authTag),
    };
  }

  /** The trigger's secret; undefined when it has none or it does not open (SECRETS_KEY changed or unset). */
  open(trigger: Trigger): string | undefined {
    const { secretCiphertext: ciphertext, secretIv: iv, secretAuthTag: authTag } = trigger;
    if (!this.cipher || !ciphertext || !iv || !authTag) return undefined;
    return this.cipher.open(trigger.groupId, name(trigger.id), { ciphertext, iv, authTag });
  }

  private requireCipher(): SecretCipher {
    if (this.cipher) return this.cipher;
    throw new Problem(
      503,
      'secrets-not-configured',
      'Service Unavailable',
      'Signed triggers need SECRETS_KEY (32 bytes as 64 hex digits or base64) on every instance to store their secret.',
    );
  }
}

function name(triggerId: string): string {
  return `trigger:${triggerId}`;
}
