/**
 * Local certificate authority, HTTPS server certificate, token-signing key and client certificates.
 *
 * Node's crypto can make keys but cannot issue X.509 certificates, so keys come from node:crypto (fast, native)
 * and node-forge builds and signs the certificates. Files live in an ignored folder (default
 * `<repo>/.emulator/certs`) so that a CA trusted once (NODE_EXTRA_CA_CERTS) stays valid across runs.
 */
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import forge from "node-forge";
import { writeFileAtomic } from "./atomic-file";

/** The key material one emulator instance serves with. */
export interface EmulatorCertificates {
  /** PEM of the local CA certificate that clients must trust. */
  readonly caCertPem: string;
  /** Path of the CA certificate file (for NODE_EXTRA_CA_CERTS). */
  readonly caCertPath: string;
  /** PEM of the HTTPS server certificate (SAN 127.0.0.1 and localhost). */
  readonly serverCertPem: string;
  /** PEM (PKCS#8) of the HTTPS server private key. */
  readonly serverKeyPem: string;
  /** PEM (PKCS#8) of the RSA key that signs access tokens; kept so tokens survive an emulator restart. */
  readonly tokenSigningKeyPem: string;
}

/** A self-signed client certificate for certificate-credential tests, made at run time. */
export interface ClientCertificate {
  /** PEM of the certificate; register it as an app's `certificatePem`. */
  readonly certificatePem: string;
  /** PEM (PKCS#8) of the private key. */
  readonly privateKeyPem: string;
  /** certificatePem followed by privateKeyPem: the form ClientCertificateCredential's `certificate` option takes. */
  readonly combinedPem: string;
  /** SHA-1 thumbprint, upper-case hex (as the Entra portal shows it). */
  readonly thumbprintSha1: string;
  /** SHA-256 thumbprint, upper-case hex. */
  readonly thumbprintSha256: string;
}

const FILES = {
  caCert: "ca.pem",
  caKey: "ca-key.pem",
  serverCert: "server.pem",
  serverKey: "server-key.pem",
  tokenKey: "token-signing-key.pem",
} as const;

/** Renew the server certificate when less than this remains, so a long-lived certDir never serves an expired one. */
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

/**
 * Loads the certificates from `certDir`, creating them on first use (or renewing the server certificate when it
 * is near expiry). Creation writes into a temporary sibling folder and renames it into place, so two emulators
 * starting at once never mix files from two different CAs: the loser of the rename uses the winner's files.
 */
export function ensureCertificates(certDir: string): EmulatorCertificates {
  const dir = path.resolve(certDir);
  if (!fs.existsSync(path.join(dir, FILES.caCert))) createCertDir(dir);
  const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
  let serverCertPem = read(FILES.serverCert);
  let serverKeyPem = read(FILES.serverKey);
  if (new Date(new X509Certificate(serverCertPem).validTo).getTime() - Date.now() < RENEW_BEFORE_MS) {
    const server = issueServerCertificate(read(FILES.caCert), read(FILES.caKey));
    writeFileAtomic(path.join(dir, FILES.serverKey), server.keyPem, 0o600);
    writeFileAtomic(path.join(dir, FILES.serverCert), server.certPem, 0o644);
    ({ certPem: serverCertPem, keyPem: serverKeyPem } = server);
  }
  return {
    caCertPem: read(FILES.caCert),
    caCertPath: path.join(dir, FILES.caCert),
    serverCertPem,
    serverKeyPem,
    tokenSigningKeyPem: read(FILES.tokenKey),
  };
}

function createCertDir(dir: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  fs.mkdirSync(tmp, { mode: 0o700 });
  const ca = createCa();
  const server = issueServerCertificate(ca.certPem, ca.keyPem);
  fs.writeFileSync(path.join(tmp, FILES.caCert), ca.certPem, { mode: 0o644 });
  fs.writeFileSync(path.join(tmp, FILES.caKey), ca.keyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(tmp, FILES.serverCert), server.certPem, { mode: 0o644 });
  fs.writeFileSync(path.join(tmp, FILES.serverKey), server.keyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(tmp, FILES.tokenKey), newRsaKeyPem(), { mode: 0o600 });
  fs.writeFileSync(path.join(tmp, ".gitignore"), "*\n");
  try {
    // An empty pre-existing folder (made by hand) may be replaced; a populated one means another process won.
    if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, FILES.caCert))) throw err;
  }
}

function newRsaKeyPem(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

function newKeyPair(): { pem: string; forgePrivate: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey } {
  const pem = newRsaKeyPem();
  const forgePrivate = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const forgePublic = forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e);
  return { pem, forgePrivate, forgePublic };
}

/** A positive random serial number (leading byte below 0x80 keeps the DER integer positive). */
function serialNumber(): string {
  return "01" + randomBytes(15).toString("hex");
}

function validity(cert: forge.pki.Certificate, days: number): void {
  // Back-date a little so a client whose clock is slightly behind still accepts a fresh certificate.
  cert.validity.notBefore = new Date(Date.now() - 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600 * 1000);
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serialNumber();
  validity(cert, 3650);
  const subject = [
    { name: "commonName", value: "Local Microsoft Graph Emulator CA" },
    { name: "organizationName", value: "pulumi-msgraph-assignments (test only)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.forgePrivate, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem };
}

function issueServerCertificate(caCertPem: string, caKeyPem: string): { certPem: string; keyPem: string } {
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serialNumber();
  validity(cert, 397); // within the 398-day ceiling that TLS clients apply to server certificates
  cert.setSubject([{ name: "commonName", value: "127.0.0.1" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem };
}

/**
 * Makes a self-signed client certificate and its key, for registering an app with certificate credentials.
 * Keys are generated at run time and never written anywhere by this function.
 */
export function generateClientCertificate(commonName = "emulator-client"): ClientCertificate {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serialNumber();
  validity(cert, 365);
  cert.setSubject([{ name: "commonName", value: commonName }]);
  cert.setIssuer([{ name: "commonName", value: commonName }]);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
  ]);
  cert.sign(keys.forgePrivate, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  const thumbprints = certificateThumbprints(certificatePem);
  return {
    certificatePem,
    privateKeyPem: keys.pem,
    combinedPem: certificatePem + keys.pem,
    thumbprintSha1: thumbprints.sha1.toString("hex").toUpperCase(),
    thumbprintSha256: thumbprints.sha256.toString("hex").toUpperCase(),
  };
}

/** SHA-1 and SHA-256 digests of a certificate's DER encoding (the x5t and x5t#S256 values, before base64url). */
export function certificateThumbprints(certificatePem: string): { sha1: Buffer; sha256: Buffer } {
  const der = new X509Certificate(certificatePem).raw;
  return { sha1: createHash("sha1").update(der).digest(), sha256: createHash("sha256").update(der).digest() };
}
