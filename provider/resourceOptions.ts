/**
 * The options of a resource that are not Graph inputs: how its writes reach Graph (`writeStrategy`) and whether a
 * create may take over an assignment this stack did not create (`adoptExisting`). They travel in the provider module
 * stored in each resource's state (see sdk/dynamicAssignmentResource.ts), never in the Graph body, never in diff; a
 * resource without them takes the stack's `msgraph:writeStrategy` / `msgraph:adoptExisting`, else `auto` / true.
 *
 * A JavaScript program or a YAML file can hand over anything, so the values are checked like inputs: `check` reports
 * each problem (property, what is wrong, what is expected) before any request, and the other methods refuse them with
 * the same message instead of failing deep inside the engine.
 */
import { writeStrategies, type WriteStrategy } from "./engine/assignmentProvider";
import type { CheckFailure, ResourceDescription } from "./model";

/** The options as the stored provider module gives them: unchecked. */
export interface ResourceOptions {
    readonly writeStrategy?: unknown;
    readonly adoptExisting?: unknown;
}

/** Reads stack config (`msgraph:*` keys). */
export interface StackConfig {
    get(key: string): string | undefined;
}

const OPTION_KEYS = ["writeStrategy", "adoptExisting"] as const;

function typeName(value: unknown): string {
    return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/**
 * The options from the provider module's argument: absent, a write strategy (the form every state written before
 * `adoptExisting` existed carries), or an object of options.
 */
export function resourceOptionsOf(argument: unknown): ResourceOptions & { readonly unexpected?: readonly string[] } {
    if (argument === undefined || argument === null) return {};
    if (typeof argument !== "object" || Array.isArray(argument)) return { writeStrategy: argument };
    const given = argument as Record<string, unknown>;
    const unexpected = Object.keys(given).filter((key) => !(OPTION_KEYS as readonly string[]).includes(key));
    return {
        ...(given.writeStrategy !== undefined ? { writeStrategy: given.writeStrategy } : {}),
        ...(given.adoptExisting !== undefined ? { adoptExisting: given.adoptExisting } : {}),
        ...(unexpected.length > 0 ? { unexpected } : {}),
    };
}

function strategyProblem(value: unknown): string | undefined {
    if (typeof value === "string" && (writeStrategies as readonly string[]).includes(value)) return undefined;
    const got = typeof value === "string" ? "" : ` (got ${typeName(value)})`;
    return `must be one of: ${writeStrategies.join(", ")}${got}`;
}

function adoptProblem(value: unknown): string | undefined {
    return typeof value === "boolean" ? undefined : `must be true or false (got ${typeName(value)})`;
}

/** Stack config holds strings: "true" / "false". */
function configBoolean(value: string): boolean | undefined {
    return value === "true" ? true : value === "false" ? false : undefined;
}

type Failures = CheckFailure[];

function failure(property: string, problem: string): CheckFailure {
    return { property, reason: `${property} ${problem}` };
}

function writeStrategyFailures(options: ResourceOptions, config: StackConfig): Failures {
    const failures: Failures = [];
    if (options.writeStrategy !== undefined) {
        const problem = strategyProblem(options.writeStrategy);
        if (problem !== undefined) failures.push(failure("writeStrategy", problem));
    }
    const stack = config.get("msgraph:writeStrategy");
    if (stack !== undefined && stack !== "" && strategyProblem(stack) !== undefined) {
        failures.push(failure("msgraph:writeStrategy", `(stack config) must be one of: ${writeStrategies.join(", ")}`));
    }
    return failures;
}

function adoptExistingFailures(options: ResourceOptions, config: StackConfig): Failures {
    const failures: Failures = [];
    if (options.adoptExisting !== undefined) {
        const problem = adoptProblem(options.adoptExisting);
        if (problem !== undefined) failures.push(failure("adoptExisting", problem));
    }
    const stack = config.get("msgraph:adoptExisting");
    if (stack !== undefined && stack !== "" && configBoolean(stack) === undefined) {
        failures.push(failure("msgraph:adoptExisting", "(stack config) must be true or false"));
    }
    return failures;
}

/** What a kind can do: item routes, an `assign` action, or both. */
type Capabilities = Pick<ResourceDescription, "kind" | "defaultWriteStrategy" | "assignList" | "itemRoutes">;

function canWriteItems(description: Capabilities): boolean {
    return description.itemRoutes.create && description.itemRoutes.delete;
}

/** A strategy the kind cannot run: `item` without documented item routes, `assign` without an assign action. */
function unsupportedProblem(strategy: WriteStrategy, description: Capabilities): string | undefined {
    if (strategy === "item" && !canWriteItems(description)) {
        return `cannot be item for ${description.kind}: Graph documents no item routes for it (expected: assign or auto)`;
    }
    if (strategy === "assign" && description.assignList === undefined) {
        return `cannot be assign for ${description.kind}: it has no assign action (expected: item or auto)`;
    }
    return undefined;
}

/** Every problem of the resource's options and of the stack's defaults for them, in `check`'s shape. */
export function optionFailures(argument: unknown, config: StackConfig, description?: Capabilities): CheckFailure[] {
    const options = resourceOptionsOf(argument);
    const unexpected = (options.unexpected ?? []).map((key) =>
        failure(key.replace(/[^\u0020-\u007e]/g, "?").slice(0, 64), `is not an option (expected: ${OPTION_KEYS.join(", ")})`),
    );
    const strategyFailures = writeStrategyFailures(options, config);
    if (description !== undefined && strategyFailures.length === 0 && options.writeStrategy !== undefined) {
        const problem = unsupportedProblem(options.writeStrategy as WriteStrategy, description);
        if (problem !== undefined) strategyFailures.push(failure("writeStrategy", problem));
    }
    return [...unexpected, ...strategyFailures, ...adoptExistingFailures(options, config)];
}

function refuse(failures: Failures): void {
    if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("; "));
}

/**
 * The write strategy a method runs with: the resource's own; else the stack's where the kind can run it (a stack
 * preference does not apply to a kind without item routes or without `assign`); else the kind's default.
 * @throws Error with check's message when either value is invalid (check reports it before any create or update;
 *   refresh and destroy, which run no check, get the same clean message).
 */
export function resolveWriteStrategy(argument: unknown, config: StackConfig, description: Capabilities): WriteStrategy {
    const options = resourceOptionsOf(argument);
    refuse(writeStrategyFailures(options, config));
    const own = options.writeStrategy as WriteStrategy | undefined;
    if (own !== undefined) {
        const problem = unsupportedProblem(own, description);
        if (problem !== undefined) refuse([failure("writeStrategy", problem)]);
        return own;
    }
    const stack = (config.get("msgraph:writeStrategy") || undefined) as WriteStrategy | undefined;
    if (stack !== undefined && unsupportedProblem(stack, description) === undefined) {
        // `auto` on an assign-only kind would only try routes Graph does not serve: its default is the same thing, cheaper.
        return stack === "auto" ? description.defaultWriteStrategy : stack;
    }
    return description.defaultWriteStrategy;
}

/**
 * Whether a create may adopt an assignment this stack did not create: the resource's own choice, else the stack's,
 * else true. @throws Error like {@link resolveWriteStrategy}.
 */
export function resolveAdoptExisting(argument: unknown, config: StackConfig): boolean {
    const options = resourceOptionsOf(argument);
    refuse(adoptExistingFailures(options, config));
    const stack = config.get("msgraph:adoptExisting");
    return (options.adoptExisting as boolean | undefined) ?? (stack ? configBoolean(stack) : undefined) ?? true;
}
