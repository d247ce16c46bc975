/**
 * X.509 certificates without dependencies: a self-signed certificate authority, a TLS server
 * certificate for loopback signed by it, and self-signed client certificates for the
 * certificate credential. MSAL refuses http authorities, so the identity endpoint needs TLS,
 * and tests trust it through the CA (`ca` option or NODE_EXTRA_CA_CERTS).
 */

import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isIP } from "node:net";
import {
  bitString,
  boolean,
  decodeObjectIdentifier,
  explicit,
  explicitTag,
  implicitPrimitive,
  integer,
  isOctetString,
  namedBitString,
  nullValue,
  objectIdentifier,
  octetString,
  readChildren,
  readElement,
  sequence,
  set,
  time,
  utf8String,
} from "./der";

/** A certificate and its private key, both PEM (the key as PKCS #8). */
export interface CertificateWithKey {
  certificatePem: string;
  privateKeyPem: string;
}

/** A self-signed client certificate and the thumbprints MSAL's `clientCertificate` option asks for. */
export interface ClientCertificate extends CertificateWithKey {
  /** SHA-256 of the DER certificate, lower-case hex (MSAL `thumbprintSha256`). */
  thumbprintSha256: string;
  /** SHA-1 of the DER certificate, lower-case hex (MSAL's deprecated `thumbprint`). */
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

const OID = {
  commonName: "2.5.4.3",
  organizationName: "2.5.4.10",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extendedKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

/** keyUsage bit numbers (RFC 5280 4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

const DEFAULT_SERVER_HOSTS = ["127.0.0.1", "::1", "localhost"] as const;
const ORGANIZATION = "pulumi-partnercenter emulator";
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Creates a self-signed CA that can sign server certificates. */
export function createCertificateAuthority(options: CertificateAuthorityOptions = {}): CertificateWithKey {
  const keys = generateKeys(options.keyType ?? "ec");
  const certificatePem = selfSignedCertificate(keys, options.commonName ?? "Partner Center emulator test CA", options.validDays ?? 3650, [
    extension(OID.basicConstraints, true, sequence(boolean(true), integer(0))),
    extension(OID.keyUsage, true, namedBitString([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])),
    extension(OID.subjectKeyIdentifier, false, octetString(subjectKeyIdentifier(keys.publicKey))),
  ]);
  return { certificatePem, privateKeyPem: pkcs8Pem(keys.privateKey) };
}

/**
 * Issues a TLS server certificate for `hosts` (IP addresses go into iPAddress entries, names
 * into dNSName entries), signed by `authority`.
 */
export function issueServerCertificate(authority: CertificateWithKey, options: ServerCertificateOptions = {}): CertificateWithKey {
  const issuer = loadCertificateAuthority(authority);
  const hosts = options.hosts ?? DEFAULT_SERVER_HOSTS;
  if (hosts.length === 0) throw new RangeError("a server certificate needs at least one host");
  const keys = generateKeys("ec");
  const certificatePem = buildCertificate({
    subject: distinguishedName(hosts[0] ?? "localhost"),
    issuer: issuer.subjectName,
    subjectPublicKey: keys.publicKey,
    signingKey: issuer.privateKey,
    validity: validityFor(options.validDays ?? 825),
    extensions: [
      ...endEntityExtensions(OID.serverAuth, keys.publicKey),
      extension(OID.subjectAltName, false, sequence(...hosts.map(generalName))),
      ...(issuer.keyIdentifier === undefined
        ? []
        : [extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, issuer.keyIdentifier)))]),
    ],
  });
  return { certificatePem, privateKeyPem: pkcs8Pem(keys.privateKey) };
}

/** Creates a self-signed certificate for client authentication (e.g. an app registration's certificate credential). */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions = {}): ClientCertificate {
  const keys = generateKeys(options.keyType ?? "rsa");
  const certificatePem = selfSignedCertificate(keys, options.commonName ?? "Partner Center emulator client", options.validDays ?? 365, endEntityExtensions(OID.clientAuth, keys.publicKey));
  const der = new X509Certificate(certificatePem).raw;
  return {
    certificatePem,
    privateKeyPem: pkcs8Pem(keys.privateKey),
    thumbprintSha256: createHash("sha256").update(der).digest("hex"),
    thumbprint: createHash("sha1").update(der).digest("hex"),
  };
}

/** A CA ready to sign: its key, its subject Name as DER, and its key identifier when the certificate has one. */
interface LoadedAuthority {
  privateKey: KeyObject;
  subjectName: Buffer;
  keyIdentifier?: Buffer;
}

/** Parses and checks a CA given as PEMs: it must be a CA certificate, and the key must be its key. */
function loadCertificateAuthority(authority: CertificateWithKey): LoadedAuthority {
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    certificate = new X509Certificate(authority.certificatePem);
  } catch (error) {
    throw new TypeError(`the CA certificate is not a PEM X.509 certificate: ${(error as Error).message}`);
  }
  try {
    privateKey = createPrivateKey(authority.privateKeyPem);
  } catch (error) {
    throw new TypeError(`the CA private key is not a PEM private key: ${(error as Error).message}`);
  }
  if (!certificate.ca) throw new TypeError("the CA certificate is not a CA certificate (basicConstraints cA is not set)");
  const spki = (key: KeyObject): Buffer => key.export({ type: "spki", format: "der" });
  if (!spki(createPublicKey(privateKey)).equals(spki(certificate.publicKey))) {
    throw new TypeError("the CA private key does not belong to the CA certificate");
  }
  if (Date.parse(certificate.validTo) <= Date.now()) throw new TypeError(`the CA certificate expired on ${certificate.validTo}`);
  const parts = tbsParts(certificate.raw);
  return { privateKey, subjectName: parts.subject, ...(parts.subjectKeyIdentifier === undefined ? {} : { keyIdentifier: parts.subjectKeyIdentifier }) };
}

/** The subject Name and subjectKeyIdentifier of a DER certificate, read from its TBSCertificate. */
function tbsParts(der: Buffer): { subject: Buffer; subjectKeyIdentifier?: Buffer } {
  const [tbs] = readChildren(readElement(der).content);
  if (tbs === undefined) throw new TypeError("the CA certificate has no TBSCertificate");
  const fields = readChildren(tbs.content);
  // version [0] is optional; after it come serialNumber, signature, issuer, validity, subject.
  const offset = fields[0]?.tag === explicitTag(0) ? 1 : 0;
  const subject = fields[offset + 4];
  if (subject === undefined) throw new TypeError("the CA certificate has no subject");
  const extensions = fields.find((field) => field.tag === explicitTag(3));
  if (extensions === undefined) return { subject: subject.encoded };
  const [list] = readChildren(extensions.content);
  for (const entry of readChildren(list?.content ?? Buffer.alloc(0))) {
    const [id, ...rest] = readChildren(entry.content);
    const value = rest.at(-1);
    if (id === undefined || value === undefined || decodeObjectIdentifier(id.content) !== OID.subjectKeyIdentifier) continue;
    const keyId = readElement(value.content);
    if (isOctetString(keyId)) return { subject: subject.encoded, subjectKeyIdentifier: keyId.content };
  }
  return { subject: subject.encoded };
}

interface CertificateSpec {
  subject: Buffer;
  issuer: Buffer;
  subjectPublicKey: KeyObject;
  signingKey: KeyObject;
  validity: { notBefore: Date; notAfter: Date };
  extensions: Buffer[];
}

/** A certificate whose subject is its issuer, signed with its own key. */
function selfSignedCertificate(keys: { publicKey: KeyObject; privateKey: KeyObject }, commonName: string, validDays: number, extensions: Buffer[]): string {
  const name = distinguishedName(commonName);
  return buildCertificate({ subject: name, issuer: name, subjectPublicKey: keys.publicKey, signingKey: keys.privateKey, validity: validityFor(validDays), extensions });
}

/** Assembles, signs and PEM-encodes a v3 certificate. */
function buildCertificate(spec: CertificateSpec): string {
  const algorithm = signatureAlgorithm(spec.signingKey);
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serialNumber()),
    algorithm,
    spec.issuer,
    sequence(time(spec.validity.notBefore), time(spec.validity.notAfter)),
    spec.subject,
    spec.subjectPublicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(...spec.extensions)),
  );
  // For EC keys node:crypto's default signature encoding is DER (r, s), which is what X.509 wants.
  const signature = sign("sha256", tbs, spec.signingKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return pem("CERTIFICATE", der);
}

/** AlgorithmIdentifier for SHA-256 with the signing key's algorithm. */
function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === "ec") return sequence(objectIdentifier(OID.ecdsaWithSha256));
  if (key.asymmetricKeyType === "rsa") return sequence(objectIdentifier(OID.sha256WithRsa), nullValue());
  throw new TypeError(`signing keys of type ${key.asymmetricKeyType ?? "unknown"} are not supported; use EC P-256 or RSA`);
}

/** What every certificate but the CA carries: not a CA, a signing key only, used for `purpose` (an extended key usage), and its key identifier. */
function endEntityExtensions(purpose: string, publicKey: KeyObject): Buffer[] {
  return [
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, namedBitString([KEY_USAGE.digitalSignature])),
    extension(OID.extendedKeyUsage, false, sequence(objectIdentifier(purpose))),
    extension(OID.subjectKeyIdentifier, false, octetString(subjectKeyIdentifier(publicKey))),
  ];
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(objectIdentifier(oid), boolean(true), octetString(value)) : sequence(objectIdentifier(oid), octetString(value));
}

function distinguishedName(commonName: string): Buffer {
  return sequence(
    set(sequence(objectIdentifier(OID.organizationName), utf8String(ORGANIZATION))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))),
  );
}

/** A GeneralName: iPAddress [7] for addresses, dNSName [2] for names. */
function generalName(host: string): Buffer {
  const version = isIP(host);
  if (version === 4) return implicitPrimitive(7, Buffer.from(host.split(".").map(Number)));
  if (version === 6) return implicitPrimitive(7, ipv6Bytes(host));
  if (!/^[a-z0-9.*-]+$/i.test(host)) throw new RangeError(`'${host}' is neither an IP address nor a DNS name`);
  // dNSName is an IA5String (ASCII) under an implicit tag.
  return implicitPrimitive(2, Buffer.from(host, "ascii"));
}

/** The 16 bytes of an IPv6 address in text form (with `::` compression; no embedded IPv4). */
function ipv6Bytes(address: string): Buffer {
  if (address.includes(".")) throw new RangeError(`IPv6 addresses with an embedded IPv4 part are not supported: ${address}`);
  const [head = "", tail] = address.split("::");
  const groups = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2));
  return bytes;
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function subjectKeyIdentifier(publicKey: KeyObject): Buffer {
  const [, keyBits] = readChildren(readElement(publicKey.export({ type: "spki", format: "der" })).content);
  if (keyBits === undefined) throw new TypeError("the public key has no key bits");
  return createHash("sha1").update(keyBits.content.subarray(1)).digest();
}

/** 16 random bytes, positive and never starting with zero, so the DER integer keeps all 16. */
function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

function validityFor(days: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`validDays must be positive, got ${days}`);
  const now = Date.now();
  // Backdated an hour so a client whose clock runs a little behind still accepts it.
  return { notBefore: new Date(Math.floor((now - HOUR_MS) / 1000) * 1000), notAfter: new Date(Math.floor((now + days * DAY_MS) / 1000) * 1000) };
}

function generateKeys(type: KeyType): { publicKey: KeyObject; privateKey: KeyObject } {
  return type === "ec" ? generateKeyPairSync("ec", { namedCurve: "prime256v1" }) : generateKeyPairSync("rsa", { modulusLength: 2048 });
}

function pkcs8Pem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
