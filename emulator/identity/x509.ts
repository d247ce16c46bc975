/**
 * X.509 certificates, built with @peculiar/x509 on Node's WebCrypto: a self-signed certificate
 * authority, a TLS server certificate for loopback signed by it, and self-signed client
 * certificates for the certificate credential. MSAL refuses http authorities, so the identity
 * endpoint needs TLS, and tests trust it through the CA (`ca` option or NODE_EXTRA_CA_CERTS).
 */

// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { KeyObject, X509Certificate, createHash, createPrivateKey, randomBytes, type webcrypto } from "node:crypto";
import { isIP } from "node:net";

/** A certificate and its private key, both PEM (the key as PKCS #8). */
export interface CertificateWithKey {
  certificatePem: string;
  privateKeyPem: string;
}

/** A self-signed client certificate and the thumbprints MSAL's `clientCertificate` option asks for. */
export interface ClientCertificate extends CertificateWithKey {
  /** SHA-256 of the certificate, lower-case hex (MSAL `thumbprintSha256`). */
  thumbprintSha256: string;
  /** SHA-1 of the certificate, lower-case hex (MSAL's deprecated `thumbprint`). */
  thumbprint: string;
}

/** Key algorithms the generators offer: EC P-256 is fast to generate; RSA 2048 is what MSAL's PS256 client assertions need. */
export type KeyType = "ec" | "rsa";

/** Options for {@link createCertificateAuthority}. */
export interface CertificateAuthorityOptions {
  /** Subject common name; default "Partner Center emulator test CA". */
  commonName?: string;
  /** Validity from one hour ago (clock skew); default 3650 days. */
  validDays?: number;
  /** Default "ec". */
  keyType?: KeyType;
}

/** Options for {@link issueServerCertificate}. */
export interface ServerCertificateOptions {
  /** Host names and IP addresses for the subjectAltName; default 127.0.0.1, ::1 and localhost. */
  hosts?: readonly string[];
  /** Default 825 days. */
  validDays?: number;
}

/** Options for {@link createSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** Default "Partner Center emulator client". */
  commonName?: string;
  /** Default 365 days. */
  validDays?: number;
  /** Default "rsa", because MSAL Node signs client assertions with PS256. */
  keyType?: KeyType;
}

/** The WebCrypto algorithm of each key type; certificates are signed with SHA-256. */
const ALGORITHMS = {
  ec: { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" },
  rsa: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
} as const;

type CryptoKey = webcrypto.CryptoKey;

const DEFAULT_SERVER_HOSTS = ["127.0.0.1", "::1", "localhost"] as const;
const ORGANIZATION = "pulumi-partnercenter emulator";
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Creates a self-signed CA that can sign server certificates. */
export async function createCertificateAuthority(options: CertificateAuthorityOptions = {}): Promise<CertificateWithKey> {
  const keys = await generateKeys(options.keyType ?? "ec");
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    ...certificateBasics(options.validDays ?? 3650),
    name: distinguishedName(options.commonName ?? "Partner Center emulator test CA"),
    keys,
    signingAlgorithm: ALGORITHMS[options.keyType ?? "ec"],
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: pem(certificate), privateKeyPem: pkcs8Pem(keys.privateKey) };
}

/**
 * Issues a TLS server certificate for `hosts` (IP addresses go into iPAddress entries, names
 * into dNSName entries), signed by `authority`.
 */
export async function issueServerCertificate(authority: CertificateWithKey, options: ServerCertificateOptions = {}): Promise<CertificateWithKey> {
  const issuer = await loadCertificateAuthority(authority);
  const hosts = options.hosts ?? DEFAULT_SERVER_HOSTS;
  if (hosts.length === 0) throw new RangeError("a server certificate needs at least one host");
  const keys = await generateKeys("ec");
  const certificate = await x509.X509CertificateGenerator.create({
    ...certificateBasics(options.validDays ?? 825),
    subject: distinguishedName(hosts[0] ?? "localhost"),
    issuer: issuer.certificate.subject,
    publicKey: keys.publicKey,
    signingKey: issuer.privateKey,
    signingAlgorithm: issuer.algorithm,
    extensions: [
      ...(await endEntityExtensions(x509.ExtendedKeyUsage.serverAuth, keys.publicKey)),
      new x509.SubjectAlternativeNameExtension(hosts.map((host) => ({ type: isIP(host) === 0 ? "dns" : "ip", value: host }))),
      ...(issuer.keyIdentifier === undefined ? [] : [new x509.AuthorityKeyIdentifierExtension(issuer.keyIdentifier)]),
    ],
  });
  return { certificatePem: pem(certificate), privateKeyPem: pkcs8Pem(keys.privateKey) };
}

/** Creates a self-signed certificate for client authentication (e.g. an app registration's certificate credential). */
export async function createSelfSignedCertificate(options: SelfSignedCertificateOptions = {}): Promise<ClientCertificate> {
  const keys = await generateKeys(options.keyType ?? "rsa");
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    ...certificateBasics(options.validDays ?? 365),
    name: distinguishedName(options.commonName ?? "Partner Center emulator client"),
    keys,
    signingAlgorithm: ALGORITHMS[options.keyType ?? "rsa"],
    extensions: await endEntityExtensions(x509.ExtendedKeyUsage.clientAuth, keys.publicKey),
  });
  const raw = Buffer.from(certificate.rawData);
  return {
    certificatePem: pem(certificate),
    privateKeyPem: pkcs8Pem(keys.privateKey),
    thumbprintSha256: createHash("sha256").update(raw).digest("hex"),
    thumbprint: createHash("sha1").update(raw).digest("hex"),
  };
}

/** A CA ready to sign: its certificate, its key and the key's algorithm, and its key identifier when the certificate has one. */
interface LoadedAuthority {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  algorithm: (typeof ALGORITHMS)[KeyType];
  keyIdentifier: string | undefined;
}

/** Parses and checks a CA given as PEMs: it must be an unexpired CA certificate, and the key must be its key. */
async function loadCertificateAuthority(authority: CertificateWithKey): Promise<LoadedAuthority> {
  const certificate = parsed("the CA certificate is not a PEM X.509 certificate", () => new X509Certificate(authority.certificatePem));
  const privateKey = parsed("the CA private key is not a PEM private key", () => createPrivateKey(authority.privateKeyPem));
  if (!certificate.ca) throw new TypeError("the CA certificate is not a CA certificate (basicConstraints cA is not set)");
  if (!certificate.checkPrivateKey(privateKey)) throw new TypeError("the CA private key does not belong to the CA certificate");
  if (Date.parse(certificate.validTo) <= Date.now()) throw new TypeError(`the CA certificate expired on ${certificate.validTo}`);
  const type = privateKey.asymmetricKeyType;
  if (type !== "rsa" && (type !== "ec" || privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1")) {
    throw new TypeError(`signing keys of type ${type ?? "unknown"} are not supported; use EC P-256 or RSA`);
  }
  const peculiar = new x509.X509Certificate(certificate.raw);
  return {
    certificate: peculiar,
    privateKey: await crypto.subtle.importKey("jwk", privateKey.export({ format: "jwk" }), ALGORITHMS[type], false, ["sign"]),
    algorithm: ALGORITHMS[type],
    keyIdentifier: peculiar.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
  };
}

/** What `parse` returns, or a TypeError saying `what` went wrong and why. */
function parsed<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new TypeError(`${what}: ${(error as Error).message}`);
  }
}

/** What every certificate but the CA carries: not a CA, a signing key only, used for `purpose` (an extended key usage), and its key identifier. */
async function endEntityExtensions(purpose: x509.ExtendedKeyUsage, publicKey: CryptoKey): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([purpose]),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
}

/** Serial number and validity: 16 random bytes, positive; from an hour ago (a client whose clock runs a little behind still accepts it) for `days`. */
function certificateBasics(days: number): { serialNumber: string; notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`validDays must be positive, got ${days}`);
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  const now = Date.now();
  const wholeSecond = (time: number): Date => new Date(Math.floor(time / 1000) * 1000);
  return { serialNumber: serial.toString("hex"), notBefore: wholeSecond(now - HOUR_MS), notAfter: wholeSecond(now + days * DAY_MS) };
}

function distinguishedName(commonName: string): x509.JsonName {
  return [{ O: [ORGANIZATION] }, { CN: [commonName] }];
}

async function generateKeys(type: KeyType): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(ALGORITHMS[type], true, ["sign", "verify"]);
}

function pkcs8Pem(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: "pkcs8", format: "pem" }).toString();
}

function pem(certificate: x509.X509Certificate): string {
  return `${certificate.toString("pem")}\n`;
}
