/**
 * Writes through a policy's `assign` action, which REPLACES the whole assignment list. Every write is a
 * read-modify-write of that list: only this resource's entry changes, entries made outside this stack are posted
 * back untouched, writes to one policy are serialized inside the provider process, and the result is read back and
 * checked before the write counts as done (a concurrent writer outside the process could still interleave; the
 * check turns that into a retry instead of a silent loss).
 */
import type { GraphClient } from "../graph";
import { buildPath, diffLive, matchesDesired, toGraphBody, type AssignListSpec, type ResourceDescription } from "../model";

type Entity = Record<string, unknown>;

const VERIFY_ATTEMPTS = 3;

/** Per-process queue per policy list: one read-modify-write at a time. On globalThis: module copies share it. */
function policyLocks(): Map<string, Promise<unknown>> {
    const key = Symbol.for("pulumi-msgraph-assignments.assignLocks");
    const g = globalThis as unknown as Record<symbol, Map<string, Promise<unknown>> | undefined>;
    return (g[key] ??= new Map());
}

async function withPolicyLock<T>(lockKey: string, work: () => Promise<T>): Promise<T> {
    const locks = policyLocks();
    const previous = locks.get(lockKey) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    locks.set(lockKey, settled);
    try {
        return await run;
    } finally {
        if (locks.get(lockKey) === settled) locks.delete(lockKey);
    }
}

export interface AssignListWriter {
    /**
     * Puts the desired assignment into the list (adopting the occupant of its slot) and returns the live entity.
     * `onOccupant`: for a create (no previous entry), called with the entry found in the desired slot by the first
     * read, before anything is written (an assignment this stack did not create); throwing refuses the write.
     */
    upsert(
        params: Record<string, string | undefined>,
        desired: Entity,
        previousId?: string,
        previous?: Entity,
        onOccupant?: (occupant: Entity) => void,
    ): Promise<Entity>;
    /** Removes the assignment (by id, or by the slot of `props`); absent already is fine. */
    remove(params: Record<string, string | undefined>, id: string, props: Entity): Promise<void>;
    /** The live entity by id, or by the slot of `props` (ids can change when `assign` recreates an entry). */
    find(params: Record<string, string | undefined>, id: string, props: Entity): Promise<Entity | undefined>;
}

export function createAssignListWriter(description: ResourceDescription, client: () => GraphClient): AssignListWriter {
    const spec: AssignListSpec | undefined = description.assignList;
    const assignPath = description.paths.assign;
    if (spec === undefined || assignPath === undefined) {
        throw new Error(`${description.kind} has no assign action: only the item write strategy applies`);
    }
    const toEntity = spec.toEntity ?? ((entry: Readonly<Entity>) => ({ ...entry }));
    const toEntry = spec.toEntry ?? ((body: Readonly<Entity>) => ({ ...body }));

    async function readList(params: Record<string, string | undefined>): Promise<Entity[]> {
        const path = buildPath(spec!.listPath, params);
        if (spec!.listShape === "collection") {
            return (await client().get<{ value?: Entity[] }>(path)).body?.value ?? [];
        }
        return (await client().get<{ assignments?: Entity[] }>(`${path}?$expand=assignments`)).body?.assignments ?? [];
    }

    function keep(entry: Entity): Entity {
        return Object.fromEntries(spec!.entryProperties.filter((k) => entry[k] !== undefined).map((k) => [k, entry[k]]));
    }

    async function writeList(params: Record<string, string | undefined>, entries: Entity[]): Promise<void> {
        // `assign` replaces the list as a whole, so sending the same list twice is harmless: safe to retry.
        await client().post(buildPath(assignPath!, params), { assignments: entries }, { idempotent: true });
    }

    function locate(list: Entity[], id: string | undefined, props: Entity | undefined): number {
        const byId = id === undefined ? -1 : list.findIndex((e) => String(e.id).toLowerCase() === id.toLowerCase());
        if (byId >= 0 || props === undefined) return byId;
        return list.findIndex((e) => matchesDesired(description, props, toEntity(e)));
    }

    const lockKey = (params: Record<string, string | undefined>) => buildPath(spec.listPath, params);

    return {
        upsert(params, desired, previousId, previous, onOccupant) {
            const creating = previousId === undefined && previous === undefined;
            return withPolicyLock(lockKey(params), async () => {
                for (let attempt = 1; ; attempt++) {
                    const list = await readList(params);
                    const entry = toEntry(toGraphBody(description, desired));
                    // Our own previous entry first; else whoever holds the desired slot (adoption).
                    let index = creating ? -1 : locate(list, previousId, previous);
                    if (index < 0) index = locate(list, undefined, desired);
                    // Later rounds may find our own write of an earlier round: only the first read shows an occupant.
                    if (creating && attempt === 1 && index >= 0) onOccupant?.(toEntity(list[index]!));
                    if (index >= 0 && diffLive(description, desired, toEntity(list[index]!)).length === 0) {
                        // Already as desired (an adoption or a re-run): re-posting the list would change nothing.
                        return toEntity(list[index]!);
                    }
                    const next = list.map(keep);
                    if (index >= 0) {
                        const id = list[index]!.id;
                        next[index] = { ...entry, ...(spec.entryProperties.includes("id") && id !== undefined ? { id } : {}) };
                    } else {
                        next.push(entry);
                    }
                    await writeList(params, next);
                    const found = (await readList(params)).find((e) => matchesDesired(description, desired, toEntity(e)));
                    if (found !== undefined) return toEntity(found);
                    if (attempt >= VERIFY_ATTEMPTS) {
                        throw new Error(`${description.kind}: the assignment is missing from the policy after assign (${attempt} attempts)`);
                    }
                }
            });
        },

        remove(params, id, props) {
            return withPolicyLock(lockKey(params), async () => {
                for (let attempt = 1; ; attempt++) {
                    const list = await readList(params);
                    const index = locate(list, id, props);
                    if (index < 0) return;
                    if (attempt > VERIFY_ATTEMPTS) {
                        throw new Error(`${description.kind}: the assignment is still on the policy after assign (${VERIFY_ATTEMPTS} attempts)`);
                    }
                    await writeList(params, list.filter((_, i) => i !== index).map(keep));
                }
            });
        },

        async find(params, id, props) {
            const list = await readList(params);
            const index = locate(list, id, props);
            return index < 0 ? undefined : toEntity(list[index]!);
        },
    };
}
