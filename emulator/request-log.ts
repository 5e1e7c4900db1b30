/** The in-order record of requests the emulator received, for tests and for debugging a provider. */

/** One received request and what the emulator did with it. The Authorization header is never recorded. */
export interface RequestLogEntry {
  /** Arrival time, ISO 8601. */
  readonly time: string;
  readonly method: string;
  /** Path without the query string, e.g. /beta/deviceManagement/groupPolicyConfigurations/{id}/assignments. */
  readonly path: string;
  /** Query parameters, decoded. */
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body, when the request had one; token requests record only grant_type, client_id and scope. */
  readonly body?: unknown;
  /**
   * Status sent (for a dropped response: the status that would have been sent; for a reset: 0). For a request
   * inside a batch: the status in its batch answer (503 after "reset", 504 after "dropped").
   */
  status: number;
  /**
   * When a fault fired: "reset" = not handled (connection destroyed; inside a batch: answered 503), "dropped" =
   * handled and applied, then the answer lost (connection destroyed; inside a batch: answered 504).
   */
  fault?: "reset" | "dropped";
  /** For a request that came inside a JSON batch: the `requestId` of the `$batch` request (its envelope). */
  readonly batchId?: string;
  /** For a request that came inside a JSON batch: its `id` in the batch body. */
  readonly batchRequestId?: string;
  /** For a `$batch` envelope whose body was valid: how many requests it carried. */
  batchSize?: number;
  readonly clientRequestId?: string;
  readonly requestId: string;
  /** Token requests that succeeded: how the client authenticated (federated = workload identity federation). */
  credential?: "clientSecret" | "certificate" | "federated";
  /** For federated token requests: the external issuer and subject that Entra accepted. */
  federatedIssuer?: string;
  federatedSubject?: string;
  /** Milliseconds from arrival to the response (or to the socket being destroyed). */
  durationMs: number;
}

/** Append-only list with clear(). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): RequestLogEntry {
    this.entries.push(entry);
    return entry;
  }

  /** A copy of the entries, oldest first. */
  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}

const GRAPH_PATH = /^\/(beta|v1\.0)(\/|$)/i;
const BATCH_PATH = /^\/(beta|v1\.0)\/\$batch\/?$/i;

/** True for the `POST /{version}/$batch` request itself (not the requests inside it). */
export function isBatchEnvelope(entry: RequestLogEntry): boolean {
  return entry.batchId === undefined && BATCH_PATH.test(entry.path);
}

/**
 * Graph requests in `entries`: standalone Graph requests plus every request inside a batch, not counting batch
 * envelopes nor Entra/OIDC token requests. This is what Graph's throttling counts.
 */
export function countGraphRequests(entries: readonly RequestLogEntry[]): number {
  return entries.filter((e) => GRAPH_PATH.test(e.path) && !isBatchEnvelope(e)).length;
}

/**
 * Graph round trips (HTTP requests to /beta or /v1.0) in `entries`: standalone requests plus batch envelopes, not
 * the requests inside batches nor token requests.
 */
export function countGraphRoundTrips(entries: readonly RequestLogEntry[]): number {
  return entries.filter((e) => GRAPH_PATH.test(e.path) && e.batchId === undefined).length;
}
