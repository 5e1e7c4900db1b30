/** What a benchmark module is: a named group of benchmarks, run in its own emulator and state folder. */
import { trustEmulatorCa } from "../../emulator";
import { startE2eWorld, type E2eWorld } from "../../test/e2e/harness";
import { check } from "./measure";
import { echoProgram } from "./programs";
import type { Row } from "./report";

export interface BenchContext {
    /** `--quick`: smaller sizes, for a first look or a loaded machine (each module says what it shrinks). */
    readonly quick: boolean;
    /** Records a row of this module's table (and prints it at once). */
    emit(row: Row): void;
    /** A markdown line after the module's table. */
    note(line: string): void;
    /** The method paragraph of the module (how it measures, what the references are). */
    method(...lines: string[]): void;
}

export interface BenchModule {
    /** For `--only <name>`. */
    readonly name: string;
    /** Heading in RESULTS.md. */
    readonly title: string;
    run(context: BenchContext): Promise<void>;
}

/** An emulator and a state folder for one module, the emulator's CA trusted by this process (drift runs here). */
export async function moduleWorld(name: string): Promise<E2eWorld> {
    const world = await startE2eWorld(`bench-${name}`, { faults: { rateLimit: false } });
    trustEmulatorCa(world.emulator.caCertPem);
    return world;
}

/**
 * Not measured: the first run of a process pays one-time costs (plugin start-up, module compilation) that would
 * otherwise land on whichever measured run comes first.
 */
export async function warmUp(world: E2eWorld): Promise<void> {
    const stack = await world.stack(echoProgram(5, "-warm-up"), { stackName: "warm-up" });
    check(await stack.up(), "warm-up up");
    await stack.destroy();
}
