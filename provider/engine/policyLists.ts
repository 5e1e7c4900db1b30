/**
 * Reading a policy's whole assignment list: every page (`@odata.nextLink`), never a partial list taken for the whole,
 * and one GET per policy however many resources of the process ask for it.
 *
 * Reads of one policy that start while its listing is in flight, or within a short window after it completed, share
 * that listing; a listing is never used after this process wrote to the policy (each write bumps the policy's
 * generation, and a listing of an older generation is neither shared nor kept). One question is answered by an
 * older listing: whether a slot is occupied (the check before a create's POST). Our own item creates only add entries
 * in slots of their own, so a listing stays good for it across them, and only a write that may remove or move an
 * entry (PATCH, DELETE, assign) retires it. List GETs of different policies leave together as JSON batches (see
 * {@link GetBatcher}).
 */
import { getBatcherFor, isNotFound, type BatchTransport, type GetBatcher } from "../graph";
import { buildPath, type IdKind, type ResourceDescription } from "../model";
import { processSingleton } from "../processRegistry";

type Entity = Record<string, unknown>;

/** How one resource kind reads its policy's list. */
export interface ListRoute {
    /** GET path template: an assignments collection (`{value:[...]}`) or the policy read with `$expand=assignments`. */
    readonly listPath: string;
    readonly listShape: "collection" | "expand";
    /** A list entry in the kind's entity shape. */
    readonly toEntity: (entry: Readonly<Entity>) => Entity;
    /** The id kind of every placeholder of `listPath`. */
    readonly kinds: Readonly<Record<string, IdKind>>;
}

/** The list route of a kind: the one its `assign` writes, else its `readList`, else its assignments collection. */
export function listRouteOf(description: ResourceDescription): ListRoute {
    const spec = description.assignList ?? description.readList;
    return {
        listPath: spec?.listPath ?? description.paths.collection,
        listShape: spec?.listShape ?? "collection",
        toEntity: description.assignList?.toEntity ?? ((entry) => ({ ...entry })),
        kinds: description.pathKinds,
    };
}

/** The key of a policy's list: the same list whatever the case of the ids in the path (Graph ids ignore case). */
export function listKey(route: Pick<ListRoute, "listPath" | "kinds">, params: Readonly<Record<string, string | undefined>>): string {
    return buildPath(route.listPath, params, route.kinds).toLowerCase();
}

/** A list body without its list property is not "empty": writing it back would erase what we did not see. */
export class IncompleteListError extends Error {
    public override readonly name = "IncompleteListError";
}

/** Pages followed at most for one list (Graph pages by 100 at least: 100,000 entries). */
const MAX_PAGES = 1_000;
/** Default time a completed listing may still be shared by reads that start after it, ms. */
export const DEFAULT_SHARE_WINDOW_MS = 5_000;

/** What a write of ours may do to the policy's list: only add an entry (an item POST), or change what is there. */
export type WriteEffect = "adds" | "changes";

interface Listing {
    readonly generation: number;
    /** The policy's change generation when the listing was started (writes that may remove or move an entry). */
    readonly changes: number;
    readonly entries: Promise<Entity[] | undefined>;
    completedAt?: number;
}

export interface PolicyListsOptions {
    readonly shareWindowMs?: number;
    /** Batching of list GETs; default the client's shared batcher. */
    readonly batcher?: GetBatcher;
    readonly now?: () => number;
}

/** The process's listings of policy assignment lists, for one Graph client. */
export class PolicyLists {
    private readonly listings = new Map<string, Listing>();
    private readonly generations = new Map<string, number>();
    /** Listings that still answer whether a slot is occupied: kept across our own adds, see {@link readForSlots}. */
    private readonly slotListings = new Map<string, Listing>();
    private readonly changeGenerations = new Map<string, number>();
    private readonly shareWindowMs: number;
    private readonly batcher: GetBatcher;
    private readonly now: () => number;

    constructor(client: BatchTransport, options: PolicyListsOptions = {}) {
        this.shareWindowMs = options.shareWindowMs ?? DEFAULT_SHARE_WINDOW_MS;
        this.batcher = options.batcher ?? getBatcherFor(client);
        this.now = options.now ?? Date.now;
    }

    /**
     * The policy's complete list (raw Graph entries), or undefined when the policy does not exist (404).
     * `fresh`: a new GET even when a shareable listing exists (before a write, and to verify one).
     * @throws IncompleteListError when Graph's answer lacks its list property; GraphError on other failures.
     */
    public read(route: ListRoute, params: Readonly<Record<string, string | undefined>>, options: { fresh?: boolean } = {}): Promise<Entity[] | undefined> {
        const key = listKey(route, params);
        const generation = this.generations.get(key) ?? 0;
        const existing = this.listings.get(key);
        if (options.fresh !== true && existing !== undefined && existing.generation === generation) {
            const inFlight = existing.completedAt === undefined;
            if (inFlight || this.now() - existing.completedAt! <= this.shareWindowMs) return existing.entries;
        }
        const changes = this.changeGenerations.get(key) ?? 0;
        // A fresh read is one a write waits on (before it, or to verify it): it does not wait for other reads to batch with.
        const listing: Listing = { generation, changes, entries: this.fetchAll(route, params, options.fresh === true) };
        this.listings.set(key, listing);
        this.slotListings.set(key, listing);
        listing.entries.then(
            () => {
                listing.completedAt = this.now();
                if ((this.generations.get(key) ?? 0) !== generation && this.listings.get(key) === listing) this.listings.delete(key);
                if ((this.changeGenerations.get(key) ?? 0) !== changes && this.slotListings.get(key) === listing) this.slotListings.delete(key);
            },
            () => {
                // Failures are never shared later.
                if (this.listings.get(key) === listing) this.listings.delete(key);
                if (this.slotListings.get(key) === listing) this.slotListings.delete(key);
            },
        );
        return listing.entries;
    }

    /**
     * The policy's list to tell whether a slot is occupied, before a create posts: as {@link read}, but a listing
     * from before our own item creates on the policy is still shared (within the share window), since those only
     * added entries in slots of their own. Any write of ours that may remove or move an entry retires it.
     */
    public readForSlots(route: ListRoute, params: Readonly<Record<string, string | undefined>>): Promise<Entity[] | undefined> {
        const key = listKey(route, params);
        const existing = this.slotListings.get(key);
        if (existing !== undefined && existing.changes === (this.changeGenerations.get(key) ?? 0)) {
            const inFlight = existing.completedAt === undefined;
            if (inFlight || this.now() - existing.completedAt! <= this.shareWindowMs) return existing.entries;
        }
        return this.read(route, params);
    }

    /** The policy's change generation: it moves with every write of ours that may remove or move an entry. */
    public changeGeneration(route: Pick<ListRoute, "listPath" | "kinds">, params: Readonly<Record<string, string | undefined>>): number {
        return this.changeGenerations.get(listKey(route, params)) ?? 0;
    }

    /**
     * The policy's write generation: it changes whenever this process writes to the policy (see noteWrite). A reader
     * that finds it changed across its read may hold a listing from before one of our own writes.
     */
    public generation(route: Pick<ListRoute, "listPath" | "kinds">, params: Readonly<Record<string, string | undefined>>): number {
        return this.generations.get(listKey(route, params)) ?? 0;
    }

    /**
     * Call before and after every write to the policy: no listing from before the write is used again, except, for a
     * write that only `adds` an entry (an item POST), to tell whether another slot is occupied.
     */
    public noteWrite(route: Pick<ListRoute, "listPath" | "kinds">, params: Readonly<Record<string, string | undefined>>, effect: WriteEffect = "changes"): void {
        const key = listKey(route, params);
        this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
        this.listings.delete(key);
        if (effect === "changes") {
            this.changeGenerations.set(key, (this.changeGenerations.get(key) ?? 0) + 1);
            this.slotListings.delete(key);
        }
    }

    private async fetchAll(route: ListRoute, params: Readonly<Record<string, string | undefined>>, urgent: boolean): Promise<Entity[] | undefined> {
        const path = buildPath(route.listPath, params, route.kinds);
        let body: Record<string, unknown> | undefined;
        try {
            body = await this.batcher.get<Record<string, unknown>>(route.listShape === "expand" ? `${path}?$expand=assignments` : path, { urgent });
        } catch (error) {
            if (isNotFound(error)) return undefined; // the policy is gone, and its assignments with it
            throw error;
        }
        const listProperty = route.listShape === "expand" ? "assignments" : "value";
        const entries = [...pageEntries(body, listProperty, path)];
        let next = nextLinkOf(body, route.listShape === "expand" ? "assignments@odata.nextLink" : "@odata.nextLink");
        const seen = new Set<string>();
        for (let pages = 1; next !== undefined; pages++) {
            if (pages >= MAX_PAGES || seen.has(next)) {
                throw new IncompleteListError(`the assignment list of ${path} did not end after ${pages} pages: nothing is written on a partial list`);
            }
            seen.add(next);
            const page = await this.batcher.get<Record<string, unknown>>(next, { urgent });
            entries.push(...pageEntries(page, "value", path));
            next = nextLinkOf(page, "@odata.nextLink");
        }
        return entries;
    }
}

function pageEntries(body: Record<string, unknown> | undefined, property: string, path: string): Entity[] {
    const list = body?.[property];
    if (!Array.isArray(list)) {
        throw new IncompleteListError(
            `Graph answered the assignment list of ${path} without its "${property}" list: nothing is written on a list that could be incomplete`,
        );
    }
    return list.filter((e): e is Entity => e !== null && typeof e === "object");
}

function nextLinkOf(body: Record<string, unknown> | undefined, property: string): string | undefined {
    const link = body?.[property];
    return typeof link === "string" && link !== "" ? link : undefined;
}

/** One set of listings per client, shared by every resource kind of the process. */
export function policyListsFor(client: BatchTransport, options?: PolicyListsOptions): PolicyLists {
    const perClient = processSingleton("policyLists", () => new WeakMap<object, PolicyLists>());
    let lists = perClient.get(client);
    if (lists === undefined) {
        lists = new PolicyLists(client, options);
        perClient.set(client, lists);
    }
    return lists;
}
