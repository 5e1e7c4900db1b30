/**
 * `preview` and `up` of a stack whose program is the config repository: the engine's output streamed as it comes,
 * a per-resource change list from its events, and on failure the engine's error lines, all through redactSecrets
 * (the engine masks values it knows to be secret; credentials from the environment it does not know).
 */
import type * as automation from "@pulumi/pulumi/automation";
import { MIN_SECRET_LENGTH, redactSecrets } from "../provider/graph/redact";
import { ChangeCollector, type ChangeSummary } from "./changeSummary";
import { distinctViolations, violationOf, type PolicyViolation } from "./policyViolations";

export type Operation = "preview" | "up";

export interface DeployOptions {
    readonly stack: automation.Stack;
    readonly operation: Operation;
    /** Refresh the state from Graph first, so out-of-band changes are planned back (pulumi --refresh). */
    readonly refresh?: boolean;
    /** Property-level diff in the streamed output (pulumi --diff). */
    readonly diff?: boolean;
    /** The engine's output as it comes (progress). */
    readonly onOutput?: (text: string) => void;
    /** Values to remove from error lines and output (credentials, tokens). */
    readonly secrets?: readonly string[];
    /** Policy pack folders the engine runs (pulumi --policy-pack); their violations go into the summary. */
    readonly policyPacks?: readonly string[];
    /** JSON config files of the packs (pulumi --policy-pack-config). */
    readonly policyPackConfigs?: readonly string[];
    /** How many resource operations the engine runs at once (pulumi --parallel); absent, the engine's default. */
    readonly parallel?: number;
    /** up only: stop scheduling further writes after the first failed assignment (pulumi's default) instead of going on. */
    readonly stopOnError?: boolean;
}

export interface DeployResult {
    readonly exitCode: 0 | 1;
    readonly summary: ChangeSummary;
}

/** Environment variables whose values are credentials; never echoed. */
export const SECRET_ENV_VARS = [
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_ACCESS_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_SAS_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "SYSTEM_ACCESSTOKEN",
] as const;

/**
 * Secret values present in `env` plus `extra` (secret config), for {@link redactSecrets}: those of
 * MIN_SECRET_LENGTH characters or more, longest first.
 */
export function secretValuesFrom(env: NodeJS.ProcessEnv, extra: readonly string[] = []): string[] {
    const values = [...SECRET_ENV_VARS.map((name) => env[name]), ...extra].filter((v): v is string => v !== undefined && v.length >= MIN_SECRET_LENGTH);
    return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** Engine messages carry color directives (`<{%fg 1%}>`) and ANSI codes; a log line or a summary wants neither. */
function plain(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/<\{%[^%]*%\}>/g, "").replace(/\u001b\[[0-9;]*m/g, "");
}

/** Error lines of a failed Automation API call: the CLI's `error:` lines, else the message's first line. */
function errorLinesOf(error: unknown): string[] {
    const message = plain(error instanceof Error ? error.message : String(error));
    const lines = message.split("\n").map((l) => l.trim());
    const errors = lines.filter((l) => /^error: /.test(l));
    return errors.length > 0 ? errors : [lines.find((l) => l !== "") ?? "failed"];
}

/** A program's exception arrives as "Unhandled exception: <Error>: <message>" and again as "<message>": keep the first. */
export function withoutRepeats(lines: readonly string[]): string[] {
    const unique = [...new Set(lines)];
    return unique.filter((line, i) => !unique.some((other, j) => j !== i && other.length > line.length && other.endsWith(line)));
}

/** Runs the operation; never throws (a failure is exit code 1 with `summary.errors`). */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
    const packs = options.policyPacks ?? [];
    // The engine runs stack policies after an update's writes; `pulumi up` therefore previews first, and so does this:
    // a mandatory violation of a stack policy stops the up before any Graph write.
    if (options.operation === "up" && packs.length > 0) {
        const preview = await runOnce({ ...options, onOutput: undefined }, "preview");
        if (preview.exitCode !== 0) return { exitCode: 1, summary: { ...preview.summary, operation: "up" } };
    }
    return runOnce(options, options.operation);
}

async function runOnce(options: DeployOptions, operation: Operation): Promise<DeployResult> {
    const secrets = options.secrets ?? [];
    const collector = new ChangeCollector();
    const diagnostics: string[] = [];
    const violations: PolicyViolation[] = [];
    const onEvent = (event: automation.EngineEvent) => {
        collector.onEvent(event);
        const violation = violationOf(event);
        if (violation !== undefined) violations.push({ ...violation, message: redactSecrets(violation.message, secrets) });
        const d = event.diagnosticEvent;
        if (d?.severity === "error") {
            // Name the assignment the engine reports on; leave out stack frames, they help nobody reading a CI log.
            const resource = d.urn ? `${d.urn.split("::").pop()}: ` : "";
            for (const line of plain(d.message).split("\n")) {
                if (line.trim() !== "" && !/^\s+at /.test(line)) diagnostics.push(`${resource}${line.trim()}`);
            }
        }
    };
    const run = {
        onEvent,
        ...(options.onOutput ? { onOutput: (text: string) => options.onOutput!(redactSecrets(text, secrets)) } : {}),
        ...(options.refresh ? { refresh: true } : {}),
        ...(options.diff ? { diff: true } : {}),
        ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
        ...(options.policyPacks?.length ? { policyPacks: [...options.policyPacks] } : {}),
        ...(options.policyPackConfigs?.length ? { policyPackConfigs: [...options.policyPackConfigs] } : {}),
        // Assignments are independent of each other: one bad entry (a policy deleted in the portal) must not leave every
        // entry the engine had not reached yet unapplied, and which ones it reached would depend on timing.
        ...(operation === "up" && !options.stopOnError ? { continueOnError: true } : {}),
    };
    const base = { operation, stack: options.stack.name };
    const policy = () => (options.policyPacks?.length ? { policyViolations: distinctViolations(violations) } : {});
    try {
        if (operation === "preview") await options.stack.preview(run);
        else await options.stack.up(run);
        return { exitCode: 0, summary: { ...base, changes: collector.changes(), unchanged: collector.unchanged(), ...policy() } };
    } catch (error) {
        const lines = diagnostics.length > 0 ? withoutRepeats(diagnostics) : errorLinesOf(error);
        return {
            exitCode: 1,
            summary: { ...base, changes: collector.changes(), unchanged: collector.unchanged(), errors: lines.map((l) => redactSecrets(l, secrets)), ...policy() },
        };
    }
}
