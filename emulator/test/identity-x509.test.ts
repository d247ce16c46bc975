import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { checkServerIdentity, connect, createServer } from "node:tls";
import { createCertificateAuthority, createSelfSignedCertificate, issueServerCertificate, startEmulator, type CertificateWithKey } from "../index";
import { withEmulator } from "./emulator-harness";
import { TEST_CA, identityOf } from "./identity-harness";

/**
 * Completes a TLS handshake with a server presenting `server`, as a client that trusts only
 * `ca` and connects to 127.0.0.1 under the name `host`; resolves "ok" or the client's error code.
 */
async function handshake(server: CertificateWithKey, ca: string, host: string): Promise<string> {
  const listener = createServer({ key: server.privateKeyPem, cert: server.certificatePem }, (socket) => socket.end());
  listener.listen(0, "127.0.0.1");
  await once(listener, "listening");
  try {
    const port = (listener.address() as AddressInfo).port;
    const socket = connect({ host: "127.0.0.1", port, ca, checkServerIdentity: (_name, certificate) => checkServerIdentity(host, certificate) });
    try {
      await once(socket, "secureConnect");
      return "ok";
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    } finally {
      socket.destroy();
    }
  } finally {
    listener.close();
  }
}

describe("emulator identity: X.509 certificates", () => {
  let authority: CertificateWithKey;
  let server: CertificateWithKey;
  before(async () => {
    authority = await createCertificateAuthority();
    server = await issueServerCertificate(authority);
  });

  it("creates a CA that node:crypto parses as a self-signed CA certificate with a matching key", () => {
    const ca = new X509Certificate(authority.certificatePem);

    assert.equal(ca.ca, true);
    assert.equal(ca.checkIssued(ca), true);
    assert.equal(ca.verify(ca.publicKey), true);
    assert.match(ca.subject, /CN=Partner Center emulator test CA/);
    assert.deepEqual(
      createPublicKey(createPrivateKey(authority.privateKeyPem)).export({ type: "spki", format: "der" }),
      ca.publicKey.export({ type: "spki", format: "der" }),
    );
  });

  it("issues a loopback server certificate chained to the CA, with IP and DNS subject alternative names", () => {
    const ca = new X509Certificate(authority.certificatePem);
    const certificate = new X509Certificate(server.certificatePem);

    assert.equal(certificate.ca, false);
    assert.equal(certificate.checkIssued(ca), true);
    assert.equal(certificate.verify(ca.publicKey), true);
    assert.equal(certificate.subjectAltName, "IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost");
    assert.equal(certificate.checkIP("127.0.0.1"), "127.0.0.1");
    assert.equal(certificate.checkHost("localhost"), "localhost");
    assert.deepEqual(certificate.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
    assert.ok(Date.parse(certificate.validFrom) < Date.now() && Date.parse(certificate.validTo) > Date.now());
  });

  it("writes the names it is given, and signs with an RSA CA too", async () => {
    const rsaAuthority = await createCertificateAuthority({ keyType: "rsa", commonName: "rsa test CA" });
    const certificate = new X509Certificate((await issueServerCertificate(rsaAuthority, { hosts: ["identity.test", "10.1.2.3", "fe80::1"] })).certificatePem);

    assert.equal(certificate.subjectAltName, "DNS:identity.test, IP Address:10.1.2.3, IP Address:FE80:0:0:0:0:0:0:1");
    assert.equal(certificate.verify(new X509Certificate(rsaAuthority.certificatePem).publicKey), true);
  });

  it("completes a real TLS handshake for 127.0.0.1 and localhost when the client trusts the CA", async () => {
    assert.equal(await handshake(server, authority.certificatePem, "127.0.0.1"), "ok");
    assert.equal(await handshake(server, authority.certificatePem, "localhost"), "ok");
  });

  it("fails the handshake against another CA and for a name the certificate does not carry", async () => {
    const stranger = await createCertificateAuthority();

    assert.equal(await handshake(server, stranger.certificatePem, "127.0.0.1"), "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    assert.equal(await handshake(server, authority.certificatePem, "example.com"), "ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("creates self-signed client certificates with the thumbprints MSAL asks for", async () => {
    const client = await createSelfSignedCertificate();
    const certificate = new X509Certificate(client.certificatePem);

    assert.equal(certificate.verify(certificate.publicKey), true);
    assert.equal(certificate.publicKey.asymmetricKeyType, "rsa");
    assert.equal(client.thumbprintSha256, certificate.fingerprint256.replaceAll(":", "").toLowerCase());
    assert.equal(client.thumbprint, certificate.fingerprint.replaceAll(":", "").toLowerCase());
    assert.deepEqual(certificate.keyUsage, ["1.3.6.1.5.5.7.3.2"]);
  });

  it("refuses to sign with a certificate that is not a CA, or a key that is not the CA's", async () => {
    const leaf = { certificatePem: server.certificatePem, privateKeyPem: server.privateKeyPem };
    const mismatched = { certificatePem: authority.certificatePem, privateKeyPem: (await createCertificateAuthority()).privateKeyPem };

    await assert.rejects(issueServerCertificate(leaf), /not a CA certificate/);
    await assert.rejects(issueServerCertificate(mismatched), /does not belong to the CA certificate/);
  });

  it("ships a test CA valid for about a hundred years that signs server certificates", async () => {
    const ca = new X509Certificate(TEST_CA.caCertificatePem);
    const issued = new X509Certificate(
      (await issueServerCertificate({ certificatePem: TEST_CA.caCertificatePem, privateKeyPem: TEST_CA.caPrivateKeyPem })).certificatePem,
    );

    assert.equal(ca.ca, true);
    assert.ok(Date.parse(ca.validTo) - Date.parse(ca.validFrom) > 99 * 365 * 24 * 3600 * 1000);
    assert.equal(issued.checkIssued(ca), true);
    assert.equal(issued.verify(ca.publicKey), true);
  });

  it("generates a fresh CA at start when none is given, and refuses an unusable one", async () => {
    const identity = await withEmulator({ identity: true }, async (emulator) => identityOf(emulator));
    assert.notEqual(identity.caCertificatePem, TEST_CA.caCertificatePem);
    assert.equal(new X509Certificate(identity.caCertificatePem).ca, true);
    assert.match(identity.authorityHost, /^https:\/\/127\.0\.0\.1:\d+$/);

    await assert.rejects(
      startEmulator({ identity: { tls: { caCertificatePem: TEST_CA.caCertificatePem, caPrivateKeyPem: (await createCertificateAuthority()).privateKeyPem } } }),
      /options\.identity\.tls: the CA private key does not belong to the CA certificate/,
    );
  });
});
