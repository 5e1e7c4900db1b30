/**
 * Adoption: a create that finds its target slot already occupied takes the occupant over instead of failing or
 * duplicating it. That is what makes re-runs and lost answers safe, but an occupant this stack did not create is
 * somebody else's assignment: it is reported, and `adoptExisting: false` refuses it.
 *
 * Who made the occupant cannot be read from Graph (an assignment carries no field we could mark), so the origin is
 * inferred from how this create found it:
 * - after one of this create's own POSTs had an unknown outcome (lost answer, timeout, reset, 5xx): most likely that
 *   POST landed, so the occupant counts as our own write (not reported, allowed with adoptExisting false);
 * - in the policy's list before anything was written (both strategies), or on a 409 to the first POST (a listing
 *   that missed the occupant): foreign.
 * The limit: an assignment made out of band between our unknown POST and the read-back counts as ours, and our own
 * write from an earlier, interrupted run (whose create never reached the state) counts as foreign.
 */

/** How a create came upon the occupant of its slot (see the module comment). */
export type OccupantOrigin = "own-uncertain-write" | "foreign";

/** The warning reported on the resource when a create took over an assignment this stack did not create. */
export function adoptionWarning(assignmentId: string, policyId: string): string {
    return `adopted existing assignment ${assignmentId} on policy ${policyId}`;
}

/** Human form of a slot key (see ResourceDefinition.matchKey): "group 6f1b…", "collection SMS00001", "allDevicesAssignmentTarget". */
export function describeSlot(slot: string): string {
    const [kind, ...rest] = slot.split(":");
    const value = rest.join(":");
    if (kind === "type") return value.replace(/^#?microsoft\.graph\./, "");
    return value === "" ? slot : `${kind} ${value}`;
}

const BRAND = "__msgraphAdoptionRefusedError";

/** A create found its slot held by an assignment this stack did not create, and adoptExisting is false. */
export class AdoptionRefusedError extends Error {
    public readonly [BRAND] = true;
    public override readonly name = "AdoptionRefusedError";

    constructor(
        public readonly kind: string,
        public readonly occupantId: string,
        public readonly policyId: string,
        public readonly target: string,
    ) {
        super(
            `${kind}: policy ${policyId} already has assignment ${occupantId} for target ${target}, which this stack did ` +
                `not create; adoptExisting is false, so nothing was changed. Import it (pulumi import), remove it from ` +
                `the policy, or allow adoption (adoptExisting: true, or msgraph:adoptExisting true)`,
        );
    }

    /** True for any AdoptionRefusedError, including one from another copy of this module. */
    public static isInstance(x: unknown): x is AdoptionRefusedError {
        return typeof x === "object" && x !== null && (x as Record<string, unknown>)[BRAND] === true;
    }
}
