#!/usr/bin/env node
/**
 * `msgraph-assignments` — the command line of pulumi-msgraph-assignments: `preview`, `up`, `drift` and `export`, each
 * with its own table of options (./commandLine.ts; `msgraph-assignments <subcommand> --help` prints it).
 *
 * preview and up run the config repository as an inline program (no hand-written program, no language host) and exit
 * 0 or 1. drift exits 0 (no drift), 2 (drift) or 1 (error). Stacks are reached as the Pulumi CLI would: the project folder
 * (`--work-dir`, default the current folder, with Pulumi.yaml and Pulumi.<stack>.yaml) and the backend from
 * PULUMI_BACKEND_URL or `--backend-url`; secrets need PULUMI_CONFIG_PASSPHRASE as usual. export takes Graph settings
 * from `--config` and the AZURE_* / MSGRAPH_BASE_URL environment variables (see docs/configuration.md).
 * A command line that does not parse (an unknown option, a missing value) exits 1 with one line naming it.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { redactSecrets, resetSharedGraphClients } from "../provider/graph";
import { renderChangeMarkdown, summaryLine, type ChangeSummary } from "./changeSummary";
import { checkpointChoice, SKIP_CHECKPOINTS_VARIABLE } from "./checkpoints";
import { DEFAULT_PARALLEL, MAX_PARALLEL, PROGRAM, SUBCOMMANDS, subcommandSpec } from "./commandLine";
import { configRepoProgram, KINDS, loadConfigRepo, type Kind } from "./configRepo";
import { deploy, secretValuesFrom, type Operation } from "./deploy";
import { detectDrift, renderTable } from "./drift";
import { violationLines } from "./policyViolations";
import { exportAssignments, exportTenant, type PolicyRef } from "./export";
import { graphClientFor } from "./graphSettings";
import { parseOptions, programUsage, subcommandUsage, UsageError, type OptionValues } from "./options";
import { openProgramStack, selectStack, type StackLocation } from "./workspace";

/** A parsed command line: the subcommand (absent for the program's own --help) and its option values. */
export interface ParsedArgs {
    readonly command?: string;
    readonly values: OptionValues;
}

/** The program's help: every subcommand with its synopses. */
export const USAGE = programUsage(PROGRAM, SUBCOMMANDS);

/**
 * Exit code of a command line that does not parse: 1, the code of every error. Not 2, which drift reserves for
 * "drift found": a pipeline must never read a mistyped option as drift.
 */
export const USAGE_EXIT_CODE = 1;

/**
 * Parses `<subcommand> [options]` against the subcommand's table (`--flag value`, `--flag=value`, `-s value`,
 * booleans, repeatable options). `--help`/`-h` alone is the program's help.
 * @throws UsageError on an unknown subcommand or option, a missing value, a single option given twice, a stray argument.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
    const [first, ...rest] = argv;
    if (first === undefined) throw new UsageError(`${PROGRAM}: no subcommand; expected one of ${SUBCOMMANDS.map((s) => s.name).join(", ")} (see ${PROGRAM} --help)`);
    if (first === "--help" || first === "-h") {
        if (rest.length > 0) throw new UsageError(`${PROGRAM}: --help takes nothing after it; for a subcommand's options: ${PROGRAM} <subcommand> --help`);
        return { values: { help: true } };
    }
    const spec = subcommandSpec(first);
    if (spec === undefined) {
        const names = SUBCOMMANDS.map((s) => s.name).join(", ");
        if (first.startsWith("-")) throw new UsageError(`${PROGRAM}: ${first} before the subcommand; the subcommand (one of ${names}) comes first (see ${PROGRAM} --help)`);
        throw new UsageError(`${PROGRAM}: unknown subcommand "${first}"; expected one of ${names} (see ${PROGRAM} --help)`);
    }
    return { command: spec.name, values: parseOptions(PROGRAM, spec, rest) };
}

/** A string option's value. */
function text(values: OptionValues, name: string): string | undefined {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
}

/** A repeatable option's values, in order (none: empty). */
function list(values: OptionValues, name: string): string[] {
    const value = values[name];
    return Array.isArray(value) ? [...(value as readonly string[])] : [];
}

/** Whether a boolean option was given. */
function given(values: OptionValues, name: string): boolean {
    return values[name] === true;
}

/** `--parallel <n>`: a whole number from 1 to MAX_PARALLEL; absent, DEFAULT_PARALLEL. */
export function parallelFlag(value: string | undefined): number {
    if (value === undefined) return DEFAULT_PARALLEL;
    const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PARALLEL) {
        throw new UsageError(`--parallel expects a whole number from 1 to ${MAX_PARALLEL}, got "${value}"`);
    }
    return n;
}

/** `--config msgraph:key=value` flags as a map; keys without a namespace get `msgraph:`. */
export function configFlags(values: readonly string[] = []): Record<string, string> {
    const out: Record<string, string> = {};
    for (const item of values) {
        const eq = item.indexOf("=");
        if (eq <= 0) throw new Error(`--config expects <key>=<value>, got "${item.split("=")[0]}"`);
        const key = item.slice(0, eq);
        out[key.includes(":") ? key : `msgraph:${key}`] = item.slice(eq + 1);
    }
    return out;
}

/** `Kind:policyId` → PolicyRef. */
export function parsePolicyRef(value: string): PolicyRef {
    const [kind, policyId, ...rest] = value.split(":");
    if (!kind || !policyId || rest.length > 0 || !(KINDS as readonly string[]).includes(kind)) {
        throw new Error(`--policy expects <Kind>:<policyId> with Kind one of ${KINDS.join(", ")}`);
    }
    return { kind: kind as Kind, policyId };
}

/** Where the stack lives, from --stack, --work-dir (default: the current folder), --backend-url and --pulumi. */
export function stackLocation(values: OptionValues): StackLocation {
    const stackName = text(values, "stack");
    if (stackName === undefined) throw new Error("--stack is required");
    const backendUrl = text(values, "backend-url");
    const pulumiRoot = text(values, "pulumi");
    return {
        stackName,
        workDir: path.resolve(text(values, "work-dir") ?? process.cwd()),
        ...(backendUrl !== undefined ? { backendUrl } : {}),
        ...(pulumiRoot !== undefined ? { pulumiRoot } : {}),
    };
}

/** `msgraph:*` keys whose values are credentials: stored as Pulumi secrets and never echoed. */
const SECRET_CONFIG_KEYS = new Set(["msgraph:clientSecret", "msgraph:clientCertificatePem", "msgraph:clientCertificatePassword"]);

function writeSummaryFile(file: string | undefined, summary: ChangeSummary, secrets: readonly string[]): void {
    if (file === undefined) return;
    const target = path.resolve(file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, redactSecrets(renderChangeMarkdown(summary), secrets));
}

/** preview / up: validate the repository, run it on the stack, print the summary line, write the summary file. */
async function runDeployCommand(
    operation: Operation,
    values: OptionValues,
    out: NodeJS.WritableStream,
    err: NodeJS.WritableStream,
): Promise<number> {
    const location = stackLocation(values);
    const repoDir = path.resolve(text(values, "repo") ?? location.workDir);
    const summaryFile = text(values, "summary-file");
    const config = configFlags(list(values, "config"));
    const policyPacks = list(values, "policy-pack");
    const quiet = given(values, "quiet");
    const parallel = parallelFlag(text(values, "parallel"));
    const secrets = secretValuesFrom(process.env, Object.entries(config).filter(([k]) => SECRET_CONFIG_KEYS.has(k)).map(([, v]) => v));
    const finish = (summary: ChangeSummary, exitCode: number) => {
        writeSummaryFile(summaryFile, summary, secrets);
        for (const line of violationLines(summary.policyViolations)) err.write(`${PROGRAM} ${operation}: ${line}\n`);
        for (const line of summary.errors ?? []) err.write(`${PROGRAM} ${operation}: ${line}\n`);
        out.write(given(values, "json") ? `${JSON.stringify(summary, null, 2)}\n` : `${summaryLine(summary)}\n`);
        return exitCode;
    };
    for (const dir of policyPacks) {
        if (!existsSync(path.join(path.resolve(dir), "PulumiPolicy.yaml"))) {
            throw new Error(`--policy-pack ${dir}: no PulumiPolicy.yaml there; expected a policy pack folder such as node_modules/pulumi-msgraph-assignments/policy-pack`);
        }
    }
    // Invalid YAML fails here in a second, with every problem listed, before any engine or Graph call.
    const repo = loadConfigRepo(repoDir, { stack: location.stackName });
    if (repo.errors.length > 0 || repo.files.length === 0) {
        const errors = repo.files.length === 0 ? [`no assignment files (*.yaml) in ${repoDir} or ${path.join(repoDir, "assignments")}`] : repo.errors.map((e) => e.message);
        return finish({ operation, stack: location.stackName, changes: [], unchanged: 0, errors }, 1);
    }
    const stack = await openProgramStack(location, configRepoProgram(repoDir));
    if (operation === "up") {
        const choice = checkpointChoice({ assignments: repo.entries.length, checkpointsFlag: given(values, "checkpoints"), env: process.env });
        if (choice.skipCheckpoints !== undefined) {
            stack.workspace.envVars[SKIP_CHECKPOINTS_VARIABLE] = choice.skipCheckpoints;
            if (!quiet) err.write(`${PROGRAM} up: ${choice.reason}\n`);
        }
    }
    if (Object.keys(config).length > 0) {
        await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, value]) => [k, { value, secret: SECRET_CONFIG_KEYS.has(k) }])));
    }
    const result = await deploy({
        stack,
        operation,
        refresh: given(values, "refresh"),
        diff: given(values, "diff"),
        parallel,
        stopOnError: given(values, "stop-on-error"),
        secrets,
        policyPacks: policyPacks.map((dir) => path.resolve(dir)),
        policyPackConfigs: list(values, "policy-pack-config").map((file) => path.resolve(file)),
        ...(quiet ? {} : { onOutput: (chunk: string) => out.write(chunk) }),
    });
    return finish(result.summary, result.exitCode);
}

/** drift: read every assignment of the stack's state from Graph, print the table, write the reports. */
async function runDrift(values: OptionValues, out: NodeJS.WritableStream, err: NodeJS.WritableStream, progress: (message: string) => void): Promise<number> {
    const stack = await selectStack(stackLocation(values));
    const reportDir = text(values, "report-dir");
    const result = await detectDrift({
        stack,
        config: configFlags(list(values, "config")),
        onProgress: progress,
        ...(reportDir !== undefined ? { reportDir } : {}),
    });
    if (result.exitCode === 1 || result.report === undefined) {
        err.write(`${PROGRAM} drift: ${result.error ?? "failed"}\n`);
        return 1;
    }
    out.write(given(values, "json") ? `${JSON.stringify(result.report, null, 2)}\n` : renderTable(result.report));
    if (result.files) progress(`reports: ${result.files.json}, ${result.files.markdown}`);
    return result.exitCode;
}

/** export: the live assignments of some policies (--policy) or of the whole tenant (--all) as config-repo files. */
async function runExport(values: OptionValues, out: NodeJS.WritableStream, progress: (message: string) => void): Promise<number> {
    if (given(values, "all")) {
        if (values.policy !== undefined) throw new Error("give either --all or --policy, not both");
        const outDir = text(values, "out-dir");
        if (outDir === undefined) throw new Error("--all needs --out-dir <repo dir>");
        const kinds = list(values, "kind").map((kind) => {
            if (!(KINDS as readonly string[]).includes(kind)) throw new Error(`--kind ${kind}: expected one of ${KINDS.join(", ")}`);
            return kind as Kind;
        });
        await exportTenant({
            client: graphClientFor(configFlags(list(values, "config"))),
            outDir: path.resolve(outDir),
            onProgress: progress,
            ...(kinds.length > 0 ? { kinds } : {}),
        });
        return 0;
    }
    const policies = list(values, "policy").map(parsePolicyRef);
    if (policies.length === 0) throw new Error("give at least one --policy <Kind>:<policyId>");
    const outFile = text(values, "out");
    const client = graphClientFor(configFlags(list(values, "config")));
    const result = await exportAssignments({
        client,
        policies,
        onProgress: progress,
        ...(outFile !== undefined ? { outFile: path.resolve(outFile) } : {}),
    });
    if (outFile === undefined) out.write(result.yaml);
    return 0;
}

/** Runs the command line; resolves to the exit code. Output goes to the given streams. */
export async function main(
    argv: readonly string[],
    out: NodeJS.WritableStream = process.stdout,
    err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
    let args: ParsedArgs;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (!UsageError.isUsageError(e)) throw e;
        err.write(`${e.message}\n`);
        return USAGE_EXIT_CODE;
    }
    const spec = args.command === undefined ? undefined : subcommandSpec(args.command);
    if (given(args.values, "help")) {
        out.write(spec === undefined ? USAGE : subcommandUsage(PROGRAM, spec));
        return 0;
    }
    const quiet = given(args.values, "quiet");
    const progress = (message: string) => {
        if (!quiet) err.write(`${message}\n`);
    };
    try {
        switch (args.command) {
            case "preview":
            case "up":
                return await runDeployCommand(args.command, args.values, out, err);
            case "drift":
                return await runDrift(args.values, out, err, progress);
            case "export":
                return await runExport(args.values, out, progress);
            default:
                throw new Error(`no runner for subcommand ${String(args.command)}`);
        }
    } catch (e) {
        err.write(`${PROGRAM} ${args.command}: ${(e as Error).message}\n`);
        return 1;
    } finally {
        resetSharedGraphClients();
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`${PROGRAM}: ${(e as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
