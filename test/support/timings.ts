/** Records how long named steps of a suite took, for the suite to print at the end (figures, not assertions). */
export interface StepTimings {
    /** Runs `work` (sync or async) and records how long it took under `label`. */
    timed<T>(label: string, work: () => T): T;
    /** "label 1.2 s, label 3.4 s", in the order the steps ended. */
    summary(): string;
}

export function stepTimings(): StepTimings {
    const entries: string[] = [];
    return {
        timed<T>(label: string, work: () => T): T {
            const start = Date.now();
            const done = () => void entries.push(`${label} ${((Date.now() - start) / 1000).toFixed(1)} s`);
            const value = work();
            if (value instanceof Promise) return value.finally(done) as T;
            done();
            return value;
        },
        summary: () => entries.join(", "),
    };
}
