/**
 * The shapes of a loaded configuration repository (entries, targets, errors), in a module of their own so that the
 * loader and name resolution can both use them without importing each other.
 */
import type { WriteStrategy } from "../provider/engine/assignmentProvider";

/** A registered kind (see `KINDS` in ./configRepo: the registry's). */
export type Kind = string;
/** A YAML target type (one of the kind's target variants, see ./repoKinds). */
export type TargetType = string;

/** A target as written in the YAML: `type` (see the kind's variants), a group, collection or filter, and any other property of its variant. */
export interface TargetSpec {
    readonly type: TargetType;
    readonly groupId?: string;
    /** Group display name, resolved through Graph (`GET /groups?$filter=displayName eq '…'`) when the program runs. */
    readonly group?: string;
    readonly collectionId?: string;
    /** An assignment filter by `id`, or by `name` (its display name, resolved through Graph when the program runs). */
    readonly filter?: { readonly id?: string; readonly name?: string; readonly type: "include" | "exclude" };
    readonly servicePlanId?: string;
    readonly allotmentDisplayName?: string;
    readonly allotmentLicensesCount?: number;
    readonly [property: string]: unknown;
}

/** One validated assignment of the repository. */
export interface ConfigEntry {
    readonly file: string;
    /** "policies[0].assignments[1]" */
    readonly location: string;
    readonly name: string;
    readonly kind: Kind;
    /** The policy's id; the unknown placeholder while `policy` (a display name) is not resolved yet. */
    readonly policyId: string;
    /** The policy's display name, resolved per tenant when the program runs (cli/nameResolution.ts). */
    readonly policy?: string;
    readonly policyName?: string;
    readonly writeStrategy?: WriteStrategy;
    /** Whether the create may take over an assignment made outside this stack (the entry's, else the policy's). */
    readonly adoptExisting?: boolean;
    readonly target: TargetSpec;
    /** The kind's body properties beyond the target (e.g. `intent`), as written in the YAML; absent when none. */
    readonly properties?: Readonly<Record<string, unknown>>;
}

/** One problem of the repository. `message` names file, entry and property. */
export interface ConfigError {
    readonly file: string;
    /** Entry label: `policies[0].assignments[1] "name"`, or `policies[0]`, or "" for the file itself. */
    readonly entry: string;
    /** Property path inside the entry, as written in the YAML ("target.groupId"); "" for the entry itself. */
    readonly property: string;
    readonly message: string;
}

/** A loaded repository: its files, valid entries and every problem found. */
export interface ConfigRepo {
    readonly dir: string;
    readonly files: readonly string[];
    readonly entries: readonly ConfigEntry[];
    readonly errors: readonly ConfigError[];
}
