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
  /** Status sent (for a dropped response: the status that would have been sent; for a reset: 0). */
  status: number;
  /** "reset" (destroyed before handling) or "dropped" (handled, then destroyed), when a fault fired. */
  fault?: "reset" | "dropped";
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
