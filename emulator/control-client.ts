/**
 * Client for the emulator's control API, so tests, demos and pipelines can drive an emulator
 * running in this process or another one.
 *
 * Control routes (JSON bodies, no authentication, never in the request log, never faulted):
 *
 * | method | route | body | answer |
 * |---|---|---|---|
 * | GET | `/_emulator/status` | | 200 `{"ok":true}` |
 * | POST | `/_emulator/reset` | | 204: back to the startup seed, default style, startup latency, rate limit and random faults, no injected faults, empty log (and the identity endpoint back to its seed) |
 * | POST | `/_emulator/seed` | {@link EmulatorSeed} | 204: adds or overwrites customers and codes |
 * | POST | `/_emulator/customers` | {@link SeedCustomer} | 204: adds or overwrites one customer |
 * | GET | `/_emulator/customers/{id}` | | 200 {@link CustomerState}, 404 when unknown |
 * | PUT | `/_emulator/customers/{id}/qualifications/{name}/vetting` | {@link VettingDecision} | 204 |
 * | DELETE | `/_emulator/customers/{id}/qualifications/{name}` | | 204: forgets it (drift) |
 * | POST | `/_emulator/customers/{id}/vetting-scripts` | {@link VettingScript} | 204 |
 * | GET | `/_emulator/validation-codes` | | 200 {@link ValidationCodeRecord}[] |
 * | GET, POST, DELETE | `/_emulator/faults` | {@link FaultSpec} (POST) | 200 active faults / 204 |
 * | GET, PUT, DELETE | `/_emulator/chaos` | {@link ChaosOptions} (PUT) | 200 the {@link ChaosSettings} in force, 204 when none / 200 the settings set / 204: no random faults |
 * | GET, DELETE | `/_emulator/requests` | | 200 {@link LoggedRequest}[] / 204 |
 * | GET, PUT | `/_emulator/latency` | `{"latencyMs": n}` (PUT) | 200 `{"latencyMs": n}` / 204 |
 * | GET, PUT, DELETE | `/_emulator/rate-limit` | {@link RateLimit} (PUT) | 200 the limit, 204 when none / 204 / 204: no limit |
 * | GET, PATCH | `/_emulator/response-style` | `Partial<ResponseStyle>` (PATCH) | 200 the full {@link ResponseStyle} |
 * | | `/_emulator/identity/...` | | the identity endpoint's routes, listed in identity/identity-control-client.ts |
 *
 * Refused inputs answer 400 (unknown customer or qualification: 404) with `{"error":"..."}`.
 */

import { EmulatorControlError, callControl, normalizeBaseUrl } from "./control-transport";
import { IdentityControl } from "./identity/identity-control-client";
import type {
  ChaosOptions,
  ChaosSettings,
  CustomerState,
  EmulatorSeed,
  FaultSpec,
  LoggedRequest,
  RateLimit,
  ResponseStyle,
  SeedCustomer,
  ValidationCodeRecord,
  VettingDecision,
  VettingScript,
} from "./types";

/** Re-exported where it was first defined, so existing imports keep working. */
export { EmulatorControlError } from "./control-transport";

/** Drives an emulator over its control API. */
export class EmulatorControl {
  private readonly baseUrl: string;

  /** @param baseUrl the emulator's base URL, e.g. `http://127.0.0.1:8443`. */
  constructor(baseUrl: string) {
    this.baseUrl = normalizeBaseUrl(baseUrl);
  }

  /** The identity endpoint's controls (routes under `/_emulator/identity`); they answer 404 when the emulator runs without one. */
  get identity(): IdentityControl {
    return new IdentityControl(this.baseUrl);
  }

  /** Back to the startup seed, default response style, no faults, empty request log. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  /** Adds or overwrites (by id) customers and validation codes. */
  async seed(seed: EmulatorSeed): Promise<void> {
    await this.call("POST", "/seed", seed);
  }

  /** Adds or overwrites one customer. */
  async addCustomer(customer: SeedCustomer): Promise<void> {
    await this.call("POST", "/customers", customer);
  }

  /** Sets a vetted qualification's outcome immediately, cancelling any scripted one. */
  async setVetting(customerId: string, qualification: string, decision: VettingDecision): Promise<void> {
    await this.call("PUT", `/customers/${encodeURIComponent(customerId)}/qualifications/${encodeURIComponent(qualification)}/vetting`, decision);
  }

  /** Schedules a vetting outcome `afterMs` after creation (or after now, when already InReview). */
  async scriptVetting(customerId: string, script: VettingScript): Promise<void> {
    await this.call("POST", `/customers/${encodeURIComponent(customerId)}/vetting-scripts`, script);
  }

  /** Removes a qualification from a customer as if it never existed. */
  async forgetQualification(customerId: string, qualification: string): Promise<void> {
    await this.call("DELETE", `/customers/${encodeURIComponent(customerId)}/qualifications/${encodeURIComponent(qualification)}`);
  }

  /** Injects a fault into upcoming API requests. */
  async injectFault(fault: FaultSpec): Promise<void> {
    await this.call("POST", "/faults", fault);
  }

  /** Removes every injected fault. */
  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  /**
   * Random faults on a share of the API requests (undefined: none); the sequence restarts from
   * the seed. Returns the settings in force, with the seed chosen when none was given.
   */
  async setChaos(chaos: ChaosOptions | undefined): Promise<ChaosSettings | undefined> {
    if (chaos === undefined) {
      await this.call("DELETE", "/chaos");
      return undefined;
    }
    return (await this.call("PUT", "/chaos", chaos)) as ChaosSettings;
  }

  /** The random faults in force, or undefined when there are none. */
  async chaos(): Promise<ChaosSettings | undefined> {
    return (await this.call("GET", "/chaos")) as ChaosSettings | undefined;
  }

  /** The API requests seen since the last clear, in arrival order. */
  async requests(): Promise<LoggedRequest[]> {
    return (await this.call("GET", "/requests")) as LoggedRequest[];
  }

  /** Empties the request log. */
  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  /** Changes some of the response shapes; returns the resulting full style. */
  async setResponseStyle(style: Partial<ResponseStyle>): Promise<ResponseStyle> {
    return (await this.call("PATCH", "/response-style", style)) as ResponseStyle;
  }

  /** Makes every API answer wait `latencyMs` milliseconds (0 to 600000); control calls never wait. */
  async setLatency(latencyMs: number): Promise<void> {
    await this.call("PUT", "/latency", { latencyMs });
  }

  /** The latency in force, in milliseconds. */
  async latency(): Promise<number> {
    return ((await this.call("GET", "/latency")) as { latencyMs: number }).latencyMs;
  }

  /** Throttles API requests beyond `limit` with 429 (the window starts empty); undefined lifts the limit. */
  async setRateLimit(limit: RateLimit | undefined): Promise<void> {
    if (limit === undefined) await this.call("DELETE", "/rate-limit");
    else await this.call("PUT", "/rate-limit", limit);
  }

  /** The rate limit in force, or undefined when there is none. */
  async rateLimit(): Promise<RateLimit | undefined> {
    return (await this.call("GET", "/rate-limit")) as RateLimit | undefined;
  }

  /** A customer's stored state, or undefined when the emulator does not know it. */
  async customer(id: string): Promise<CustomerState | undefined> {
    try {
      return (await this.call("GET", `/customers/${encodeURIComponent(id)}`)) as CustomerState;
    } catch (error) {
      if (error instanceof EmulatorControlError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** The partner's validation-code records. */
  async validationCodes(): Promise<ValidationCodeRecord[]> {
    return (await this.call("GET", "/validation-codes")) as ValidationCodeRecord[];
  }

  private call(method: string, route: string, body?: unknown): Promise<unknown> {
    return callControl(this.baseUrl, method, route, body);
  }
}
