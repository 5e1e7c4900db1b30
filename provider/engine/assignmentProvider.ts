/**
 * The generic CRUD engine behind every assignment resource. It knows nothing of a particular type: the
 * {@link ResourceDescription} supplies paths, schema, replace rules and comparison, the {@link GraphClient} the HTTP.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { GraphError, GraphOutcomeUnknownError, isNotFound, type GraphClient } from "../graph";
import { processSingleton } from "../processRegistry";
import { AdoptionRefusedError, adoptionWarning, describeSlot, type OccupantOrigin } from "./adoption";
import { createAssignListWriter, DEFAULT_ASSIGN_TIMING, type AssignListWriter, type AssignTiming } from "./assignListWriter";
import { listRouteOf, policyListsFor, type PolicyLists, type WriteEffect } from "./policyLists";
import { withoutHostFrames } from "./hostErrors";
import { isItemRouteRefused } from "./routeRefusal";
import {
    buildMinimalPatch,
    buildPath,
    diffInputs,
    fromGraphEntity,
    matchesDesired,
    referenceError,
    referenceProblems,
    toGraphBody,
    validateInputs,
    type ResourceDescription,
} from "../model";

type Inputs = Record<string, unknown>;
type Entity = Record<string, unknown> & { id?: unknown; lastModifiedDateTime?: unknown };

/** Outputs kept in state: the canonical inputs as Graph holds them, plus the server-managed fields. Never a secret. */
export interface AssignmentOutputs extends Inputs {
    readonly assignmentId: string;
    readonly lastModifiedDateTime?: string;
    /**
     * When this provider last wrote the assignment (ISO 8601, the provider's clock). For a while after it, a read
     * that misses the assignment is taken for Graph's replication lag and retried, not for a deletion.
     */
    readonly lastWriteTime?: string;
}

/** What the engine needs from its host process; injected so tests can drive it without Pulumi. */
export interface EngineDependencies {
    /** The shared Graph client, resolved when a method runs (credentials are never captured in state). */
    readonly client: () => GraphClient;
    /** Waits between read-after-write attempts; injectable for tests. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** How long after a write a 404 is taken for Graph's replication lag rather than a deletion. */
    readonly consistencyWindowMs?: number;
    /** The write strategy, read when a method runs (default `auto`). */
    readonly writeStrategy?: () => WriteStrategy;
    /**
     * Whether a create may take over an assignment this stack did not create (see ./adoption), read when a create
     * runs (default true). False: such a create fails naming the occupant, and nothing is written.
     */
    readonly adoptExisting?: () => boolean;
    /** Receives a warning about the resource whose inputs are given (an adoption); the host attaches it to the resource. */
    readonly warn?: (message: string, inputs: Inputs) => void | Promise<void>;
    /**
     * The listings reads are served from (default: the client's shared ones, see policyListsFor). A read-only run such
     * as drift detection passes its own, shared for the whole run.
     */
    readonly lists?: () => PolicyLists;
    /** Timing of `assign` write rounds (verify re-reads, rewrites); tests shorten it. */
    readonly assignTiming?: AssignTiming;
}

/**
 * How writes reach Graph. `item`: POST/PATCH/DELETE on the assignment routes (the documented default).
 * `assign`: read the policy's list, change only this resource's entry, post the whole list to `assign`.
 * `auto`: `item` until Graph refuses the item route, then `assign` for that resource type for the rest of the run.
 */
export type WriteStrategy = "item" | "assign" | "auto";
export const writeStrategies: readonly WriteStrategy[] = ["item", "assign", "auto"];

/** Resource kinds whose item routes Graph refused in this process (the `auto` switch), shared by module copies. */
function refusedKinds(): Set<string> {
    return processSingleton("refusedItemRoutes", () => new Set<string>());
}

/** Forgets every item-route refusal seen in this process (tests; a long-lived process that wants a fresh start). */
export function forgetRefusedItemRoutes(): void {
    refusedKinds().clear();
}

const DEFAULT_CONSISTENCY_WINDOW_MS = 60_000;
const READ_AFTER_WRITE_DELAYS_MS = [500, 1_000, 2_000, 4_000];
/** POSTs a create may send in all: the first, then one more after each read-back that found the slot empty. */
const MAX_CREATE_ATTEMPTS = 5;
const CREATE_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000];

function pathParams(description: ResourceDescription, inputs: Inputs, id?: string): Record<string, string | undefined> {
    const params: Record<string, string | undefined> = {};
    for (const key of description.pathProperties) params[key] = inputs[key] as string | undefined;
    if (id !== undefined) params.id = id;
    return params;
}

function entityId(description: ResourceDescription, entity: Entity | undefined): string {
    if (entity === undefined || typeof entity.id !== "string" || entity.id === "") {
        throw new Error(`Graph answered a ${description.kind} write without an assignment id`);
    }
    return entity.id;
}

function outputsOf(description: ResourceDescription, entity: Entity, inputs: Inputs): AssignmentOutputs {
    const params = pathParams(description, inputs);
    const canonical = fromGraphEntity(description, entity, params);
    return {
        ...canonical,
        assignmentId: entityId(description, entity),
        ...(typeof entity.lastModifiedDateTime === "string" ? { lastModifiedDateTime: entity.lastModifiedDateTime } : {}),
    };
}

/** Keyed on our own write time: Graph's lastModifiedDateTime is absent on some types and stale after a 204. */
function recentlyWritten(outputs: Inputs, windowMs: number): boolean {
    const stamp = typeof outputs.lastWriteTime === "string" ? Date.parse(outputs.lastWriteTime) : NaN;
    return Number.isFinite(stamp) && Date.now() - stamp < windowMs;
}

/** Outputs of a write: stamped with the provider's write time. */
function written(outputs: AssignmentOutputs): AssignmentOutputs {
    return { ...outputs, lastWriteTime: new Date().toISOString() };
}

/** A `get` the provider refuses (an id that is none, an assignment that is not there): the program's mistake. */
export class AssignmentReferenceError extends Error {
    public override readonly name = "AssignmentReferenceError";
}

/** A Pulumi dynamic ResourceProvider for one resource description. */
export function createAssignmentProvider(
    description: ResourceDescription,
    deps: EngineDependencies,
): Required<Pick<dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">> {
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const consistencyWindowMs = deps.consistencyWindowMs ?? DEFAULT_CONSISTENCY_WINDOW_MS;
    let writer: AssignListWriter | undefined;
    const assignWriter = () =>
        (writer ??= createAssignListWriter(description, deps.client, { ...DEFAULT_ASSIGN_TIMING, sleep, ...deps.assignTiming }));
    const route = listRouteOf(description);
    const lists = deps.lists ?? (() => policyListsFor(deps.client()));

    /**
     * Runs an item-route write to the policy: no listing from before it is used again (to tell whether a slot is
     * occupied, one is still used across a write that only `adds`: an item POST).
     */
    async function itemWrite<T>(inputs: Inputs, write: () => Promise<T>, effect: WriteEffect = "changes"): Promise<T> {
        const params = pathParams(description, inputs);
        lists().noteWrite(route, params, effect);
        try {
            return await write();
        } finally {
            lists().noteWrite(route, params, effect);
        }
    }

    const currentStrategy = (): WriteStrategy => deps.writeStrategy?.() ?? "auto";

    /** Whether writes go through `assign` now. */
    function usesAssign(): boolean {
        const strategy = currentStrategy();
        if (strategy === "assign") return true;
        return strategy === "auto" && refusedKinds().has(description.kind);
    }

    /**
     * Runs an item-route request (a write, or a read); under `auto`, a route refusal switches this kind to `assign` (the
     * policy's list) and runs `viaAssign`. Safe to fall back: a refused route changed nothing.
     */
    async function itemOrAssign<T>(viaItem: () => Promise<T>, viaAssign: () => Promise<T>): Promise<T> {
        if (usesAssign()) return viaAssign();
        try {
            return await viaItem();
        } catch (error) {
            if (currentStrategy() !== "auto" || description.assignList === undefined || !refusesRoute(error)) throw error;
            refusedKinds().add(description.kind);
            return viaAssign();
        }
    }

    /** Whether Graph answered that it does not serve this kind's item routes at all (not: the entity is gone). */
    function refusesRoute(error: unknown): boolean {
        return isItemRouteRefused(error, [description.paths.collection, description.paths.item]);
    }

    /** A 404 about the assignment (gone), not about the route. */
    function isGone(error: unknown): boolean {
        return isNotFound(error) && !refusesRoute(error);
    }

    function createResult(entity: Entity, inputs: Inputs): dynamic.CreateResult {
        return { id: entityId(description, entity), outs: written(outputsOf(description, entity, inputs)) };
    }

    /**
     * The policy's complete list in this kind's entity shape (every page), or undefined when the policy is gone.
     * `fresh` before and after writes; shared with concurrent reads of the same policy otherwise.
     */
    async function liveEntities(inputs: Inputs, fresh: boolean): Promise<Entity[] | undefined> {
        const entries = await lists().read(route, pathParams(description, inputs), { fresh });
        return entries?.map(route.toEntity);
    }

    /** The live assignment occupying the slot the inputs want, if any (adoption and recovery of an unknown POST). */
    async function findOccupant(inputs: Inputs): Promise<Entity | undefined> {
        return (await liveEntities(inputs, true))?.find((entity) => matchesDesired(description, inputs, entity));
    }

    /** The refusal of a foreign occupant when adoption is off; undefined when it may be taken over. */
    function refusalOf(occupant: Entity, inputs: Inputs, origin: OccupantOrigin): AdoptionRefusedError | undefined {
        if (origin !== "foreign" || (deps.adoptExisting?.() ?? true)) return undefined;
        const live = fromGraphEntity(description, occupant, {});
        const slot = describeSlot(description.matchKey(Object.fromEntries(description.bodyProperties.map((k) => [k, live[k]]))));
        return new AdoptionRefusedError(description.kind, String(occupant.id), String(inputs.policyId), slot);
    }

    /** Reports a foreign occupant that a create took over (after the takeover succeeded). */
    async function reportAdoption(occupant: Entity, inputs: Inputs): Promise<void> {
        await deps.warn?.(adoptionWarning(String(occupant.id), String(inputs.policyId)), inputs);
    }

    /** Takes over the occupant of the slot: refused, or adopted (and reported when foreign). */
    async function takeOver(occupant: Entity, inputs: Inputs, origin: OccupantOrigin): Promise<dynamic.CreateResult> {
        const refusal = refusalOf(occupant, inputs, origin);
        if (refusal !== undefined) throw refusal;
        const result = await adopt(occupant, inputs);
        if (origin === "foreign") await reportAdoption(occupant, inputs);
        return result;
    }

    /** Brings an adopted assignment to the desired state with the minimal PATCH (none when it already matches). */
    async function adopt(entity: Entity, inputs: Inputs): Promise<dynamic.CreateResult> {
        const id = entityId(description, entity);
        const live = fromGraphEntity(description, entity, pathParams(description, inputs));
        const patch = buildMinimalPatch(description, live, inputs);
        if (patch === undefined) return createResult(entity, inputs);
        const path = buildPath(description.paths.item, pathParams(description, inputs, id), description.pathKinds);
        const response = await itemWrite(inputs, () => deps.client().patch<Entity>(path, patch));
        return { id, outs: written(outputsOf(description, response.body ?? { ...entity, ...patch }, inputs)) };
    }

    const provider: ReturnType<typeof createAssignmentProvider> = {
        async check(olds, news) {
            const failures = validateInputs(description, news);
            return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
        },

        async diff(_id, olds, news) {
            const result = diffInputs(description, olds, news);
            return {
                changes: result.changes,
                replaces: [...result.replaces],
                stables: [...result.stables],
                deleteBeforeReplace: result.deleteBeforeReplace,
            };
        },

        async create(inputs) {
            return itemOrAssign(
                () => createViaItem(inputs),
                async () => {
                    // The list is read before anything is written: an occupant found there is not ours.
                    let occupant: Entity | undefined;
                    const { entity } = await assignWriter().upsert(pathParams(description, inputs), inputs, {
                        onOccupant: (found) => {
                            const refusal = refusalOf(found, inputs, "foreign");
                            if (refusal !== undefined) throw refusal;
                            occupant = found;
                        },
                    });
                    if (occupant !== undefined) await reportAdoption(occupant, inputs);
                    return createResult(entity, inputs);
                },
            );
        },

        async read(id, props) {
            const outputs = (props ?? {}) as Inputs;
            // No outputs of ours yet (no assignmentId): a reference by id (the SDK's `get`), never matched by slot.
            const reference = typeof outputs.assignmentId !== "string";
            if (reference) assertReference(id, outputs);
            const entity = await readFromList(id, outputs, reference);
            if (entity === undefined && reference) {
                // An empty read would register an empty reference without a word; a `get` of nothing is a mistake.
                throw new AssignmentReferenceError(`${description.kind}.get: policy ${String(outputs.policyId)} holds no assignment ${id} (the assignment or its policy does not exist)`);
            }
            if (entity === undefined) return {};
            const outs: AssignmentOutputs = {
                ...outputsOf(description, entity, outputs),
                ...(typeof outputs.lastWriteTime === "string" ? { lastWriteTime: outputs.lastWriteTime } : {}),
            };
            const inputs = Object.fromEntries(
                Object.keys(description.properties).filter((k) => outs[k] !== undefined).map((k) => [k, outs[k]]),
            );
            return { id, props: outs, inputs };
        },

        async update(id, olds, news) {
            const patch = buildMinimalPatch(description, olds, news);
            if (patch === undefined) {
                // Nothing Graph holds changes: no request at all.
                return { outs: { ...olds, ...Object.fromEntries(description.pathProperties.map((k) => [k, news[k]])) } };
            }
            return itemOrAssign(
                async () => {
                    const path = buildPath(description.paths.item, pathParams(description, news, id), description.pathKinds);
                    const response = await itemWrite(news, () => deps.client().patch<Entity>(path, patch));
                    const entity = response.body ?? { ...olds, ...patch, id };
                    return { outs: written(outputsOf(description, { id, ...entity }, news)) };
                },
                async () => {
                    const { entity } = await assignWriter().upsert(pathParams(description, news), news, { previousId: id, previous: olds });
                    return { outs: written(outputsOf(description, entity, news)) };
                },
            );
        },

        async delete(id, props) {
            await itemOrAssign(
                async () => {
                    const path = buildPath(description.paths.item, pathParams(description, props, id), description.pathKinds);
                    try {
                        await itemWrite(props, () => deps.client().delete(path));
                    } catch (error) {
                        if (!isGone(error)) throw error; // already gone is what delete wants
                    }
                },
                () => assignWriter().remove(pathParams(description, props), id, props),
            );
        },
    };
    return {
        ...provider,
        read: (id, props) => withoutHostFrames(() => provider.read(id, props)),
        delete: (id, props) => withoutHostFrames(() => provider.delete(id, props)),
    };

    async function createViaItem(inputs: Inputs): Promise<dynamic.CreateResult> {
        // An occupied slot is taken over without a POST: the first up over existing assignments writes nothing.
        const listed = await occupantBeforePosting(inputs);
        if (listed !== undefined) return takeOver(listed, inputs, "foreign");
        const path = buildPath(description.paths.collection, pathParams(description, inputs), description.pathKinds);
        const body = toGraphBody(description, inputs);
        // Set once a POST of this create had an unknown outcome: an occupant found from then on is most likely ours.
        let sentUncertain = false;
        for (let attempt = 1; ; attempt++) {
            try {
                return createResult((await itemWrite(inputs, () => deps.client().post<Entity>(path, body), "adds")).body as Entity, inputs);
            } catch (error) {
                // The POST may have landed (timeout, reset, any 5xx: even a 503 can follow a write that was applied)
                // or the slot is taken (409: an assignment made out of band, by an interrupted earlier run, or by our
                // own earlier attempt). Either way, take the occupant over rather than sending a POST that could
                // duplicate it; only an empty slot is posted to again, a bounded number of times (each time the
                // listing showed the previous POST did not land).
                const conflict = GraphError.isInstance(error) && error.status === 409;
                const uncertain = GraphOutcomeUnknownError.isInstance(error) || (GraphError.isInstance(error) && error.status >= 500);
                if (!conflict && !uncertain) throw error;
                sentUncertain ||= uncertain;
                const occupant = await findOccupant(inputs);
                if (occupant !== undefined) return takeOver(occupant, inputs, sentUncertain ? "own-uncertain-write" : "foreign");
                if (conflict || attempt >= MAX_CREATE_ATTEMPTS) throw error;
                await sleep(CREATE_RETRY_DELAYS_MS[attempt - 1] ?? 0);
            }
        }
    }

    /** Refuses a reference whose id or path properties are no ids of their kind, before any request. */
    function assertReference(id: string, outputs: Inputs): void {
        const problems = referenceProblems(description, id, outputs);
        if (problems.length > 0) throw new AssignmentReferenceError(referenceError(description, problems));
    }

    /**
     * The occupant of the slot on the policy's list, read before the first POST of a create: the shared listing (one
     * GET per policy for all its creates, batched across policies, kept across our own item creates on it), or a
     * fresh one when this process changed the policy while the shared one was read (it may predate that change). Undefined for an empty slot, or a policy that
     * is gone (the POST then fails as before). A list that cannot be read fails the create before anything is written:
     * the POST's recovery would need the same list.
     */
    async function occupantBeforePosting(inputs: Inputs): Promise<Entity | undefined> {
        const params = pathParams(description, inputs);
        const changes = lists().changeGeneration(route, params);
        let entities = (await lists().readForSlots(route, params))?.map(route.toEntity);
        if (lists().changeGeneration(route, params) !== changes) entities = await liveEntities(inputs, true);
        return entities?.find((entity) => matchesDesired(description, inputs, entity));
    }

    /**
     * The assignment from its policy's complete list (every strategy: the list route is documented for every kind,
     * item GETs are not accepted everywhere, and one listing serves every resource of the policy). Undefined when the
     * policy is gone or its list no longer holds the assignment: by id, and under `assign` (which may give an entry a
     * new id) by slot. Anything but a complete answer throws: a resource is never dropped on a failed read.
     */
    async function readFromList(id: string, outputs: Inputs, byIdOnly: boolean): Promise<Entity | undefined> {
        const bySlot = !byIdOnly && usesAssign();
        for (let attempt = 0; ; attempt++) {
            const entities = await liveEntities(outputs, attempt > 0);
            if (entities === undefined) return undefined; // the policy was deleted, and its assignments with it
            const byId = entities.find((e) => typeof e.id === "string" && e.id.toLowerCase() === id.toLowerCase());
            const found = byId ?? (bySlot ? entities.find((e) => matchesDesired(description, outputs, e)) : undefined);
            if (found !== undefined) return found;
            // Graph replicates writes lazily: a read right after our own write may miss it for a while.
            if (recentlyWritten(outputs, consistencyWindowMs) && attempt < READ_AFTER_WRITE_DELAYS_MS.length) {
                await sleep(READ_AFTER_WRITE_DELAYS_MS[attempt]!);
                continue;
            }
            return undefined;
        }
    }
}
