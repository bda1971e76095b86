// Bearer tokens (stored as hashes only), Standard Webhooks secrets, and the sealing that keeps those
// secrets encrypted at rest: the API seals with a public key, only the delivery function can unseal.
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** A random id part: 128 bits, base64url. */
export const randomId = () => randomBytes(16).toString('base64url');

/** A bearer token, shown once; 256 bits, so a plain SHA-256 (no salt, no stretching) is enough to store it. */
export function newToken(): string {
  return `st_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Compares in constant time, so response timing tells nothing about the stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashToken(token));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes (what the reference libraries take). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

// RSA-OAEP-SHA256 with a 3072-bit key takes up to 318 bytes: a `whsec_` secret (50 bytes) fits directly.
const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;
const sealVersion = 'rsa-oaep-256:';

/** Encrypts a secret for whoever holds the private key; the sealer itself cannot read it back. */
export class SecretSealer {
  private readonly key: KeyObject;

  constructor(publicKeyPem: string) {
    this.key = createPublicKey(publicKeyPem);
  }

  seal(secret: string): string {
    return (
      sealVersion + publicEncrypt({ key: this.key, ...oaep }, Buffer.from(secret, 'utf8')).toString('base64')
    );
  }
}

export class SecretOpener {
  private readonly key: KeyObject;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
  }

  open(sealed: string): string {
    if (!sealed.startsWith(sealVersion)) throw new Error('unknown sealed-secret format');
    const box = Buffer.from(sealed.slice(sealVersion.length), 'base64');
    return privateDecrypt({ key: this.key, ...oaep }, box).toString('utf8');
  }
}

/** A new sealing key pair as PEM (the local stack makes one per data dir; AWS keeps the private half in Secrets Manager). */
export function newSealingKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The public half of a private key, so one stored PEM serves both sides locally. */
export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}
