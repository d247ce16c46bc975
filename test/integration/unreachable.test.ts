/**
 * The client when Partner Center can't be reached, over real sockets: nothing listening, a host
 * name that does not resolve, HTTPS with a certificate the process does not trust, and a server
 * that accepts connections and never answers. Each time one call finds out, with the full cause,
 * and every other call fails at once without a request. And the other way round: a dropped
 * connection, an outage shorter than the probe's pause, or error answers never open the breaker.
 */
import { strict as assert } from "node:assert";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { PartnerCenterClient, PartnerCenterError, type PartnerCenterClientOptions } from "../../provider/client";
import { AccessTokenCredential } from "../../provider/auth";
import { DEVELOPMENT_ACCESS_TOKEN, startEmulator } from "partnercenter-emulator";
import { withEmulator } from "../fixtures/emulator-suite";
import { CUSTOMERS, clientFor, recordingLog, useEmulator } from "../fixtures/emulated-partner-center";
import { QualificationLifecycle } from "../../provider/lifecycle";

const customer = (n: number): string => `99999999-aaaa-4aaa-8aaa-${String(n).padStart(12, "0")}`;

/** A client with short waits: retries after 10 to 40 ms, the probe 100 ms after the last. */
function fastClient(url: string, options: PartnerCenterClientOptions = {}): PartnerCenterClient {
  return new PartnerCenterClient(url, new AccessTokenCredential(DEVELOPMENT_ACCESS_TOKEN), {
    retryOptions: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 40 },
    connectionBreaker: { probeDelayInMs: 100 },
    ...options,
  });
}

/** `count` calls at once, reads and creates mixed; every one must fail with a PartnerCenterError. */
async function failingCalls(client: PartnerCenterClient, count: number): Promise<PartnerCenterError[]> {
  const calls = Array.from({ length: count }, (_, i) =>
    i % 3 === 0 ? client.createQualification(customer(i), { qualification: "StateOwnedEntity" }) : client.getQualifications(customer(i)),
  );
  const results = await Promise.allSettled(calls);
  return results.map((r, i) => {
    assert.equal(r.status, "rejected", `call ${i} failed`);
    const reason = (r as PromiseRejectedResult).reason as unknown;
    assert.ok(reason instanceof PartnerCenterError, String(reason));
    return reason;
  });
}

/**
 * One error has the full cause (the URL, the code, its meaning, the setting to check); every
 * other one is `unreachable`, points to it and names no cause of its own. A later call fails
 * at once too, counted. Returns the first error.
 */
async function assertOneCauseAndTheRestAtOnce(
  client: PartnerCenterClient,
  url: string,
  errors: PartnerCenterError[],
  codes: RegExp,
  meaning: RegExp,
): Promise<PartnerCenterError> {
  const full = errors.filter((e) => !e.notAttempted);
  assert.equal(full.length, 1, `one error with the cause:\n${full.map((e) => e.message).join("\n")}`);
  const first = full[0] as PartnerCenterError;
  assert.equal(first.kind, "unreachable");
  assert.match(String(first.networkCode), codes);
  assert.ok(first.message.startsWith(`Partner Center at ${url} is unreachable: `), first.message);
  assert.match(first.message, meaning);
  assert.match(first.message, /partnercenter:baseUrl \(PARTNERCENTER_BASE_URL\)/);
  for (const other of errors.filter((e) => e !== first)) {
    assert.equal(other.kind, "unreachable");
    assert.equal(other.cause, first);
    assert.match(other.message, new RegExp(`is unreachable \\(${first.networkCode}\\); the cause is in the first error, of ${first.operation}`));
    assert.doesNotMatch(other.message, meaning, "the cause is told once");
  }
  const late = await client.getQualifications(customer(999)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(late instanceof PartnerCenterError && late.notAttempted, String(late));
  assert.equal(late.attempts, 0, "no request of its own");
  assert.match(late.message, new RegExp(` not attempted: .* ${errors.length} calls of this process have failed at once so far\\.$`));
  assert.deepEqual(
    { state: client.connection.state, cause: client.connection.cause, refused: client.connection.refused },
    { state: "open", cause: first, refused: errors.length },
  );
  return first;
}

/** A free loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never says a word; counts them. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe("PartnerCenterClient when Partner Center can't be reached", function () {
  this.timeout(30_000);

  it("nothing listens (ECONNREFUSED): one call has the cause, the eleven others and later ones fail at once", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const client = fastClient(url);
    const errors = await failingCalls(client, 12);
    const first = await assertOneCauseAndTheRestAtOnce(
      client,
      url,
      errors,
      /^ECONNREFUSED$/,
      /ECONNREFUSED: connection refused, nothing listens there\) after 5 attempts, the last a probe/,
    );
    assert.equal(first.attempts, 5, "four attempts and the probe");
  });

  it("the host name does not resolve (DNS): not retried, one probe, then every call fails at once", async () => {
    const url = "https://partnercenter.invalid";
    const client = fastClient(url);
    const errors = await failingCalls(client, 6);
    const first = await assertOneCauseAndTheRestAtOnce(client, url, errors, /^(ENOTFOUND|EAI_AGAIN)$/, /the host name does not resolve/);
    assert.equal(first.attempts, 2, "one attempt (a DNS failure is not retried) and the probe");
    assert.match(first.message, /Check the host name in partnercenter:baseUrl \(PARTNERCENTER_BASE_URL\) and DNS/);
  });

  it("far more calls than the throttle has slots: the probe does not queue behind them, and they send nothing while it runs", async () => {
    let requests = 0;
    const logger = { info: (line: string) => void (/ failed \(/.test(line) && requests++), warning: () => undefined };
    const client = fastClient("https://partnercenter.invalid", { maxConcurrentRequests: 2, logger });
    const errors = await failingCalls(client, 100);
    assert.equal(errors.filter((e) => !e.notAttempted).length, 1);
    assert.ok(requests <= 10, `${requests} requests for 100 calls`);
  });

  it("HTTPS with a certificate from a CA the process does not trust (TLS): one message that says TLS, the rest at once", async () => {
    // The emulator's identity endpoint speaks HTTPS with a certificate of a CA generated at start.
    await withEmulator({ identity: true }, async (emulator) => {
      const url = emulator.identity?.authorityHost ?? "";
      const client = fastClient(url);
      const errors = await failingCalls(client, 6);
      const first = await assertOneCauseAndTheRestAtOnce(client, url, errors, /CERT|UNABLE_TO|ERR_TLS/, /TLS failed, the server's certificate is not trusted/);
      assert.equal(first.attempts, 2, "one attempt (a certificate failure is not retried) and the probe");
      assert.match(first.message, /NODE_EXTRA_CA_CERTS/);
    });
  });

  it("a server that accepts and never answers (silent timeouts): after the probe, no call opens a connection", async () => {
    const server = await silentServer();
    try {
      const client = fastClient(server.url, { timeoutInMs: 200, retryOptions: { maxRetries: 1, retryDelayInMs: 10 } });
      const errors = await failingCalls(client, 4);
      const opened = server.connections();
      await assertOneCauseAndTheRestAtOnce(client, server.url, errors, /^ETIMEDOUT$/, /ETIMEDOUT: no answer began within the attempt's time/);
      assert.equal(server.connections(), opened, "the later call opened no connection");
      // Four calls and two attempts each at most, plus the probe; none of the waiting ones sent again.
      assert.ok(opened <= 9, `${opened} connections`);
    } finally {
      await server.close();
    }
  });

  it("a timeout after the answer began (headers, then silence) is a slow answer, not an outage: the breaker stays closed", async () => {
    const sockets = new Set<Socket>();
    const server: HttpServer = createHttpServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write("[");
    });
    server.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = fastClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`, {
        timeoutInMs: 200,
        retryOptions: { maxRetries: 1, retryDelayInMs: 10 },
      });
      const errors = await failingCalls(client, 3);
      assert.deepEqual(
        errors.map((e) => e.kind),
        ["network", "network", "network"],
      );
      assert.equal(client.connection.state, "closed");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("PartnerCenterClient: what never opens the breaker", function () {
  this.timeout(30_000);
  const env = useEmulator();

  it("one dropped connection in the middle of a healthy run: every call succeeds, the breaker stays closed", async () => {
    await env.emulator.control.injectFault({ kind: "drop", method: "GET", customerId: CUSTOMERS.agency, times: 1 });
    const client = clientFor(env.emulator);
    const reads = Object.values(CUSTOMERS).flatMap((id) => [id, id, id]);
    const results = await Promise.all(reads.map((id) => client.getQualifications(id)));
    assert.equal(results.length, reads.length);
    const log = await env.emulator.control.requests();
    assert.equal(log.filter((r) => r.fault === "drop").length, 1, "the connection was dropped once");
    assert.equal(client.connection.state, "closed");
  });

  it("one call whose every attempt is dropped while other calls are answered fails on its own: the breaker stays closed", async () => {
    await env.emulator.control.injectFault({ kind: "drop", method: "GET", customerId: CUSTOMERS.agency, times: 10 });
    const client = clientFor(env.emulator, { retryOptions: { maxRetries: 3, retryDelayInMs: 20 }, connectionBreaker: { probeDelayInMs: 100 } });
    const unlucky = client.getQualifications(CUSTOMERS.agency).then(
      () => undefined,
      (e: unknown) => e,
    );
    let settled = false;
    void unlucky.then(() => (settled = true));
    let answered = 0;
    while (!settled) {
      await client.getQualifications(CUSTOMERS.school);
      answered++;
    }
    const error = await unlucky;
    assert.ok(error instanceof PartnerCenterError, String(error));
    assert.equal(error.kind, "network", error.message);
    assert.equal(error.attempts, 4);
    assert.ok(answered > 0);
    assert.equal(client.connection.state, "closed");
    assert.deepEqual(await client.getQualifications(CUSTOMERS.utility), [], "the next call is sent");
  });

  it("answers with errors (503 on every request) fail each call on its own and leave the breaker closed", async () => {
    await env.emulator.control.injectFault({ kind: "status", status: 503, times: 100 });
    const client = clientFor(env.emulator, { retryOptions: { maxRetries: 1, retryDelayInMs: 10 } });
    const errors = await failingCalls(client, 4);
    assert.deepEqual(
      errors.map((e) => [e.kind, e.statusCode]),
      Array.from({ length: 4 }, () => ["http", 503]),
    );
    assert.equal(client.connection.state, "closed");
  });

  it("an outage shorter than the probe's pause: the probe finds Partner Center back and no call fails", async () => {
    const port = await closedPort();
    const client = fastClient(`http://127.0.0.1:${port}`, { connectionBreaker: { probeDelayInMs: 1_500 } });
    const calls = Array.from({ length: 6 }, (_, i) => client.getQualifications(i % 2 === 0 ? CUSTOMERS.school : CUSTOMERS.alreadyEducation));
    // The calls use up their retries within about 100 ms; Partner Center comes back before the probe.
    await sleep(500);
    assert.equal(client.connection.state, "probing");
    const emulator = await startEmulator({
      port,
      seed: {
        customers: [{ id: CUSTOMERS.school }, { id: CUSTOMERS.alreadyEducation, qualifications: [{ qualification: "Education", vettingStatus: "Approved" }] }],
      },
    });
    try {
      const results = await Promise.all(calls);
      assert.deepEqual(
        results.map((r) => r.length),
        [0, 1, 0, 1, 0, 1],
      );
      assert.equal(client.connection.state, "closed");
    } finally {
      await emulator.close();
    }
  });
});

describe("the lifecycle when Partner Center can't be reached", function () {
  this.timeout(30_000);

  it("ten creates with nothing listening: one resource's error has the cause, the nine others point to it", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const client = fastClient(url);
    const lifecycle = new QualificationLifecycle({ api: () => client, log: recordingLog() });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => lifecycle.create({ customerId: customer(i), qualification: "StateOwnedEntity" })),
    );
    const messages = results.map((r) => (r.status === "rejected" ? String((r.reason as Error).message) : "created"));
    assert.equal(
      messages.filter((m) => m.startsWith(`Partner Center at ${url} is unreachable: read qualifications for customer `)).length,
      1,
      messages.join("\n"),
    );
    assert.equal(
      messages.filter((m) => / (not attempted|stopped after \d+ attempts?): Partner Center at .* the cause is in the first error/.test(m)).length,
      9,
      messages.join("\n"),
    );
  });

  it("Partner Center gone while waiting for vetting: the create fails with the cause itself, not a pointer to a swallowed error", async () => {
    const emulator = await startEmulator({ seed: { customers: [{ id: CUSTOMERS.school }] } });
    let closing: Promise<void> | undefined;
    try {
      const client = fastClient(emulator.url);
      // The first wait for the next vetting check is when Partner Center goes away.
      const sleep = async (): Promise<void> => {
        closing ??= emulator.close();
        await closing;
      };
      const lifecycle = new QualificationLifecycle({ api: () => client, log: recordingLog(), sleep });
      const inputs = {
        customerId: CUSTOMERS.school,
        qualification: "Education",
        educationSegment: "K12",
        waitForVetting: { timeoutInMs: 60_000, pollIntervalInMs: 100 },
      };
      const error = await lifecycle.create(inputs).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof PartnerCenterError, String(error));
      assert.equal(error.notAttempted, false, error.message);
      assert.ok(error.message.startsWith(`Partner Center at ${emulator.url} is unreachable: read qualifications`), error.message);
    } finally {
      await (closing ?? emulator.close());
    }
  });
});
