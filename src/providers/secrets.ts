import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Provider secrets (tokens, passwords) are stored encrypted with AES-256-GCM. The key comes from
// HERALD_ENCRYPTION_KEY; without it, a random key is created once in HERALD_DATA_DIR so a
// single machine works with no setup. Several machines sharing a database must share the key.

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromConfig(encryptionKey: string | undefined, dataDir: string): SecretBox {
    if (encryptionKey) return new SecretBox(createHash('sha256').update(encryptionKey).digest());
    const dir = dataDir.startsWith('memory://') ? undefined : dataDir;
    if (!dir) return new SecretBox(randomBytes(32)); // in-memory database: nothing outlives the process
    const file = join(dir, 'encryption.key');
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    return new SecretBox(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  open(sealed: string): unknown {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('unreadable sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8'));
  }
}
