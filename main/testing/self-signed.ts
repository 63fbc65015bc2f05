import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSignedCertificate {
  cert: string;
  key: string;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS. */
  certPath: string;
}

/**
 * A certificate for 127.0.0.1, signed by itself, made in `folder` with the
 * system's openssl for tests of HTTPS on loopback; null when openssl is not
 * installed (the tests that need it skip and say so).
 */
export function selfSignedCertificate(folder: string): SelfSignedCertificate | null {
  const certPath = join(folder, 'cert.pem');
  const keyPath = join(folder, 'key.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
  } catch {
    return null;
  }
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath };
}
