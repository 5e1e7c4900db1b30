/**
 * The subcommands of `msgraph-assignments` and their options, as data (see ./options): the parser, every `--help`
 * and docs/cli.md are generated from these tables.
 */
import { SKIP_CHECKPOINTS_ABOVE } from "./checkpoints";
import { KINDS } from "./configRepo";
import { HELP_OPTION, type OptionSpec, type SubcommandSpec } from "./options";

export const PROGRAM = "msgraph-assignments";

/**
 * preview/up's default --parallel. Changes to one policy merge into one write only while they are in the provider
 * together, and the engine hands over at most --parallel of them at once: at the engine's own default (8, four per
 * core) an `assign`-strategy up of 200 changes over 10 policies sends about three times the writes it sends at 64.
 * Reads and writes still go through the provider's batching and throttle handling, so 64 is not 64 requests at once.
 */
export const DEFAULT_PARALLEL = 64;
/** The largest --parallel taken: above it the engine's own overhead, not Graph, sets the pace. */
export const MAX_PARALLEL = 1000;

const stack: OptionSpec = { name: "stack", type: "string", short: "s", valueName: "<name>", required: true, description: "The Pulumi stack." };
const workDir: OptionSpec = {
    name: "work-dir",
    type: "string",
    valueName: "<project dir>",
    default: "the current folder",
    description: "The Pulumi project folder, with Pulumi.yaml and Pulumi.<stack>.yaml.",
};
const backendUrl: OptionSpec = {
    name: "backend-url",
    type: "string",
    valueName: "<url>",
    default: "PULUMI_BACKEND_URL, else as the Pulumi CLI finds it",
    description: "The Pulumi backend holding the stack's state; secrets need PULUMI_CONFIG_PASSPHRASE as usual.",
};
const pulumiRoot: OptionSpec = {
    name: "pulumi",
    type: "string",
    valueName: "<install dir>",
    default: "this repository's recorded build (npm run setup), else pulumi on PATH",
    description: "Install root of the Pulumi CLI to run (its bin/pulumi).",
};
const config: OptionSpec = {
    name: "config",
    type: "string",
    multiple: true,
    valueName: "msgraph:<key>=<value>",
    description: "A Graph setting (a key without a namespace gets msgraph:); see docs/configuration.md.",
};
const json: OptionSpec = { name: "json", type: "boolean", description: "Prints the result as JSON instead of a line or a table." };
const quiet: OptionSpec = { name: "quiet", type: "boolean", short: "q", description: "Prints no progress or engine output, only the result." };

const deployOptions: readonly OptionSpec[] = [
    { ...stack, description: "The Pulumi stack (created when the backend has none)." },
    workDir,
    { name: "repo", type: "string", valueName: "<config repo dir>", default: "the project folder, --work-dir", description: "The config repository to run as the stack's program." },
    backendUrl,
    pulumiRoot,
    { ...config, description: `${config.description} Saved to the stack's config like \`pulumi config set\` (credentials as secrets).` },
    { name: "refresh", type: "boolean", description: "Reads Graph first, so that out-of-band changes are put back." },
    { name: "diff", type: "boolean", description: "Shows the property-level diff in the engine's output (pulumi --diff)." },
    {
        name: "parallel",
        type: "string",
        valueName: "<n>",
        default: String(DEFAULT_PARALLEL),
        description: `How many assignments the engine works on at once (pulumi --parallel), 1 to ${MAX_PARALLEL}. Changes to one policy that are in flight together share one assign write.`,
    },
    { name: "summary-file", type: "string", valueName: "<file.md>", description: "Writes the changes per assignment as Markdown (a PR comment, $GITHUB_STEP_SUMMARY)." },
    {
        name: "policy-pack",
        type: "string",
        multiple: true,
        valueName: "<dir>",
        description: "Runs a Pulumi policy pack (e.g. node_modules/pulumi-msgraph-assignments/policy-pack) and lists its violations; a mandatory violation fails the command.",
    },
    { name: "policy-pack-config", type: "string", multiple: true, valueName: "<file.json>", description: "A JSON config file of the policy packs (pulumi --policy-pack-config)." },
    json,
    quiet,
];

const preview: SubcommandSpec = {
    name: "preview",
    summary: "Previews the config repository on the stack: what up would change. Exit 0: success, 1: failure.",
    description:
        "Runs the config repository (--repo, default the project folder) as the stack's program, as an inline program (no hand-written program, no language host), and plans. A repository that does not load fails in a second, every problem listed, before any engine or Graph call. Exit 0: success, 1: failure.",
    options: [...deployOptions, HELP_OPTION],
};

const up: SubcommandSpec = {
    name: "up",
    summary: "Applies the config repository to the stack. Exit 0: success, 1: failure.",
    description: `Runs the config repository as the stack's program and applies it (with --policy-pack it previews first, so a mandatory violation writes nothing). An assignment that fails does not stop the others (see --stop-on-error). Skips the engine's intermediate checkpoints (PULUMI_SKIP_CHECKPOINTS=true) when the repository holds more than ${SKIP_CHECKPOINTS_ABOVE} assignments, unless PULUMI_SKIP_CHECKPOINTS is set or --checkpoints is given. Exit 0: success, 1: failure.`,
    options: [
        ...deployOptions,
        { name: "checkpoints", type: "boolean", description: `Keeps the engine's intermediate checkpoints above ${SKIP_CHECKPOINTS_ABOVE} assignments.` },
        {
            name: "stop-on-error",
            type: "boolean",
            description: "Stops at the first failed assignment, as pulumi up does. Without it the others are still applied (pulumi --continue-on-error) and the command exits 1.",
        },
        HELP_OPTION,
    ],
};

const drift: SubcommandSpec = {
    name: "drift",
    summary: "Compares every assignment in the stack's state with live Graph. Exit 0: no drift, 2: drift, 1: error.",
    description:
        "Reads every assignment in the stack's state from Graph the way pulumi refresh would, and prints a table of what drifted. References (the SDK's get) are skipped. Exit 0: no drift, 2: drift (or a command line that does not parse), 1: error.",
    options: [
        stack,
        workDir,
        backendUrl,
        pulumiRoot,
        { name: "report-dir", type: "string", valueName: "<dir>", description: "Writes drift-report.json and drift-report.md (for a PR comment) there." },
        { ...config, description: `${config.description} Overrides the stack's config for this run (e.g. a read-only identity).` },
        json,
        quiet,
        HELP_OPTION,
    ],
};

const exportCommand: SubcommandSpec = {
    name: "export",
    summary: "Writes config-repo files adopting live assignments: of some policies, or of the whole tenant.",
    description: `With --policy: one config-repo file adopting the live assignments of the policies (to --out, else stdout). With --all: every policy of every kind (or of the --kind ones), one <repo dir>/assignments/<Kind>.yaml per kind; policies, groups and filters by name where the name is unique in the tenant (ids as comments), else by id saying why; progress on stderr. Graph settings come from --config and the AZURE_* / MSGRAPH_BASE_URL environment variables. Kinds: ${KINDS.join(", ")}.`,
    synopses: [
        "--policy <Kind>:<policyId>... --out <repo>/assignments/<file>.yaml [options]",
        "--all [--kind <Kind>]... --out-dir <repo dir> [options]",
    ],
    options: [
        { name: "policy", type: "string", multiple: true, valueName: "<Kind>:<policyId>", description: "A policy whose assignments to export." },
        { name: "out", type: "string", valueName: "<file.yaml>", default: "stdout", description: "The file --policy writes, e.g. <repo>/assignments/<file>.yaml." },
        { name: "all", type: "boolean", description: "Exports every policy of the tenant (with --out-dir)." },
        { name: "kind", type: "string", multiple: true, valueName: "<Kind>", default: "every kind", description: "With --all: only this kind." },
        { name: "out-dir", type: "string", valueName: "<repo dir>", description: "The config repository --all writes into (its assignments/ folder)." },
        config,
        quiet,
        HELP_OPTION,
    ],
};

/** Every subcommand, in the order help lists them. */
export const SUBCOMMANDS: readonly SubcommandSpec[] = [preview, up, drift, exportCommand];

/** The table of a subcommand, or undefined when there is none of that name. */
export function subcommandSpec(name: string): SubcommandSpec | undefined {
    return SUBCOMMANDS.find((s) => s.name === name);
}
