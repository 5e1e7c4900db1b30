/**
 * Writes through a policy's `assign` action, which REPLACES the whole assignment list.
 *
 * Every write is a read-modify-write of the complete list (all pages): only the entries of the resources being
 * written change, entries this stack does not manage are posted back as read. A policy's changes are written in
 * rounds, one at a time: one fresh read, one `assign`, one verify read, each resource resolved or rejected on its own.
 * A change joins the pending round until its `assign` actually leaves (while the round gathers, reads, or waits on a
 * throttle back-off: the body is built at send time), and otherwise the one round that follows it. An `assign` sent
 * again after a wait (429, 5xx) is rebuilt on a fresh read, so a change another writer made during the wait is kept.
 * The verify compares every managed property (not only the slot),
 * allows for Graph's replication lag with bounded re-reads, and rewrites on a fresh read a bounded number of times;
 * a resource whose entry is still wrong after that gets its own error. When Graph refuses a merged list (4xx), the
 * resources are written one by one so that only the entry Graph refuses fails.
 */
import { GraphError, isNotFound, type GraphClient } from "../graph";
import { buildPath, diffLive, matchesDesired, toGraphBody, withDeclaredTypeNames, type ResourceDescription } from "../model";
import { processSingleton } from "../processRegistry";
import { listKey, listRouteOf, policyListsFor, type PolicyLists } from "./policyLists";

type Entity = Record<string, unknown>;
type Params = Readonly<Record<string, string | undefined>>;

/** Timing of the write rounds; injectable for tests. */
export interface AssignTiming {
    readonly sleep: (ms: number) => Promise<void>;
    /** Waits before a verify re-read when the list does not show the write yet (Graph's replication lag). */
    readonly verifyDelaysMs: readonly number[];
    /** Rewrites on a fresh read after the verify still finds an entry wrong. */
    readonly maxRewrites: number;
    /**
     * Before a round that follows another one of the same policy, changes are gathered until none arrived for
     * `gatherMs` (at most `maxGatherMs` in all): the engine hands over the changes of one `up` over a second or more
     * on a busy machine, and each round costs three requests (one of them a write against Intune's 200 writes per
     * 20 s). The quiet time counts from the last arrival, so when arrivals stopped during the previous round (every
     * change the engine has in flight is waiting on this policy) the next round starts at once. A round builds on
     * the list the previous round's verify read while that is younger than `maxBaseAgeMs`: two requests instead of
     * three. The first round of an idle policy (none of its rounds ended within `gatherMs`) starts at once: changes
     * arriving during its read join it anyway, and at the engine's default parallelism most changes have no company
     * to wait for; a change that closely follows a round (a config repository's changes to one policy, handed over
     * one by one) is gathered like any follow-up.
     */
    readonly gatherMs: number;
    readonly maxGatherMs: number;
    /**
     * The oldest a list read may be when its `assign` leaves: an `assign` that waited longer (behind the client's
     * throttle gate, a back-off) is rebuilt on a fresh read, so a change another writer made meanwhile is kept.
     */
    readonly maxBaseAgeMs: number;
}

export const DEFAULT_ASSIGN_TIMING: AssignTiming = {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    verifyDelaysMs: [500, 1_000, 2_000],
    maxRewrites: 2,
    gatherMs: 100,
    maxGatherMs: 1_000,
    maxBaseAgeMs: 300,
};

/** What an upsert found and did. */
export interface UpsertResult {
    /** The live entity after the write, as the verify read it. */
    readonly entity: Entity;
    /**
     * The entry that occupied the desired slot before this create wrote anything (an adoption), when the upsert was a
     * create (no previous id) and the slot was taken on its first read.
     */
    readonly occupant?: Entity;
}

export interface UpsertOptions {
    /** Our own previous entry (update): located by id first, then by the slot of `previous`. */
    readonly previousId?: string;
    readonly previous?: Entity;
    /**
     * Called with the occupant of the desired slot when a create finds one on its first read, before anything is
     * written; throwing refuses the adoption (the upsert then fails with that error and writes nothing).
     */
    readonly onOccupant?: (occupant: Entity) => void;
}

export interface AssignListWriter {
    /** Puts the desired assignment into the list (adopting the occupant of its slot) and returns the live entity. */
    upsert(params: Params, desired: Entity, options?: UpsertOptions): Promise<UpsertResult>;
    /** Removes the assignment (by id, or by the slot of `props`); absent already, or a deleted policy, is fine. */
    remove(params: Params, id: string, props: Entity): Promise<void>;
}

/** One entry of the list being built: what Graph holds, and what will be posted. */
interface WorkingEntry {
    readonly live?: Entity;
    post: Entity;
    changed: boolean;
    removed: boolean;
}

type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

/** One resource's change to a list. */
interface ListOperation {
    readonly description: ResourceDescription;
    /** Applies the change to the working list; `firstRound` is false on rewrites. Throws to refuse. */
    apply(working: WorkingEntry[], firstRound: boolean): void;
    /** Whether the live list is as this change wants. */
    settle(live: readonly Entity[]): Settled;
    /** Outcome when the policy does not exist. */
    policyGone(): Settled;
    resolve(value: unknown): void;
    reject(error: unknown): void;
}

/** The policy was found deleted when its list was read again before a retried `assign`. */
class PolicyGoneError extends Error {
    public override readonly name = "PolicyGoneError";
}

interface ListQueue {
    pending: ListOperation[];
    running: boolean;
    /** When the last change joined `pending` (ms since the epoch). */
    lastArrivalAt: number;
    /** When the last round ended (0: never). A change arriving within the gather window after it is a follow-up. */
    endedAt: number;
    /** The list the last round settled on: the next round's base while it is young enough (see maxBaseAgeMs). */
    last?: Listed;
}

/** What a round found wrong after its verify, and the list it settled the rest on. */
interface RoundOutcome {
    readonly wrong: { operation: ListOperation; problem: string }[];
    /** The list as read last (the verify's, or the fresh read when nothing needed writing); undefined after a failure. */
    readonly live?: Listed;
}

/** A list as read, and when the read completed (ms since the epoch). */
interface Listed {
    readonly entries: Entity[];
    readonly readAt: number;
}

function isClientError(error: unknown): boolean {
    return GraphError.isInstance(error) && error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 404;
}

/**
 * The serialized, merging write queue of each policy list, per client, shared by every kind of the process (two
 * kinds may write one list, e.g. the two Windows 365 provisioning-policy kinds).
 */
function queuesFor(client: GraphClient): Map<string, ListQueue> {
    const perClient = processSingleton("assignListQueues", () => new WeakMap<object, Map<string, ListQueue>>());
    let queues = perClient.get(client);
    if (queues === undefined) {
        queues = new Map();
        perClient.set(client, queues);
    }
    return queues;
}

export function createAssignListWriter(
    description: ResourceDescription,
    client: () => GraphClient,
    timing: AssignTiming = DEFAULT_ASSIGN_TIMING,
): AssignListWriter {
    const spec = description.assignList;
    const assignPath = description.paths.assign;
    if (spec === undefined || assignPath === undefined) {
        throw new Error(`${description.kind} has no assign action: only the item write strategy applies`);
    }
    const route = listRouteOf(description);
    const toEntry = spec.toEntry ?? ((body: Readonly<Entity>) => ({ ...body }));
    const keepsId = !spec.readOnly.includes("id");
    const bodyKey = spec.bodyKey ?? "assignments";

    const entityOf = (w: WorkingEntry): Entity => route.toEntity(w.changed || w.live === undefined ? w.post : w.live);
    const sameId = (entity: Entity, id: string) => typeof entity.id === "string" && entity.id.toLowerCase() === id.toLowerCase();

    function locate(working: WorkingEntry[], id: string | undefined, props: Entity | undefined): WorkingEntry | undefined {
        const present = working.filter((w) => !w.removed);
        const byId = id === undefined ? undefined : present.find((w) => w.live !== undefined && sameId(w.live, id));
        if (byId !== undefined || props === undefined) return byId;
        return present.find((w) => matchesDesired(description, props, entityOf(w)));
    }

    function locateLive(live: readonly Entity[], id: string | undefined, props: Entity | undefined): Entity | undefined {
        const entities = live.map(route.toEntity);
        const byId = id === undefined ? undefined : entities.find((e) => sameId(e, id));
        if (byId !== undefined || props === undefined) return byId;
        return entities.find((e) => matchesDesired(description, props, e));
    }

    function policyPath(params: Params): string {
        return `policy ${params.policyId ?? "?"}`;
    }

    function submit(params: Params, operation: ListOperation): void {
        const key = listKey(route, params);
        const queues = queuesFor(client());
        let queue = queues.get(key);
        if (queue === undefined) {
            queue = { pending: [], running: false, lastArrivalAt: 0, endedAt: 0 };
            queues.set(key, queue);
        }
        queue.pending.push(operation);
        queue.lastArrivalAt = Date.now();
        if (!queue.running) {
            queue.running = true;
            // Idle: no round of this policy ended within the gather window. Its first round starts at once; a change
            // that follows a round closely (the engine handing over the policy's changes one by one) is gathered.
            void drain(params, key, queue, Date.now() - queue.endedAt > timing.gatherMs);
        }
    }

    async function drain(params: Params, key: string, queue: ListQueue, fromIdle = false): Promise<void> {
        try {
            for (let first = true; queue.pending.length > 0; first = false) {
                if (!(first && fromIdle)) await gather(queue);
                // The last round's verify list serves as this round's base while young; the assign rebuilds on a
                // fresh read when it is older than maxBaseAgeMs as it leaves.
                const base = queue.last !== undefined && isYoung(queue.last.readAt) ? queue.last : undefined;
                queue.last = await writeAll(params, queue.pending.splice(0), queue, base);
            }
        } finally {
            queue.running = false;
            queue.endedAt = Date.now();
            if (queue.pending.length > 0) {
                queue.running = true;
                void drain(params, key, queue);
            } else {
                forgetWhenIdle(key, queue);
            }
        }
    }

    /** Whether a list read at `readAt` may still be the base of an `assign` (see maxBaseAgeMs). */
    function isYoung(readAt: number): boolean {
        return Date.now() - readAt <= timing.maxBaseAgeMs;
    }

    /** Drops an idle policy's queue (and the list it keeps) once no follow-up can use it any more. */
    function forgetWhenIdle(key: string, queue: ListQueue): void {
        const timer = setTimeout(() => {
            if (queue.running || queue.pending.length > 0) return;
            queue.last = undefined;
            const queues = queuesFor(client());
            if (queues.get(key) === queue) queues.delete(key);
        }, Math.max(timing.gatherMs, timing.maxBaseAgeMs) + 1);
        timer.unref();
    }

    /**
     * Waits until no change has joined for `gatherMs` (counting the time since the last arrival, which may have come
     * early in the round before), at most `maxGatherMs`: when changes stopped arriving during the previous round
     * (the engine's slots are all waiting on this policy), the next round starts at once.
     */
    async function gather(queue: ListQueue): Promise<void> {
        const started = Date.now();
        for (;;) {
            const seen = queue.lastArrivalAt;
            const quietFor = Date.now() - seen;
            if (quietFor >= timing.gatherMs || Date.now() - started >= timing.maxGatherMs) return;
            await timing.sleep(timing.gatherMs - quietFor);
            if (queue.lastArrivalAt === seen) return; // nothing joined for the rest of the window
        }
    }

    /**
     * Writes the operations, rewriting those the verify still finds wrong; settles every operation. With `joinFrom`,
     * changes that reach that queue before the first `assign` leaves join it (rewrites take no newcomers: those wait
     * for the next round, which starts when this one is settled).
     */
    async function writeAll(params: Params, operations: ListOperation[], joinFrom?: ListQueue, base?: Listed): Promise<Listed | undefined> {
        let todo = operations;
        let live: Listed | undefined;
        for (let round = 0; todo.length > 0; round++) {
            const outcome = await writeRound(params, todo, round === 0, round === 0 ? joinFrom : undefined, round === 0 ? base : undefined);
            const wrong = outcome.wrong;
            live = outcome.live;
            if (wrong.length > 0 && round >= timing.maxRewrites) {
                for (const { operation, problem } of wrong) {
                    operation.reject(new Error(
                        `${operation.description.kind}: after ${round + 1} writes through assign, ${policyPath(params)} still does not hold ` +
                            `this assignment as desired (${problem}); another writer may be changing the policy's assignments`,
                    ));
                }
                return undefined;
            }
            todo = wrong.map((w) => w.operation);
        }
        return live;
    }

    /**
     * One read-modify-write-verify round. `base`: a list read just now (the previous round's verify), used instead of
     * a new read. Returns the operations the verify found wrong.
     */
    async function writeRound(
        params: Params,
        operations: ListOperation[],
        firstRound: boolean,
        joinFrom: ListQueue | undefined,
        base: Listed | undefined,
    ): Promise<RoundOutcome> {
        const lists = policyListsFor(client());
        let live: Entity[] | undefined = base?.entries;
        let readAt = base?.readAt ?? 0;
        if (live === undefined) {
            try {
                live = await lists.read(route, params, { fresh: true });
                readAt = Date.now();
            } catch (error) {
                for (const operation of operations) operation.reject(error);
                return { wrong: [] };
            }
        }
        if (live === undefined) {
            for (const operation of operations) settleWith(operation, operation.policyGone());
            return { wrong: [] };
        }
        const workingOf = (entries: readonly Entity[]): WorkingEntry[] =>
            entries.map((entry) => ({ live: entry, post: keep(entry), changed: false, removed: false }));
        let working = workingOf(live);
        let applied: ListOperation[] = [];
        const applyAll = (batch: readonly ListOperation[]) => {
            for (const operation of batch) {
                try {
                    operation.apply(working, firstRound);
                    applied.push(operation);
                } catch (error) {
                    operation.reject(error); // refused before anything was written
                }
            }
        };
        /** Changes queued since the round took its operations: they join it while nothing has been sent. */
        const takeNewcomers = () => {
            if (joinFrom !== undefined) applyAll(joinFrom.pending.splice(0));
        };
        /**
         * Before an attempt that follows a wait (a 429 back-off, a retried 5xx): the list read before the first attempt
         * may be stale by then (another writer may have added or changed an entry), and posting it would erase that
         * change. Read it again and apply every change of the round to the fresh list.
         */
        const rebase = async () => {
            const fresh = await lists.read(route, params, { fresh: true });
            if (fresh === undefined) throw new PolicyGoneError();
            readAt = Date.now();
            working = workingOf(fresh);
            const again = applied;
            applied = [];
            applyAll(again);
        };
        applyAll(operations);
        takeNewcomers(); // arrived while the list was read
        if (working.some((w) => w.changed || w.removed)) {
            try {
                // Built at each attempt's send: changes arriving while the POST waits (a 429 back-off) are in it.
                await writeList(lists, params, async (attempt) => {
                    if (attempt > 1 || !isYoung(readAt)) await rebase();
                    takeNewcomers();
                    return working.filter((w) => !w.removed).map((w) => w.post);
                });
            } catch (error) {
                if (isNotFound(error) || error instanceof PolicyGoneError) {
                    for (const operation of applied) settleWith(operation, operation.policyGone());
                    return { wrong: [] };
                }
                if (isClientError(error) && applied.length > 1) {
                    // Graph refused the merged list: write each change alone so only the refused entry fails.
                    for (const operation of applied) await writeAll(params, [operation]);
                    return { wrong: [] };
                }
                for (const operation of applied) operation.reject(error);
                return { wrong: [] };
            }
            live = undefined; // verify on a fresh read
        }
        return verify(lists, params, applied, live === undefined ? undefined : { entries: live, readAt });
    }

    async function verify(
        lists: PolicyLists,
        params: Params,
        operations: ListOperation[],
        known: Listed | undefined,
    ): Promise<RoundOutcome> {
        let remaining = operations.map((operation) => ({ operation, problem: "" }));
        let live = known?.entries;
        let readAt = known?.readAt ?? 0;
        for (let attempt = 0; ; attempt++) {
            if (live === undefined) {
                try {
                    live = await lists.read(route, params, { fresh: true });
                    readAt = Date.now();
                } catch (error) {
                    for (const { operation } of remaining) operation.reject(error);
                    return { wrong: [] };
                }
                if (live === undefined) {
                    for (const { operation } of remaining) settleWith(operation, operation.policyGone());
                    return { wrong: [] };
                }
            }
            const current = live;
            remaining = remaining.filter(({ operation }, i) => {
                const settled = operation.settle(current);
                if (settled.ok) {
                    operation.resolve(settled.value);
                    return false;
                }
                remaining[i]!.problem = settled.problem;
                return true;
            });
            if (remaining.length === 0 || attempt >= timing.verifyDelaysMs.length) return { wrong: remaining, live: { entries: current, readAt } };
            // Graph replicates writes lazily: give the list time to show the write before rewriting it.
            await timing.sleep(timing.verifyDelaysMs[attempt]!);
            live = undefined;
        }
    }

    function settleWith(operation: ListOperation, settled: Settled): void {
        if (settled.ok) operation.resolve(settled.value);
        else operation.reject(new Error(`${operation.description.kind}: ${settled.problem}`));
    }

    /**
     * A live entry as it is posted back: every property but the read-only ones and OData annotations, with declared
     * types spelled as declared (Graph may read a spelling its writes refuse).
     */
    function keep(entry: Entity): Entity {
        const kept = Object.fromEntries(
            Object.entries(entry).filter(
                ([k, v]) => v !== undefined && !spec!.readOnly.includes(k) && (k === "@odata.type" || !k.includes("@odata.")),
            ),
        );
        return withDeclaredTypeNames(description, kept);
    }

    async function writeList(lists: PolicyLists, params: Params, entries: (attempt: number) => Promise<Entity[]>): Promise<void> {
        const path = buildPath(assignPath!, params, description.pathKinds);
        lists.noteWrite(route, params);
        try {
            // `assign` replaces the list as a whole, so sending it again (or a list grown since) is harmless: safe to retry.
            await client().post(path, undefined, { idempotent: true, bodyAtSend: async (attempt) => ({ [bodyKey]: await entries(attempt) }) });
        } finally {
            lists.noteWrite(route, params);
        }
    }

    return {
        upsert(params, desired, options = {}) {
            return new Promise<UpsertResult>((resolve, reject) => {
                const isCreate = options.previousId === undefined && options.previous === undefined;
                let occupant: Entity | undefined;
                const wantsProblem = (entity: Entity | undefined): string | undefined => {
                    if (entity === undefined) return "the assignment is missing from the policy";
                    const drift = diffLive(description, desired, entity);
                    return drift.length === 0 ? undefined : `Graph holds a different ${drift.map((d) => d.property).join(", ")}`;
                };
                submit(params, {
                    description,
                    apply(working, firstRound) {
                        let slot = isCreate ? undefined : locate(working, options.previousId, options.previous);
                        slot ??= locate(working, undefined, desired);
                        if (isCreate && firstRound && occupant === undefined && slot?.live !== undefined && !slot.changed) {
                            occupant = route.toEntity(slot.live);
                            options.onOccupant?.(occupant);
                        }
                        if (slot !== undefined && wantsProblem(entityOf(slot)) === undefined) return; // already as desired
                        const entry = toEntry(toGraphBody(description, desired));
                        if (slot === undefined) {
                            working.push({ post: entry, changed: true, removed: false });
                            return;
                        }
                        const id = slot.live?.id;
                        slot.post = { ...entry, ...(keepsId && id !== undefined ? { id } : {}) };
                        slot.changed = true;
                    },
                    settle(live) {
                        const found = locateLive(live, undefined, desired);
                        const problem = wantsProblem(found);
                        return problem === undefined ? { ok: true, value: found } : { ok: false, problem };
                    },
                    policyGone: () => ({ ok: false, problem: `${policyPath(params)} does not exist (Graph answered 404)` }),
                    resolve: (entity) => resolve({ entity: entity as Entity, ...(occupant !== undefined ? { occupant } : {}) }),
                    reject,
                });
            });
        },

        remove(params, id, props) {
            return new Promise<void>((resolve, reject) => {
                submit(params, {
                    description,
                    apply(working) {
                        const slot = locate(working, id, props);
                        if (slot !== undefined) slot.removed = true;
                    },
                    settle(live) {
                        return locateLive(live, id, props) === undefined
                            ? { ok: true, value: undefined }
                            : { ok: false, problem: "the assignment is still on the policy" };
                    },
                    policyGone: () => ({ ok: true, value: undefined }), // a deleted policy took its assignments with it
                    resolve: () => resolve(),
                    reject,
                });
            });
        },
    };
}
