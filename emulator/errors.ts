/**
 * Error values for the two services the emulator imitates, in the shapes their clients parse:
 * Graph's `{"error":{"code","message","innerError"}}` and Entra's OAuth `{"error","error_description",...}`.
 */

/** A Graph error answer. Thrown by handlers; the server turns it into a response with innerError filled in. */
export class GraphError extends Error {
  /** Branded by name because `instanceof` fails across two loaded copies of this module. */
  static isInstance(value: unknown): value is GraphError {
    return value instanceof Error && (value as { errorKind?: unknown }).errorKind === "GraphError";
  }
  readonly errorKind = "GraphError";
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** Graph's `error.code`, e.g. BadRequest, ResourceNotFound. */
    readonly code: string,
    message: string,
    /** Extra response headers (Retry-After, WWW-Authenticate). */
    readonly headers: Readonly<Record<string, string>> = {},
    /** True when the message must stay plain even on Intune routes (OData routing errors come before Intune). */
    readonly plain = false,
  ) {
    super(message);
    this.name = "GraphError";
  }
}

/** 400 BadRequest with a message naming the offending property. */
export function badRequest(message: string): GraphError {
  return new GraphError(400, "BadRequest", message);
}

/**
 * Intune wraps its messages in an escaped JSON document with an operation id; clients that show Intune errors
 * have to unwrap it, so the emulator does the same on Intune routes.
 */
export function intuneMessage(text: string, requestId: string): string {
  return JSON.stringify({
    _version: 3,
    Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${requestId} - Url: https://fef.emulator.manage.microsoft.com/DeviceConfiguration_2405/StatelessDeviceConfigurationFEService/`,
    CustomApiErrorPhrase: "",
    RetryAfter: null,
    ErrorSourceService: "",
    HttpHeaders: "{}",
  }, null, 2).replace(/\n/g, "\r\n");
}

/** Body of a Graph error answer. */
export function graphErrorBody(err: GraphError, requestId: string, clientRequestId: string | undefined): unknown {
  return {
    error: {
      code: err.code,
      message: err.message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ""),
        "request-id": requestId,
        "client-request-id": clientRequestId ?? requestId,
      },
    },
  };
}

/** An Entra (AADSTS) token-endpoint error. */
export class EntraError extends Error {
  static isInstance(value: unknown): value is EntraError {
    return value instanceof Error && (value as { errorKind?: unknown }).errorKind === "EntraError";
  }
  readonly errorKind = "EntraError";
  constructor(
    readonly status: number,
    /** OAuth error, e.g. invalid_client, unauthorized_client, invalid_request. */
    readonly oauthError: string,
    /** The AADSTS number, e.g. 7000215. */
    readonly aadsts: number,
    description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = "EntraError";
  }
}

/** Body of an Entra error, with the trace and correlation ids and the timestamp format Entra writes. */
export function entraErrorBody(err: EntraError, traceId: string, correlationId: string): unknown {
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
  return {
    error: err.oauthError,
    error_description: `${err.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.aadsts}`,
  };
}
