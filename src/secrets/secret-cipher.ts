import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  authTag: Uint8Array;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

/**
 * AES-256-GCM with a fresh random IV per value. The group and name are authenticated with the
 * value, so a ciphertext copied onto another group's or name's row fails to open.
 */
export class SecretCipher {
  constructor(private readonly key: Buffer) {}

  seal(groupId: string, name: string, value: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    cipher.setAAD(associatedData(groupId, name));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag() };
  }

  /** Undefined when the value does not open with this key (SECRETS_KEY changed) or was tampered with. */
  open(groupId: string, name: string, sealed: SealedSecret): string | undefined {
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, sealed.iv);
      decipher.setAAD(associatedData(groupId, name));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

function associatedData(groupId: string, name: string): Buffer {
  return Buffer.from(`${groupId}/${name}`, 'utf8');
}
