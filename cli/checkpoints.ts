/**
 * Whether `msgraph-assignments up` asks the engine to skip its intermediate checkpoints (PULUMI_SKIP_CHECKPOINTS).
 *
 * The engine rewrites the whole state after every step, so an up of N resources costs O(N²) in state writes; on a
 * large repository that dominates the run. Skipping them is safe for this provider: a lost intermediate checkpoint
 * only means creates the state does not know of, and a create adopts the assignment occupying its slot, so a re-run
 * after a crash converges without duplicates (test/e2e/skipCheckpoints.test.ts proves it with SIGKILL).
 */

/** Above this many assignments in the configuration repository, `up` skips intermediate checkpoints by default. */
export const SKIP_CHECKPOINTS_ABOVE = 100;

export const SKIP_CHECKPOINTS_VARIABLE = "PULUMI_SKIP_CHECKPOINTS";

export interface CheckpointChoice {
    /** The value to give PULUMI_SKIP_CHECKPOINTS for the engine, or undefined to leave the environment as it is. */
    readonly skipCheckpoints?: "true" | "false";
    /** Why, in one short sentence (printed unless --quiet). */
    readonly reason: string;
}

/**
 * The choice for one `up`: `--checkpoints` always keeps them; a PULUMI_SKIP_CHECKPOINTS the user set is left alone;
 * otherwise they are skipped when the repository holds more than {@link SKIP_CHECKPOINTS_ABOVE} assignments.
 */
export function checkpointChoice(options: { readonly assignments: number; readonly checkpointsFlag: boolean; readonly env: NodeJS.ProcessEnv }): CheckpointChoice {
    if (options.checkpointsFlag) return { skipCheckpoints: "false", reason: "--checkpoints: the engine writes the state after every step" };
    const set = options.env[SKIP_CHECKPOINTS_VARIABLE];
    if (set !== undefined && set !== "") return { reason: `${SKIP_CHECKPOINTS_VARIABLE}=${set} from the environment is used as set` };
    if (options.assignments > SKIP_CHECKPOINTS_ABOVE) {
        return {
            skipCheckpoints: "true",
            reason: `${options.assignments} assignments (more than ${SKIP_CHECKPOINTS_ABOVE}): intermediate checkpoints skipped (${SKIP_CHECKPOINTS_VARIABLE}=true; --checkpoints keeps them)`,
        };
    }
    return { reason: `${options.assignments} assignments (at most ${SKIP_CHECKPOINTS_ABOVE}): the engine writes the state after every step` };
}
