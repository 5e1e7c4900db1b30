/**
 * Combines concurrent GET requests into Graph JSON batches (`POST /$batch`, at most 20 requests each).
 *
 * Requests queued within a short window leave together; one queued alone goes as a plain GET. Every item of a batch
 * is its own response: a 2xx resolves its caller, a 429 or 5xx inside a 200 batch is sent again in a later batch
 * (after the item's own `Retry-After`, or a back-off), any other status rejects that caller alone with a
 * {@link GraphError}. A batch refused as a whole rejects every caller in it with an error that names the reason.
 */
import { GraphError, parseGraphErrorBody } from "./errors";
import { decideRetry, defaultStrategies, parseRetryAfterMs, type RetryStrategy } from "./retry";
import type { GraphClient, GraphResponse } from "./client";
import { processSingleton } from "../processRegistry";

/** Graph's documented limit of requests in one JSON batch. */
export const MAX_BATCH_REQUESTS = 20;

/** What the batcher needs of a client (a {@link GraphClient} fits). */
export type BatchTransport = Pick<GraphClient, "get" | "post" | "versionRoot">;

export interface GetBatcherOptions {
    /**
     * A batch leaves once no request joined it for `windowMs` (default 15), at the latest `maxWaitMs` after its
     * first request (default 100), or at once when full: the engine's reads of a refresh arrive over some time.
     */
    readonly windowMs?: number;
    readonly maxWaitMs?: number;
    /** Retry decisions for items answered 429/5xx (default: the client's default strategies). */
    readonly strategies?: readonly RetryStrategy[];
    readonly sleep?: (ms: number) => Promise<void>;
}

interface BatchItemResponse {
    readonly id?: unknown;
    readonly status?: unknown;
    readonly headers?: unknown;
    readonly body?: unknown;
}

interface Pending {
    /** Relative to the version root, with its query. */
    readonly path: string;
    /** Retries already made for this request. */
    retries: number;
    /** Sent without waiting for company (see {@link GetBatcher.get}). */
    readonly urgent: boolean;
    resolve(body: unknown): void;
    reject(error: unknown): void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
    if (!Number.isInteger(size) || size < 1) throw new Error("chunk size must be a positive integer");
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
}

function headerMap(headers: unknown): Record<string, string> {
    if (headers === null || typeof headers !== "object") return {};
    return Object.fromEntries(
        Object.entries(headers as Record<string, unknown>)
            .filter(([, v]) => typeof v === "string")
            .map(([k, v]) => [k.toLowerCase(), v as string]),
    );
}

/** Queues GETs and sends them as JSON batches. One per client (see {@link getBatcherFor}). */
export class GetBatcher {
    private queue: Pending[] = [];
    private timer: NodeJS.Timeout | undefined;
    private firstQueuedAt = 0;
    private readonly windowMs: number;
    private readonly maxWaitMs: number;
    private readonly strategies: readonly RetryStrategy[];
    private readonly sleep: (ms: number) => Promise<void>;

    constructor(private readonly client: BatchTransport, options: GetBatcherOptions = {}) {
        this.windowMs = options.windowMs ?? 15;
        this.maxWaitMs = options.maxWaitMs ?? 100;
        this.strategies = options.strategies ?? defaultStrategies();
        this.sleep = options.sleep ?? realSleep;
    }

    /**
     * GET `path` (relative to the version root, or an absolute URL under it such as `@odata.nextLink`), possibly
     * inside a batch with other requests. Resolves with the parsed body. `urgent`: someone waits on this very read (a
     * write's read-modify-write, or its verify), so it leaves at the end of the current tick, taking the reads queued
     * so far along, instead of waiting out the batching window.
     * @throws GraphError for a non-2xx answer (404 included), as {@link GraphClient.get} does.
     */
    public get<T>(path: string, options: { urgent?: boolean } = {}): Promise<T | undefined> {
        const relative = this.relative(path);
        return new Promise<T | undefined>((resolve, reject) => {
            this.enqueue({ path: relative, retries: 0, urgent: options.urgent === true, resolve: resolve as (body: unknown) => void, reject });
        });
    }

    private relative(path: string): string {
        const root = this.client.versionRoot;
        if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("//")) {
            // Never follow a link elsewhere: the batch carries our token to the version root only.
            if (!path.startsWith(`${root}/`)) throw new Error("GetBatcher: absolute URLs are accepted only under the client's Graph version root");
            return path.slice(root.length);
        }
        return path.startsWith("/") ? path : `/${path}`;
    }

    private enqueue(pending: Pending): void {
        this.queue.push(pending);
        if (this.queue.length === 1) this.firstQueuedAt = Date.now();
        if (this.queue.length >= MAX_BATCH_REQUESTS) {
            this.flush();
            return;
        }
        if (this.timer !== undefined) clearTimeout(this.timer);
        const left = this.maxWaitMs - (Date.now() - this.firstQueuedAt);
        const wait = this.queue.some((p) => p.urgent) ? 0 : Math.max(0, Math.min(this.windowMs, left));
        this.timer = setTimeout(() => this.flush(), wait);
    }

    private flush(): void {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
        const queued = this.queue;
        this.queue = [];
        for (const group of chunk(queued, MAX_BATCH_REQUESTS)) void this.send(group);
    }

    private async send(group: Pending[]): Promise<void> {
        if (group.length === 1) {
            // A batch of one costs the same request and hides nothing: send it plainly (the client retries it).
            const only = group[0]!;
            try {
                only.resolve((await this.client.get<unknown>(only.path)).body);
            } catch (error) {
                only.reject(error);
            }
            return;
        }
        let answer: GraphResponse<{ responses?: BatchItemResponse[] }>;
        try {
            const requests = group.map((p, i) => ({ id: String(i + 1), method: "GET", url: p.path }));
            // Only GETs inside: sending the batch twice is harmless.
            answer = await this.client.post<{ responses?: BatchItemResponse[] }>("/$batch", { requests }, { idempotent: true });
        } catch (error) {
            // Never hand on the batch's own status (a 404 for the batch would read as "policy gone" to a caller).
            const failure = new Error(`Graph refused a JSON batch of ${group.length} reads: ${(error as Error).message}`);
            for (const p of group) p.reject(failure);
            return;
        }
        const responses = Array.isArray(answer.body?.responses) ? answer.body!.responses : [];
        const byId = new Map(responses.map((r) => [String(r.id), r]));
        await Promise.all(group.map((p, i) => this.settle(p, byId.get(String(i + 1)), answer.requestId)));
    }

    private async settle(p: Pending, item: BatchItemResponse | undefined, batchRequestId: string | undefined): Promise<void> {
        if (item === undefined || typeof item.status !== "number") {
            p.reject(new GraphError({
                status: 502, method: "GET", path: p.path, code: "InvalidBatchResponse",
                graphMessage: "the JSON batch answer has no response for this request", requestId: batchRequestId,
            }));
            return;
        }
        const status = item.status;
        const headers = headerMap(item.headers);
        if (status >= 200 && status < 300) {
            p.resolve(item.body);
            return;
        }
        const parsed = parseGraphErrorBody(item.body === undefined ? undefined : JSON.stringify(item.body));
        const decision = decideRetry(
            { attempt: p.retries, method: "GET", idempotent: true, response: { status, headers, code: parsed.code }, tokenRefreshed: true },
            this.strategies,
        );
        if (decision.action === "retry" && (status === 429 || status >= 500)) {
            p.retries += 1;
            // The throttling strategy already honours the item's own Retry-After.
            await this.sleep(decision.delayMs);
            this.enqueue(p);
            return;
        }
        const retryAfterMs = parseRetryAfterMs(headers);
        p.reject(new GraphError({
            status, method: "GET", path: p.path, code: parsed.code, graphMessage: parsed.message,
            requestId: headers["request-id"] ?? parsed.requestId ?? batchRequestId,
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        }));
    }
}

/** One batcher per client, so reads of every resource kind in the process combine. */
export function getBatcherFor(client: BatchTransport, options?: GetBatcherOptions): GetBatcher {
    const batchers = processSingleton("getBatchers", () => new WeakMap<object, GetBatcher>());
    let batcher = batchers.get(client);
    if (batcher === undefined) {
        batcher = new GetBatcher(client, options);
        batchers.set(client, batcher);
    }
    return batcher;
}
