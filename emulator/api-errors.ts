/**
 * Partner Center error answers: the numeric codes the emulator uses and the body shapes
 * (`{"code","description","data","source"}`, and the different 429 shape).
 */

/**
 * Error codes. 900118, 900126, 900421, 3000 and 60003 are documented Partner Center codes;
 * Microsoft documents none for duplicates, combination conflicts, bad validation codes or an
 * App-only token on an App+User route, so those reuse 3000 (invalid property) or the HTTP
 * status, and clients must not depend on them.
 */
export const ERROR_CODES = {
  unauthorized: 401,
  mfaRequired: 900421,
  appPlusUserRequired: 403,
  invalidProperty: 3000,
  unparsableEnum: 900126,
  invalidCustomerId: 900118,
  customerNotFound: 60003,
  routeNotFound: 404,
  methodNotAllowed: 405,
  alreadyExists: 409,
  payloadTooLarge: 413,
  internalError: 500,
} as const;

/** An API error before it is rendered as a response. */
export interface ApiError {
  status: number;
  code: number;
  description: string;
}

/** The result of an API rule: a value, or the error to answer with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The standard Partner Center error body. */
export interface PartnerCenterErrorBody {
  code: number;
  description: string;
  data: unknown[];
  source: "PartnerFD";
}

/** Builds a failed {@link Outcome}. */
export function failure(status: number, code: number, description: string): { ok: false; error: ApiError } {
  return { ok: false, error: { status, code, description } };
}

/** Renders an {@link ApiError} as the body Partner Center sends. */
export function errorBody(error: ApiError): PartnerCenterErrorBody {
  return { code: error.code, description: error.description, data: [], source: "PartnerFD" };
}

/** The throttling body, which (unlike other errors) uses `statusCode` and `message`. */
export function rateLimitBody(retryAfterSeconds: number): { statusCode: 429; message: string } {
  return { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` };
}
