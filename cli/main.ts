#!/usr/bin/env node
/**
 * `msgraph-assignments` — the command line of pulumi-msgraph-assignments.
 *
 *   msgraph-assignments preview --stack <name> [--work-dir <project dir>] [--repo <config repo>] [--summary-file <file.md>] [--refresh] [--diff] [--policy-pack <dir>]…
 *   msgraph-assignments up      --stack <name> [--work-dir <project dir>] [--repo <config repo>] [--summary-file <file.md>] [--refresh] [--policy-pack <dir>]…
 *   msgraph-assignments drift  --stack <name> [--work-dir <project dir>] [--report-dir <dir>] [--config msgraph:key=value]… [--quiet]
 *   msgraph-assignments export --policy <Kind>:<policyId>… --out <file.yaml> [--config msgraph:key=value]… [--quiet]
 *   msgraph-assignments export --all [--kind <Kind>]… --out-dir <repo dir> [--config msgraph:key=value]… [--quiet]
 *
 * preview and up run the config repository as an inline program (no hand-written program, no language host) and exit
 * 0 or 1. drift exits 0 (no drift), 2 (drift) or 1 (error). Stacks are reached as the Pulumi CLI would: the project folder
 * (`--work-dir`, default the current folder, with Pulumi.yaml and Pulumi.<stack>.yaml) and the backend from
 * PULUMI_BACKEND_URL or `--backend-url`; secrets need PULUMI_CONFIG_PASSPHRASE as usual. export takes Graph settings
 * from `--config` and the AZURE_* / MSGRAPH_BASE_URL environment variables (see the README's configuration).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { redactSecrets, resetSharedGraphClients } from "../provider/graph";
import { renderChangeMarkdown, summaryLine, type ChangeSummary } from "./changeSummary";
import { checkpointChoice, SKIP_CHECKPOINTS_ABOVE, SKIP_CHECKPOINTS_VARIABLE } from "./checkpoints";
import { configRepoProgram, KINDS, loadConfigRepo, type Kind } from "./configRepo";
import { deploy, secretValuesFrom, type Operation } from "./deploy";
import { detectDrift, renderTable } from "./drift";
import { violationLines } from "./policyViolations";
import { exportAssignments, exportTenant, type PolicyRef } from "./export";
import { graphClientFor } from "./graphSettings";
import { openProgramStack, selectStack, type StackLocation } from "./workspace";

export interface ParsedArgs {
    readonly command?: string;
    readonly flags: Readonly<Record<string, string[]>>;
}

const VALUE_FLAGS = new Set(["stack", "work-dir", "report-dir", "config", "backend-url", "policy", "out", "pulumi", "repo", "summary-file", "policy-pack", "policy-pack-config", "kind", "out-dir"]);
const BOOL_FLAGS = new Set(["quiet", "help", "json", "refresh", "diff", "all", "checkpoints"]);

export const USAGE = `usage:
  msgraph-assignments preview --stack <name> [--work-dir <project dir>] [--repo <config repo dir>] [--backend-url <url>]
                              [--config msgraph:<key>=<value>]... [--refresh] [--diff] [--summary-file <file.md>] [--json] [--quiet]
                              [--policy-pack <dir>]... [--policy-pack-config <file.json>]...
  msgraph-assignments up      (same options as preview) [--checkpoints]
      Runs the config repository (--repo, default the project folder) as the stack's program: preview plans, up
      applies. The stack is created when the backend has none. --refresh reads Graph first so out-of-band changes are
      put back; --config is saved to the stack's config like \`pulumi config set\`. --summary-file writes the changes
      per assignment as Markdown (a PR comment, $GITHUB_STEP_SUMMARY). --policy-pack runs a Pulumi policy pack
      (e.g. node_modules/pulumi-msgraph-assignments/policy-pack) and lists its violations there too; a mandatory
      violation fails the command (up previews first, so nothing is written). Exit 0: success, 1: failure.
      up skips the engine's intermediate checkpoints (PULUMI_SKIP_CHECKPOINTS=true) when the repository holds more
      than ${SKIP_CHECKPOINTS_ABOVE} assignments, unless PULUMI_SKIP_CHECKPOINTS is set; --checkpoints keeps them.
  msgraph-assignments drift  --stack <name> [--work-dir <project dir>] [--backend-url <url>] [--report-dir <dir>]
                             [--config msgraph:<key>=<value>]... [--json] [--quiet]
      Compares every assignment in the stack's state with live Graph. Exit 0: no drift, 2: drift, 1: error.
      Writes drift-report.json and drift-report.md (for a PR comment) to --report-dir.
  msgraph-assignments export --policy <Kind>:<policyId> [--policy ...] --out <repo>/assignments/<file>.yaml
                             [--config msgraph:<key>=<value>]... [--quiet]
      Writes a config-repo file adopting the live assignments of the policies. Kinds: ${KINDS.join(", ")}.
  msgraph-assignments export --all [--kind <Kind>]... --out-dir <repo dir> [--config msgraph:<key>=<value>]... [--quiet]
      Every policy of every kind (or of the --kind ones), one <repo dir>/assignments/<Kind>.yaml per kind; policies,
      groups and filters by name where the name is unique in the tenant (ids as comments), else by id saying why.
      Progress on stderr: [i/n] <kind>: <policy name>.
`;

/** Parses `<command> --flag value --flag=value --bool`; throws on unknown flags or missing values. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
    const flags: Record<string, string[]> = {};
    let command: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (!arg.startsWith("--")) {
            if (command !== undefined) throw new Error(`unexpected argument "${arg}"`);
            command = arg;
            continue;
        }
        const eq = arg.indexOf("=");
        const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
        if (BOOL_FLAGS.has(name)) {
            (flags[name] ??= []).push("true");
        } else if (VALUE_FLAGS.has(name)) {
            const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
            if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new Error(`--${name} needs a value`);
            (flags[name] ??= []).push(value);
        } else {
            throw new Error(`unknown option --${name}`);
        }
    }
    return { ...(command !== undefined ? { command } : {}), flags };
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

function one(flags: ParsedArgs["flags"], name: string): string | undefined {
    const values = flags[name];
    if (values !== undefined && values.length > 1) throw new Error(`--${name} given more than once`);
    return values?.[0];
}

/** Where the stack lives, from --stack, --work-dir (default: the current folder), --backend-url and --pulumi. */
export function stackLocation(flags: ParsedArgs["flags"]): StackLocation {
    const stackName = one(flags, "stack");
    if (stackName === undefined) throw new Error("--stack is required");
    const backendUrl = one(flags, "backend-url");
    const pulumiRoot = one(flags, "pulumi");
    return {
        stackName,
        workDir: path.resolve(one(flags, "work-dir") ?? process.cwd()),
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
    flags: ParsedArgs["flags"],
    out: NodeJS.WritableStream,
    err: NodeJS.WritableStream,
): Promise<number> {
    const location = stackLocation(flags);
    const repoDir = path.resolve(one(flags, "repo") ?? location.workDir);
    const summaryFile = one(flags, "summary-file");
    const config = configFlags(flags.config);
    const secrets = secretValuesFrom(process.env, Object.entries(config).filter(([k]) => SECRET_CONFIG_KEYS.has(k)).map(([, v]) => v));
    const finish = (summary: ChangeSummary, exitCode: number) => {
        writeSummaryFile(summaryFile, summary, secrets);
        for (const line of violationLines(summary.policyViolations)) err.write(`msgraph-assignments ${operation}: ${line}\n`);
        for (const line of summary.errors ?? []) err.write(`msgraph-assignments ${operation}: ${line}\n`);
        out.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : `${summaryLine(summary)}\n`);
        return exitCode;
    };
    for (const dir of flags["policy-pack"] ?? []) {
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
        const choice = checkpointChoice({ assignments: repo.entries.length, checkpointsFlag: flags.checkpoints !== undefined, env: process.env });
        if (choice.skipCheckpoints !== undefined) {
            stack.workspace.envVars[SKIP_CHECKPOINTS_VARIABLE] = choice.skipCheckpoints;
            if (flags.quiet === undefined) err.write(`msgraph-assignments up: ${choice.reason}\n`);
        }
    }
    if (Object.keys(config).length > 0) {
        await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, value]) => [k, { value, secret: SECRET_CONFIG_KEYS.has(k) }])));
    }
    const result = await deploy({
        stack,
        operation,
        refresh: flags.refresh !== undefined,
        diff: flags.diff !== undefined,
        secrets,
        policyPacks: (flags["policy-pack"] ?? []).map((dir) => path.resolve(dir)),
        policyPackConfigs: (flags["policy-pack-config"] ?? []).map((file) => path.resolve(file)),
        ...(flags.quiet === undefined ? { onOutput: (text: string) => out.write(text) } : {}),
    });
    return finish(result.summary, result.exitCode);
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
        err.write(`msgraph-assignments: ${(e as Error).message}\n${USAGE}`);
        return 1;
    }
    if (args.flags.help || args.command === undefined) {
        (args.flags.help ? out : err).write(USAGE);
        return args.flags.help ? 0 : 1;
    }
    const quiet = args.flags.quiet !== undefined;
    const progress = (message: string) => {
        if (!quiet) err.write(`${message}\n`);
    };
    try {
        switch (args.command) {
            case "preview":
            case "up":
                return await runDeployCommand(args.command, args.flags, out, err);
            case "drift": {
                const stack = await selectStack(stackLocation(args.flags));
                const reportDir = one(args.flags, "report-dir");
                const result = await detectDrift({
                    stack,
                    config: configFlags(args.flags.config),
                    onProgress: progress,
                    ...(reportDir !== undefined ? { reportDir } : {}),
                });
                if (result.exitCode === 1 || result.report === undefined) {
                    err.write(`msgraph-assignments drift: ${result.error ?? "failed"}\n`);
                    return 1;
                }
                out.write(args.flags.json ? `${JSON.stringify(result.report, null, 2)}\n` : renderTable(result.report));
                if (result.files) progress(`reports: ${result.files.json}, ${result.files.markdown}`);
                return result.exitCode;
            }
            case "export": {
                if (args.flags.all !== undefined) {
                    if (args.flags.policy !== undefined) throw new Error("give either --all or --policy, not both");
                    const outDir = one(args.flags, "out-dir");
                    if (outDir === undefined) throw new Error("--all needs --out-dir <repo dir>");
                    const kinds = (args.flags.kind ?? []).map((kind) => {
                        if (!(KINDS as readonly string[]).includes(kind)) throw new Error(`--kind ${kind}: expected one of ${KINDS.join(", ")}`);
                        return kind as Kind;
                    });
                    await exportTenant({
                        client: graphClientFor(configFlags(args.flags.config)),
                        outDir: path.resolve(outDir),
                        onProgress: progress,
                        ...(kinds.length > 0 ? { kinds } : {}),
                    });
                    return 0;
                }
                const policies = (args.flags.policy ?? []).map(parsePolicyRef);
                if (policies.length === 0) throw new Error("give at least one --policy <Kind>:<policyId>");
                const outFile = one(args.flags, "out");
                const client = graphClientFor(configFlags(args.flags.config));
                const result = await exportAssignments({
                    client,
                    policies,
                    onProgress: progress,
                    ...(outFile !== undefined ? { outFile: path.resolve(outFile) } : {}),
                });
                if (outFile === undefined) out.write(result.yaml);
                return 0;
            }
            default:
                err.write(`msgraph-assignments: unknown command "${args.command}"\n${USAGE}`);
                return 1;
        }
    } catch (e) {
        err.write(`msgraph-assignments ${args.command}: ${(e as Error).message}\n`);
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
            process.stderr.write(`msgraph-assignments: ${(e as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
