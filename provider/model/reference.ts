/**
 * Checks of a reference to an existing assignment (the SDK's `get`): its id and the path properties that locate its
 * policy. Shared by the SDK, which refuses a bad reference before registering anything, and the provider's `read`,
 * which checks again whatever was not known when the program ran.
 */
import { describeIdProblem, type IdKind } from "./ids.js";
import type { ResourceDescription } from "./types.js";

/**
 * What is wrong with the reference, one `<name> <problem>` phrase per id (never the value); empty when nothing.
 * `isKnown` says which values can be checked now (the SDK skips values Pulumi resolves later).
 */
export function referenceProblems(
    description: ResourceDescription,
    id: unknown,
    state: Readonly<Record<string, unknown>>,
    isKnown: (value: unknown) => boolean = () => true,
): string[] {
    const checks: [string, unknown, IdKind][] = [
        ...description.pathProperties.map((key): [string, unknown, IdKind] => [key, state[key], description.pathKinds[key] ?? "guid"]),
        ["id", id, description.pathKinds.id ?? "assignmentId"],
    ];
    return checks.flatMap(([name, value, kind]) => {
        if (!isKnown(value)) return [];
        const problem = describeIdProblem(value, kind);
        return problem === undefined ? [] : [`${name} ${problem}`];
    });
}

/** The one-line error of a refused reference, naming the kind's `get` and every problem. */
export function referenceError(description: ResourceDescription, problems: readonly string[]): string {
    return `${description.kind}.get: ${problems.join("; ")}`;
}
