/**
 * An in-memory stand-in for the few Graph calls the list engine makes (list GETs with paging, `$batch` of GETs,
 * `assign`, and the item routes: POST with 409 on a taken target, DELETE), for unit tests of the engine's logic
 * without HTTP. Not a model of Graph: the emulator is that.
 */
import { GraphError, type GraphClient } from "../../../provider/graph";

export const ROOT = "https://graph.test/beta";

type Entry = Record<string, unknown>;

export interface FakeGraph {
    readonly client: GraphClient;
    /** Policy id (as stored, any case) → its entries. Absent: the policy does not exist. */
    readonly lists: Map<string, Entry[]>;
    /** Every request, batched items included (`batched: true`), with the status it was answered. */
    readonly requests: { method: string; path: string; batched: boolean; body?: unknown; status?: number }[];
    /**
     * Awaited before each attempt of an assign leaves (the `attempt`th, from 1): the request waiting in the client's
     * write queue or a 429 back-off. As the real client does, the body (`bodyAtSend`) is built after this wait.
     */
    beforeAssignSend?: (policyId: string, attempt: number) => Promise<void> | undefined;
    /** Awaited while an assign attempt is in flight (its body sent, Graph not answered yet). */
    assignInFlight?: (policyId: string, attempt: number) => Promise<void> | undefined;
    /** Answers this assign attempt 429 (nothing applied); the fake then retries, as the real client does. */
    throttleAssign?: (policyId: string, attempt: number) => boolean;
    /** Runs after each assign is applied (e.g. a concurrent writer reverting it). */
    afterAssign?: (policyId: string, count: number) => void;
    /** Answers an assign POST with an error instead of applying it. */
    refuseAssign?: (policyId: string, entries: Entry[]) => GraphError | undefined;
    /** Answers a batched GET item with this status instead (once per call). */
    itemFault?: (path: string) => { status: number; headers?: Record<string, string> } | undefined;
    /**
     * Runs after a list page was taken and before it is answered (plain or batched): a hold-up, or a change made out
     * of band that the answer then misses.
     */
    onList?: (policyId: string) => void | Promise<void>;
}

/** The slot of an entry: Graph holds one assignment per target of a policy. */
const slotOf = (entry: Entry) => {
    const target = (entry.target ?? {}) as Entry;
    return `${String(target["@odata.type"])}:${String(target.groupId ?? "")}`;
};

let idCounter = 0;

export function fakeGraph(options: { pageSize?: number; collectionPath?: string } = {}): FakeGraph {
    const pageSize = options.pageSize ?? 100;
    const base = options.collectionPath ?? "/deviceManagement/groupPolicyConfigurations";
    const escaped = base.replace(/[/.]/g, (c) => `\\${c}`);
    const listRe = new RegExp(`^${escaped}/([^/?]+)/assignments(?:\\?\\$skiptoken=(\\d+))?$`);
    const assignRe = new RegExp(`^${escaped}/([^/?]+)/assign$`);
    const itemRe = new RegExp(`^${escaped}/([^/?]+)/assignments(?:/([^/?]+))?$`);
    const fake: FakeGraph = { lists: new Map(), requests: [], client: undefined as unknown as GraphClient };
    let assigns = 0;

    const find = (id: string) => [...fake.lists.keys()].find((k) => k.toLowerCase() === decodeURIComponent(id).toLowerCase());
    const notFound = (method: string, path: string) => new GraphError({ status: 404, method, path, code: "ResourceNotFound", graphMessage: "not found" });

    function get(path: string): { status: number; body?: unknown } {
        const m = listRe.exec(path);
        const key = m === null ? undefined : find(m[1]!);
        if (m === null || key === undefined) return { status: 404, body: { error: { code: "ResourceNotFound", message: "not found" } } };
        const all = fake.lists.get(key)!;
        const skip = Number(m[2] ?? 0);
        const page = all.slice(skip, skip + pageSize);
        const more = skip + pageSize < all.length;
        return {
            status: 200,
            body: { value: page.map((e) => ({ ...e })), ...(more ? { "@odata.nextLink": `${ROOT}${base}/${m[1]}/assignments?$skiptoken=${skip + pageSize}` } : {}) },
        };
    }

    const relative = (path: string) => (path.startsWith(ROOT) ? path.slice(ROOT.length) : path);

    const client = {
        versionRoot: ROOT,
        async get(path: string) {
            const p = relative(path);
            fake.requests.push({ method: "GET", path: p, batched: false });
            const answer = get(p);
            await listed(p);
            if (answer.status !== 200) throw notFound("GET", p);
            return { status: 200, body: answer.body, clientRequestId: "c" };
        },
        async post(path: string, fixedBody: unknown, opts: { bodyAtSend?: (attempt: number) => unknown } = {}) {
            const p = relative(path);
            if (p === "/$batch") {
                const body = fixedBody;
                fake.requests.push({ method: "POST", path: p, batched: false, body, status: 200 });
                const requests = (body as { requests: { id: string; url: string }[] }).requests;
                if (requests.length > 20) throw new GraphError({ status: 400, method: "POST", path: p, code: "BadRequest", graphMessage: "too many requests in a batch" });
                const responses = requests.map((r) => {
                    fake.requests.push({ method: "GET", path: r.url, batched: true });
                    const fault = fake.itemFault?.(r.url);
                    if (fault !== undefined) return { id: r.id, status: fault.status, headers: fault.headers ?? {}, body: { error: { code: "Fault", message: "injected" } } };
                    const answer = get(r.url);
                    return { id: r.id, status: answer.status, headers: {}, body: answer.body };
                });
                for (const r of requests) await listed(r.url);
                return { status: 200, body: { responses }, clientRequestId: "c" };
            }
            const item = itemRe.exec(p);
            if (item !== null && item[2] === undefined) {
                const body = fixedBody as Entry;
                const request: FakeGraph["requests"][number] = { method: "POST", path: p, batched: false, body };
                fake.requests.push(request);
                const key = find(item[1]!);
                if (key === undefined) {
                    request.status = 404;
                    throw notFound("POST", p);
                }
                const list = fake.lists.get(key)!;
                const occupied = list.find((e) => slotOf(e) === slotOf(body));
                if (occupied !== undefined) {
                    request.status = 409;
                    throw new GraphError({ status: 409, method: "POST", path: p, code: "Conflict", graphMessage: `the target is already assigned (${String(occupied.id)})` });
                }
                const created = { ...body, id: `gen-${++idCounter}` };
                list.push(created);
                request.status = 201;
                return { status: 201, body: { ...created }, clientRequestId: "c" };
            }
            const m = assignRe.exec(p);
            const key = m === null ? undefined : find(m[1]!);
            let request: FakeGraph["requests"][number];
            for (let attempt = 1; ; attempt++) {
                if (key !== undefined) await fake.beforeAssignSend?.(key, attempt);
                request = { method: "POST", path: p, batched: false, body: opts.bodyAtSend !== undefined ? await opts.bodyAtSend(attempt) : fixedBody };
                fake.requests.push(request);
                if (m === null || key === undefined) break;
                await fake.assignInFlight?.(key, attempt);
                if (fake.throttleAssign?.(key, attempt) !== true) break;
                request.status = 429;
            }
            if (m === null || key === undefined) {
                request.status = 404;
                throw notFound("POST", p);
            }
            const entries = (request.body as { assignments: Entry[] }).assignments;
            const refusal = fake.refuseAssign?.(key, entries);
            if (refusal !== undefined) {
                request.status = refusal.status;
                throw refusal;
            }
            request.status = 200;
            fake.lists.set(key, entries.map((e) => ({ ...e, id: typeof e.id === "string" ? e.id : `gen-${++idCounter}` })));
            assigns += 1;
            fake.afterAssign?.(key, assigns);
            return { status: 200, body: undefined, clientRequestId: "c" };
        },
        async delete(path: string) {
            const p = relative(path);
            fake.requests.push({ method: "DELETE", path: p, batched: false });
            const item = itemRe.exec(p);
            const key = item === null ? undefined : find(item[1]!);
            const list = key === undefined ? undefined : fake.lists.get(key);
            const index = list?.findIndex((e) => e.id === item?.[2]) ?? -1;
            if (index < 0) throw notFound("DELETE", p);
            list!.splice(index, 1);
            return { status: 204, body: undefined, clientRequestId: "c" };
        },
    };
    async function listed(path: string): Promise<void> {
        const m = listRe.exec(path);
        const key = m === null ? undefined : find(m[1]!);
        if (key !== undefined) await fake.onList?.(key);
    }
    (fake as { client: GraphClient }).client = client as unknown as GraphClient;
    return fake;
}
