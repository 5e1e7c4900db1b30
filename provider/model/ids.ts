/**
 * Identifier rules shared by input validation and URL path building.
 *
 * Every id that ends up in a Graph URL goes through {@link describeIdProblem}; {@link buildPath} refuses to build a
 * path from an id that has a problem. Messages never contain the offending value (it could be a secret pasted into
 * the wrong field); at most they say which kind of character is wrong.
 */

/**
 * The placeholder Pulumi passes for values not known during preview. Validation lets it through anywhere;
 * diff treats it as a change.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Canonical (lower-case) GUID pattern, anchored. Accepts either case; compare through {@link normalizeGuid}. */
export const GUID_PATTERN = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

/** The all-zero GUID: Intune writes it as "no filter" in deviceAndAppManagementAssignmentFilterId. */
export const ZERO_GUID = "00000000-0000-0000-0000-000000000000";

/**
 * Graph assignment ids are GUIDs, `{policyId}_{groupId}` (Windows 365) or other opaque ids: letters, digits, '_'
 * and '-', starting with a letter or digit. Nothing that could change the meaning of a URL path segment.
 */
export const ASSIGNMENT_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]*$";

/**
 * Configuration Manager collection ids: a three-character site code followed by five hexadecimal digits
 * (e.g. "SMS00001", "P0100014"). The CSDL only says Edm.String; this is the format ConfigMgr itself issues.
 */
export const COLLECTION_ID_PATTERN = "^[A-Za-z0-9]{3}[0-9A-Fa-f]{5}$";

/** Longest id accepted anywhere (a `{guid}_{guid}` id is 73 characters). */
export const MAX_ID_LENGTH = 128;

/** The kinds of identifier the model knows how to check. */
export type IdKind = "guid" | "intuneId" | "assignmentId" | "collectionId";

const EXPECTED: Readonly<Record<IdKind, { readonly pattern: RegExp; readonly expected: string }>> = {
    guid: { pattern: new RegExp(GUID_PATTERN), expected: `must be a GUID like ${ZERO_GUID}` },
    intuneId: {
        pattern: new RegExp(ASSIGNMENT_ID_PATTERN),
        expected: "must be an Intune id made of letters, digits, '_' and '-' (a GUID, or a GUID with a suffix such as _Windows10EnrollmentCompletionPageConfiguration)",
    },
    assignmentId: {
        pattern: new RegExp(ASSIGNMENT_ID_PATTERN),
        expected: "must be an assignment id made of letters, digits, '_' and '-'",
    },
    collectionId: {
        pattern: new RegExp(COLLECTION_ID_PATTERN),
        expected: "must be a Configuration Manager collection id like SMS00001 (site code + 5 hex digits)",
    },
};

/**
 * Says what is wrong with `value` as an id of the given kind, or `undefined` when it is acceptable.
 * The reason starts with a verb ("must ...") so callers can prefix the property name; it never contains the value.
 */
export function describeIdProblem(value: unknown, kind: IdKind): string | undefined {
    const { pattern, expected } = EXPECTED[kind];
    if (typeof value !== "string") {
        return `${expected} (got ${value === null ? "null" : typeof value})`;
    }
    if (value.length === 0) return `must not be empty; ${expected}`;
    if (value.length > MAX_ID_LENGTH) return `is too long (${value.length} characters, at most ${MAX_ID_LENGTH})`;
    if (/[\u0000-\u001f\u007f]/.test(value)) return `must not contain control characters; ${expected}`;
    if (/\s/.test(value)) return `must not contain spaces; ${expected}`;
    if (/[^\u0020-\u007e]/.test(value)) {
        return `must contain only ASCII characters (look-alike or invisible Unicode characters are not allowed); ${expected}`;
    }
    if (/[/\\]/.test(value)) return `must not contain '/' or '\\'; ${expected}`;
    if (value.includes("..")) return `must not contain '..'; ${expected}`;
    if (value.includes("%")) return `must not contain '%' (no percent-encoded characters); ${expected}`;
    if (/[?#]/.test(value)) return `must not contain '?' or '#'; ${expected}`;
    if (!pattern.test(value)) return expected;
    return undefined;
}

/**
 * Kind of every placeholder that may appear in a path template. A placeholder missing from this table is refused:
 * a path is never built from an id nobody checked.
 */
export const PATH_PARAMETER_KINDS: Readonly<Record<string, IdKind>> = {
    policyId: "guid",
    groupId: "guid",
    id: "assignmentId",
};

const INVALID_ID_BRAND = "__msgraphInvalidIdError";

/**
 * Thrown when an id is not safe or not well-formed for a Graph URL. Branded by name (and a brand property) so that
 * {@link InvalidIdError.isInstance} works across module copies, where `instanceof` does not.
 */
export class InvalidIdError extends Error {
    /** Brand checked by {@link InvalidIdError.isInstance}. */
    public readonly [INVALID_ID_BRAND] = true;
    public override readonly name = "InvalidIdError";

    /**
     * @param parameter the path parameter or property the id was given for (e.g. "policyId")
     * @param problem what is wrong, without the value (from {@link describeIdProblem})
     */
    constructor(public readonly parameter: string, public readonly problem: string) {
        super(`${parameter} ${problem}`);
    }

    /** True for any InvalidIdError, including one created by another copy of this module. */
    public static isInstance(obj: unknown): obj is InvalidIdError {
        return typeof obj === "object" && obj !== null && (obj as Record<string, unknown>)[INVALID_ID_BRAND] === true;
    }
}

/**
 * Fills `{placeholders}` of a Graph path template (relative to the API version root) with validated,
 * `encodeURIComponent`-encoded parameters. `kinds` names the id kind of each placeholder (a description's
 * `pathKinds`; default {@link PATH_PARAMETER_KINDS}).
 *
 * @throws InvalidIdError when a placeholder has no known id kind, a parameter is missing, or a value fails
 *   {@link describeIdProblem}. Extra parameters are ignored.
 */
export function buildPath(
    template: string,
    params: Readonly<Record<string, string | undefined>>,
    kinds: Readonly<Record<string, IdKind>> = PATH_PARAMETER_KINDS,
): string {
    return template.replace(/\{([^{}]*)\}/g, (_match, name: string) => {
        const kind = Object.prototype.hasOwnProperty.call(kinds, name) ? kinds[name] : undefined;
        if (kind === undefined) {
            throw new InvalidIdError(name.slice(0, 64), "is not a known path parameter");
        }
        const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
        if (value === undefined) throw new InvalidIdError(name, "is required to build the path");
        const problem = describeIdProblem(value, kind);
        if (problem !== undefined) throw new InvalidIdError(name, problem);
        return encodeURIComponent(value);
    });
}

/** Lower-cases a GUID-shaped string; other values are returned unchanged. */
export function normalizeGuid(value: unknown): unknown {
    return typeof value === "string" && value !== UNKNOWN_VALUE ? value.toLowerCase() : value;
}
