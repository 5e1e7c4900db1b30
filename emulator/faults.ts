/**
 * Fault injection and throttling for Graph routes: latency, token-bucket rate limits (429 + Retry-After),
 * random 503/504, connection resets, "commit then drop the response", and Intune's refusal of item routes.
 * All dice come from one seeded generator so a run replays identically for the same seed. Every hosted tenant has a
 * controller of its own: a fault set on one tenant never reaches another.
 */
import { createRandom, type RandomSource } from "./random";
import type { PolicyKind } from "./families";

/** Latency added before a Graph request is handled: a fixed number of ms, or uniform in [minMs, maxMs]. */
export type LatencyOption = number | { readonly minMs: number; readonly maxMs: number };

/** Token-bucket limits per tenant. Defaults follow Intune's documented device-configuration limits. */
export interface RateLimitOptions {
  /** Writes (POST/PATCH/PUT/DELETE) allowed per window per tenant. Default 200. */
  readonly writesPerWindow?: number;
  /** Requests of any kind allowed per window per tenant. Default 2000. */
  readonly requestsPerWindow?: number;
  /** Window length in seconds. Default 20. */
  readonly windowSeconds?: number;
}

/** Fault switches. Every field is optional; absent means "off" (rate limiting: on with the defaults). */
export interface FaultOptions {
  /** Seed of the fault dice (random latency and the probabilities below). */
  readonly seed?: number;
  /** Added latency on Graph routes. */
  readonly latency?: LatencyOption;
  /** Token-bucket throttling; `false` turns it off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Probability in [0,1] that a Graph request answers 503 or 504 (half each) without doing anything. */
  readonly serverErrorRate?: number;
  /** Probability in [0,1] that the connection is reset (socket destroyed) before a Graph request is handled. */
  readonly resetRate?: number;
  /** Probability in [0,1] that a POST/PATCH/PUT/DELETE is applied and then its connection destroyed unanswered. */
  readonly dropAfterCommitRate?: number;
  /**
   * Per policy kind: true answers item-level POST on /assignments and PATCH/DELETE on /assignments/{id} with
   * Intune's 400 "No OData route exists ..." so that clients must use the `assign` action; false serves them even
   * where the family refuses some by default (routes reported refused); absent keeps the family's default.
   */
  readonly refuseItemRoutes?: Partial<Readonly<Record<PolicyKind, boolean>>>;
  /**
   * Per policy kind: true answers GET on /assignments/{id} with the same OData routing 400 (verb GET), as a tenant
   * that serves an assignment only through its policy's list (list GETs and `$expand=assignments` still work);
   * false serves item and list GETs even where the family refuses them by default; absent keeps the default.
   */
  readonly refuseItemReads?: Partial<Readonly<Record<PolicyKind, boolean>>>;
  /**
   * Whether the draft Windows 365 root `/provisioningPolicies/...` exists. Default true; false makes every path
   * under it answer as Graph answers an unknown first segment: 400 "Resource not found for the segment
   * 'provisioningPolicies'.".
   */
  readonly draftProvisioningRoutes?: boolean;
  /**
   * Largest number of entries in one page of a collection GET (policy lists and /assignments lists); longer
   * collections carry `@odata.nextLink`. Default {@link DEFAULT_LIST_PAGE_SIZE}. A positive integer.
   */
  readonly listPageSize?: number;
  /**
   * The next N `assign` actions (any policy kind) are answered as if applied but change nothing: a write Graph
   * acknowledged and lost, or one a concurrent writer reverted at once. Counts down as they happen.
   */
  readonly ignoreAssigns?: number;
  /**
   * Every Graph request is answered 403 as when the app registration lacks the permission for the route (an admin
   * removed the Intune permission, or its consent): Graph's authorization check, after throttling and 5xx.
   */
  readonly permissionsRevoked?: boolean;
}

/** Page size of collection GETs when `listPageSize` is not set (Intune's usual page size). */
export const DEFAULT_LIST_PAGE_SIZE = 100;

/** What the fault layer decided for one request, before handling. */
export type PreDecision =
  | { readonly kind: "proceed" }
  | { readonly kind: "reset" }
  | { readonly kind: "throttle"; readonly retryAfterSeconds: number }
  | { readonly kind: "serverError"; readonly status: 503 | 504 };

const DEFAULT_LIMITS = { writesPerWindow: 200, requestsPerWindow: 2000, windowSeconds: 20 };

/** A token bucket refilled continuously at capacity/window. */
class TokenBucket {
  private tokens: number;
  private updatedMs: number;
  constructor(private readonly capacity: number, private readonly windowMs: number, nowMs: number) {
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }
  private refill(nowMs: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.updatedMs) * this.capacity) / this.windowMs);
    this.updatedMs = nowMs;
  }
  /** Seconds until one token is available (0 when one is available now). Does not take it. */
  waitSeconds(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens >= 1) return 0;
    return ((1 - this.tokens) * this.windowMs) / this.capacity / 1000;
  }
  take(): void {
    this.tokens -= 1;
  }
}

/** Holds one tenant's current fault switches, dice and throttling buckets. */
export class FaultController {
  private options: FaultOptions = {};
  private random: RandomSource = createRandom();
  private buckets = new Map<string, { all: TokenBucket; writes: TokenBucket }>();

  constructor(options: FaultOptions = {}, private readonly now: () => number = Date.now) {
    this.set(options);
  }

  /** Replaces all switches (buckets restart full; the dice restart from the seed). */
  set(options: FaultOptions): void {
    checkOptions(options);
    this.options = structuredClone(options);
    this.random = createRandom(options.seed);
    this.buckets.clear();
  }

  /** Merges switches into the current ones (refuseItemRoutes and refuseItemReads are merged per kind). */
  merge(options: FaultOptions): void {
    const refuseItemRoutes = { ...this.options.refuseItemRoutes, ...options.refuseItemRoutes };
    const refuseItemReads = { ...this.options.refuseItemReads, ...options.refuseItemReads };
    this.set({ ...this.options, ...options, refuseItemRoutes, refuseItemReads });
  }

  current(): FaultOptions {
    return structuredClone(this.options);
  }

  /** Milliseconds to wait before handling a Graph request. */
  latencyMs(): number {
    const latency = this.options.latency;
    if (latency === undefined) return 0;
    if (typeof latency === "number") return Math.max(0, latency);
    return latency.minMs + this.random() * Math.max(0, latency.maxMs - latency.minMs);
  }

  /** Decides reset / throttle / 5xx for an authenticated Graph request of `tenantId`. */
  before(tenantId: string, isWrite: boolean): PreDecision {
    if (this.roll(this.options.resetRate)) return { kind: "reset" };
    const retryAfterSeconds = this.throttle(tenantId, isWrite);
    if (retryAfterSeconds > 0) return { kind: "throttle", retryAfterSeconds };
    if (this.roll(this.options.serverErrorRate)) return { kind: "serverError", status: this.random() < 0.5 ? 503 : 504 };
    return { kind: "proceed" };
  }

  /** True when a connection should be reset before handling (for a batch envelope, before any of its requests runs). */
  resetsConnection(): boolean {
    return this.roll(this.options.resetRate);
  }

  /** True when a write that was just applied should lose its response. */
  dropAfterCommit(): boolean {
    return this.roll(this.options.dropAfterCommitRate);
  }

  /** True while every Graph request is to be refused as unauthorized (`permissionsRevoked`). */
  permissionsRevoked(): boolean {
    return this.options.permissionsRevoked === true;
  }

  /** `refuseItemRoutes[kind]` as set: true, false, or undefined (the family's default applies). */
  itemRoutesSwitch(kind: PolicyKind): boolean | undefined {
    return this.options.refuseItemRoutes?.[kind];
  }

  /** `refuseItemReads[kind]` as set: true, false, or undefined (the family's default applies). */
  itemReadsSwitch(kind: PolicyKind): boolean | undefined {
    return this.options.refuseItemReads?.[kind];
  }

  /** False when the draft root /provisioningPolicies is switched off. */
  hasDraftProvisioningRoutes(): boolean {
    return this.options.draftProvisioningRoutes !== false;
  }

  /** True (and counts it) when this `assign` action is to be acknowledged without being applied. */
  ignoresAssign(): boolean {
    const left = this.options.ignoreAssigns ?? 0;
    if (left <= 0) return false;
    this.options = { ...this.options, ignoreAssigns: left - 1 };
    return true;
  }

  /** Entries per page of a collection GET. */
  listPageSize(): number {
    return this.options.listPageSize ?? DEFAULT_LIST_PAGE_SIZE;
  }

  private roll(probability: number | undefined): boolean {
    if (!probability || probability <= 0) return false;
    return this.random() < probability;
  }

  /** Takes tokens for one request; returns the Retry-After in seconds when a bucket is empty, else 0. */
  private throttle(tenantId: string, isWrite: boolean): number {
    if (this.options.rateLimit === false) return 0;
    const limits = { ...DEFAULT_LIMITS, ...this.options.rateLimit };
    const nowMs = this.now();
    let bucket = this.buckets.get(tenantId);
    if (!bucket) {
      const windowMs = limits.windowSeconds * 1000;
      bucket = { all: new TokenBucket(limits.requestsPerWindow, windowMs, nowMs), writes: new TokenBucket(limits.writesPerWindow, windowMs, nowMs) };
      this.buckets.set(tenantId, bucket);
    }
    const wait = Math.max(bucket.all.waitSeconds(nowMs), isWrite ? bucket.writes.waitSeconds(nowMs) : 0);
    if (wait > 0) return Math.max(0.001, Math.ceil(wait * 1000) / 1000);
    bucket.all.take();
    if (isWrite) bucket.writes.take();
    return 0;
  }
}

/** Rejects switch values that would make the emulator misbehave silently (the admin API answers 400). */
function checkOptions(options: FaultOptions): void {
  const ignored = options.ignoreAssigns;
  if (ignored !== undefined && (!Number.isInteger(ignored) || ignored < 0)) {
    throw new Error(`faults.ignoreAssigns must be a whole number, got ${JSON.stringify(ignored)}`);
  }
  const size = options.listPageSize;
  if (size !== undefined && (typeof size !== "number" || !Number.isInteger(size) || size < 1)) {
    throw new Error(`faults.listPageSize must be a positive integer, got ${JSON.stringify(size)}`);
  }
  const draft = options.draftProvisioningRoutes;
  if (draft !== undefined && typeof draft !== "boolean") {
    throw new Error(`faults.draftProvisioningRoutes must be true or false, got ${JSON.stringify(draft)}`);
  }
}
