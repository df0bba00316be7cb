import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const keyFileName = 'master.key';

/** Encrypts key material at rest (AES-256-GCM). The additional data binds a ciphertext to its kid. */
export interface MasterKey {
  seal(plaintext: string, boundTo: string): string;
  open(sealed: string, boundTo: string): string;
  /** A 32-byte key for one purpose (HKDF-SHA-256 of the master key), never the master key itself. */
  derive(purpose: string): Buffer;
}

export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

function fromBytes(key: Buffer): MasterKey {
  return {
    derive(purpose) {
      return Buffer.from(hkdfSync('sha256', key, 'tandem', purpose, 32));
    },
    seal(plaintext, boundTo) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(boundTo));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', nonce, body, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, boundTo) {
      const [version, nonce, body, tag] = sealed.split('.');
      if (version !== 'v1' || !nonce || body === undefined || !tag)
        throw new MasterKeyError('sealed value has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'))
        .setAAD(Buffer.from(boundTo))
        .setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

function decode(base64: string, where: string): Buffer {
  const bytes = Buffer.from(base64.trim(), 'base64');
  if (bytes.length !== 32)
    throw new MasterKeyError(`${where} must be 32 bytes in base64 (openssl rand -base64 32)`);
  return bytes;
}

/**
 * The master key comes from `TANDEM_MASTER_KEY`, or from `<dataDir>/master.key`, which is
 * created (mode 0600, never overwritten) on first start.
 */
export function loadMasterKey(dataDir: string, fromEnv: string | undefined): MasterKey {
  if (fromEnv) return fromBytes(decode(fromEnv, 'TANDEM_MASTER_KEY'));
  const file = path.join(dataDir, keyFileName);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return fromBytes(decode(fs.readFileSync(file, 'utf8'), file));
}
