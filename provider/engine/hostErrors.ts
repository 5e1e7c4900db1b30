/**
 * Pulumi's dynamic-provider host logs an error thrown by `read` or `delete` as `${error}: ${error.stack}` (create and
 * update show the message alone). For an answer from Graph or the sign-in, or a mistake in the program, those frames
 * help nobody reading a refresh or a CI log: they are left out. A JavaScript error (a TypeError, say) is a bug of
 * ours and keeps them, for the report.
 */
const BUG_TYPES: readonly (new (...args: never[]) => Error)[] = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError];

export const FRAMES_LEFT_OUT = "(stack frames left out)";

export function isProgrammingError(error: unknown): boolean {
    return BUG_TYPES.some((type) => error instanceof type);
}

/** Runs `operation`; an error it throws that is not a programming error reaches the host without its frames. */
export async function withoutHostFrames<T>(operation: () => Promise<T>): Promise<T> {
    try {
        return await operation();
    } catch (error) {
        if (error instanceof Error && !isProgrammingError(error)) {
            try {
                error.stack = FRAMES_LEFT_OUT;
            } catch {
                // A frozen error keeps its stack; the message still reaches the user.
            }
        }
        throw error;
    }
}
