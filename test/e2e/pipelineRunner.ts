/**
 * A faithful subset of the GitHub Actions and Azure DevOps runners, enough to run the example pipelines' own script
 * steps on this machine: which jobs an event selects (`if:` / `condition:` expressions), each step's environment
 * (workflow → job → step `env:`, `${{ vars.* }}` / `${{ secrets.* }}` / `$(variable)` resolved), the step conditions
 * (`always()`), and the scripts run with bash as the runners run them. Steps that install tools or sign in
 * (`uses:`, NodeTool, the Pulumi install script, `npm ci`, AzureCLI@2's own az login) are not run: each is reported
 * as skipped with the reason. Anything the subset does not understand throws, so the example cannot drift into
 * syntax the test silently ignores.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runProcess } from "../support/runProcess";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const asObj = (v: unknown, what: string): Obj => {
    if (!isObj(v)) throw new Error(`${what} must be a mapping`);
    return v;
};

/** One step as the test runs it. */
export interface PlannedStep {
    readonly name: string;
    /** Set when the step is not run here, with the reason. */
    readonly skipped?: string;
    readonly script?: string;
    /** "bash -e" for GitHub's default shell, plain bash for Azure DevOps script steps. */
    readonly shell: readonly string[];
    readonly env: Record<string, string>;
    readonly runWhen: "success" | "always";
    /** Paths an upload/publish step would upload (resolved). */
    readonly artifacts?: readonly string[];
}

export interface StepResult {
    readonly name: string;
    readonly skipped?: string;
    /** Undefined when the step did not run (skipped, or an earlier step failed). */
    readonly exitCode?: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly artifacts?: readonly string[];
}

export interface JobResult {
    readonly succeeded: boolean;
    readonly steps: readonly StepResult[];
}

// ---------------------------------------------------------------- expressions

type Token = { kind: "str" | "op" | "ident"; text: string };

function tokenize(expr: string): Token[] {
    const re = /\s*(?:('(?:[^']|'')*')|(&&|\|\||==|!=|[(),[\]])|([A-Za-z_][\w.-]*))/y;
    const tokens: Token[] = [];
    let pos = 0;
    while (pos < expr.length) {
        if (/^\s*$/.test(expr.slice(pos))) break;
        re.lastIndex = pos;
        const m = re.exec(expr);
        if (!m) throw new Error(`cannot read the expression "${expr}" at "${expr.slice(pos)}"`);
        pos = re.lastIndex;
        if (m[1] !== undefined) tokens.push({ kind: "str", text: m[1].slice(1, -1).replace(/''/g, "'") });
        else if (m[2] !== undefined) tokens.push({ kind: "op", text: m[2] });
        else tokens.push({ kind: "ident", text: m[3]! });
    }
    return tokens;
}

/** GitHub `if:` with `==`, `!=`, `&&`, `||`, parentheses, string literals and `github.*` values. */
export function evaluateGitHubIf(expression: string, github: Readonly<Record<string, string>>): boolean {
    const tokens = tokenize(expression.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1"));
    let i = 0;
    const peek = () => tokens[i];
    const take = (text?: string) => {
        const t = tokens[i++];
        if (t === undefined || (text !== undefined && t.text !== text)) throw new Error(`unexpected end or token in "${expression}"`);
        return t;
    };
    const value = (): string | boolean => {
        const t = take();
        if (t.text === "(") {
            const v = or();
            take(")");
            return v;
        }
        if (t.kind === "str") return t.text;
        if (t.kind === "ident" && t.text.startsWith("github.")) {
            const v = github[t.text.slice("github.".length)];
            if (v === undefined) throw new Error(`the test runner has no value for ${t.text}`);
            return v;
        }
        throw new Error(`unsupported term "${t.text}" in "${expression}"`);
    };
    const compare = (): string | boolean => {
        const left = value();
        const op = peek();
        if (op?.text === "==" || op?.text === "!=") {
            take();
            const right = value();
            return op.text === "==" ? left === right : left !== right;
        }
        return left;
    };
    const and = (): string | boolean => {
        let v = compare();
        while (peek()?.text === "&&") {
            take();
            const r = compare();
            v = Boolean(v) && Boolean(r);
        }
        return v;
    };
    const or = (): string | boolean => {
        let v = and();
        while (peek()?.text === "||") {
            take();
            const r = and();
            v = Boolean(v) || Boolean(r);
        }
        return v;
    };
    const result = or();
    if (i !== tokens.length) throw new Error(`trailing tokens in "${expression}"`);
    return Boolean(result);
}

/** Azure DevOps `condition:` with and/or/not/eq/ne/in/always/succeeded and `variables['Name']`. */
export function evaluateAdoCondition(expression: string, variables: Readonly<Record<string, string>>): boolean {
    const tokens = tokenize(expression);
    let i = 0;
    const take = (text?: string) => {
        const t = tokens[i++];
        if (t === undefined || (text !== undefined && t.text !== text)) throw new Error(`unexpected end or token in "${expression}"`);
        return t;
    };
    const lookup = (name: string) => {
        const key = Object.keys(variables).find((k) => k.toLowerCase() === name.toLowerCase());
        if (key === undefined) throw new Error(`the test runner has no variable ${name}`);
        return variables[key]!;
    };
    const term = (): string | boolean => {
        const t = take();
        if (t.kind === "str") return t.text;
        if (t.text === "variables") {
            take("[");
            const name = take().text;
            take("]");
            return lookup(name);
        }
        if (t.kind !== "ident") throw new Error(`unsupported term "${t.text}" in "${expression}"`);
        take("(");
        const args: (string | boolean)[] = [];
        while (tokens[i]?.text !== ")") {
            args.push(term());
            if (tokens[i]?.text === ",") take(",");
        }
        take(")");
        const eq = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase(); // ADO compares ignoring case
        switch (t.text.toLowerCase()) {
            case "and":
                return args.every(Boolean);
            case "or":
                return args.some(Boolean);
            case "not":
                return !args[0];
            case "eq":
                return eq(args[0], args[1]);
            case "ne":
                return !eq(args[0], args[1]);
            case "in":
                return args.slice(1).some((a) => eq(args[0], a));
            case "always":
            case "succeeded":
                return true; // evaluated before anything ran
            default:
                throw new Error(`unsupported function ${t.text}() in "${expression}"`);
        }
    };
    const result = term();
    if (i !== tokens.length) throw new Error(`trailing tokens in "${expression}"`);
    return Boolean(result);
}

// ---------------------------------------------------------------- GitHub Actions

export interface GitHubContext {
    /** github.* values the `if:` expressions read (event_name, ref). */
    readonly github: Readonly<Record<string, string>>;
    readonly vars: Readonly<Record<string, string>>;
    readonly secrets: Readonly<Record<string, string>>;
    /** What the runner itself provides (PATH, RUNNER_TEMP, GITHUB_STEP_SUMMARY, ACTIONS_ID_TOKEN_REQUEST_*, …). */
    readonly runnerEnv: Readonly<Record<string, string>>;
    readonly workDir: string;
}

/** `${{ vars.X }}`, `${{ secrets.X }}`, `${{ github.X }}` inside a value; other expressions throw. */
function resolveGitHubValue(value: unknown, ctx: GitHubContext): string {
    return String(value).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
        const m = /^(vars|secrets|github)\.([A-Za-z_][\w.]*)$/.exec(expr);
        if (!m) throw new Error(`unsupported expression \${{ ${expr} }}`);
        const source = m[1] === "vars" ? ctx.vars : m[1] === "secrets" ? ctx.secrets : ctx.github;
        const v = source[m[2]!];
        // GitHub substitutes an empty string for an unknown variable or secret; the test wants to know.
        if (v === undefined) throw new Error(`the test runner has no ${expr}`);
        return v;
    });
}

function resolveEnv(env: unknown, ctx: GitHubContext): Record<string, string> {
    if (env === undefined) return {};
    return Object.fromEntries(Object.entries(asObj(env, "env")).map(([k, v]) => [k, resolveGitHubValue(v, ctx)]));
}

/** Jobs whose `if:` holds for the context's event. */
export function gitHubJobsFor(workflow: Obj, ctx: Pick<GitHubContext, "github">): string[] {
    const jobs = asObj(workflow.jobs, "jobs");
    return Object.keys(jobs).filter((name) => {
        const condition = asObj(jobs[name], `jobs.${name}`).if;
        return condition === undefined || evaluateGitHubIf(String(condition), ctx.github);
    });
}

/** Tool installation the test replaces (the repository's own build and node_modules stand in). */
const INSTALL_SCRIPT = /^\s*npm ci\s*$/;

export function gitHubSteps(workflow: Obj, jobName: string, ctx: GitHubContext): PlannedStep[] {
    const job = asObj(asObj(workflow.jobs, "jobs")[jobName], `jobs.${jobName}`);
    const jobEnv = { ...ctx.runnerEnv, ...resolveEnv(workflow.env, ctx), ...resolveEnv(job.env, ctx) };
    if (!Array.isArray(job.steps)) throw new Error(`jobs.${jobName}.steps must be a list`);
    return job.steps.map((raw: unknown, index: number): PlannedStep => {
        const step = asObj(raw, `jobs.${jobName}.steps[${index}]`);
        const name = String(step.name ?? step.uses ?? step.run ?? `step ${index}`).split("\n")[0]!;
        const condition = step.if === undefined ? undefined : String(step.if);
        if (condition !== undefined && !/^\s*(\$\{\{\s*)?always\(\)(\s*\}\})?\s*$/.test(condition)) {
            throw new Error(`jobs.${jobName}: step "${name}": unsupported if: ${condition}`);
        }
        const runWhen = condition === undefined ? "success" : "always";
        const env = { ...jobEnv, ...resolveEnv(step.env, ctx) };
        const shell = ["bash", "--noprofile", "--norc", "-e"];
        if (typeof step.uses === "string") {
            if (step.uses.startsWith("actions/upload-artifact@")) {
                const with_ = asObj(step.with, `${name}.with`);
                const artifacts = String(with_.path)
                    .split("\n")
                    .map((p) => p.trim())
                    .filter((p) => p !== "")
                    .map((p) => path.resolve(ctx.workDir, p));
                return { name, skipped: `upload (${step.uses}): the test checks the files exist`, shell, env, runWhen, artifacts };
            }
            return { name, skipped: `runner setup (${step.uses})`, shell, env, runWhen };
        }
        if (typeof step.run !== "string") throw new Error(`jobs.${jobName}: step "${name}" has neither uses nor run`);
        if (/\$\{\{/.test(step.run)) throw new Error(`jobs.${jobName}: step "${name}": expressions inside run: (use env:)`);
        if (INSTALL_SCRIPT.test(step.run)) return { name, skipped: "tool install (npm ci): this repository's package is linked instead", shell, env, runWhen };
        return { name, script: step.run, shell, env, runWhen };
    });
}

// ---------------------------------------------------------------- Azure DevOps

export interface AdoContext {
    /** Predefined variables (Build.Reason, Build.SourceBranch, System.AccessToken, Agent.TempDirectory, …). */
    readonly predefined: Readonly<Record<string, string>>;
    /** Variables of the variable groups the pipeline links (secrets among them). */
    readonly groups: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** What the agent provides to every step (PATH, SYSTEM_OIDCREQUESTURI, …). */
    readonly agentEnv: Readonly<Record<string, string>>;
    /** What AzureCLI@2 adds for the service connection (AZURESUBSCRIPTION_*), by connection name. */
    readonly serviceConnections: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly workDir: string;
}

/** Pipeline variables (YAML `variables:` and linked groups) over the predefined ones; secret ones are marked. */
function adoVariables(pipeline: Obj, ctx: AdoContext): { all: Record<string, string>; secret: Set<string>; plain: Record<string, string> } {
    const all: Record<string, string> = { ...ctx.predefined };
    const plain: Record<string, string> = {};
    const secret = new Set<string>(["System.AccessToken"]);
    const list = pipeline.variables;
    if (!Array.isArray(list)) throw new Error("variables must be a list (name/value and group entries)");
    for (const item of list) {
        const v = asObj(item, "variables[]");
        if (typeof v.group === "string") {
            const group = ctx.groups[v.group];
            if (group === undefined) throw new Error(`the test runner has no variable group ${v.group}`);
            for (const [k, value] of Object.entries(group)) {
                all[k] = value;
                secret.add(k); // the group's values are secrets in this pipeline
            }
        } else {
            all[String(v.name)] = String(v.value);
            plain[String(v.name)] = String(v.value);
        }
    }
    return { all, secret, plain };
}

function macro(value: unknown, variables: Record<string, string>): string {
    return String(value).replace(/\$\(([\w.]+)\)/g, (_, name: string) => {
        const key = Object.keys(variables).find((k) => k.toLowerCase() === name.toLowerCase());
        if (key === undefined) throw new Error(`the test runner has no variable $(${name})`);
        return variables[key]!;
    });
}

/** The agent would paste variable values into the script text; a secret would land in the script file and the log. */
function noMacros(script: string, variables: Record<string, string>, where: string): void {
    for (const [, used] of script.matchAll(/\$\(([\w.]+)\)/g)) {
        if (Object.keys(variables).some((k) => k.toLowerCase() === used!.toLowerCase())) throw new Error(`${where}: $(${used}) inside a script (use env:)`);
    }
}

/** Variable name → environment name as the agent maps it: upper case, '.' → '_'. */
const envName = (name: string) => name.toUpperCase().replace(/\./g, "_");

export function adoStagesFor(pipeline: Obj, ctx: AdoContext): string[] {
    const { all } = adoVariables(pipeline, ctx);
    if (!Array.isArray(pipeline.stages)) throw new Error("stages must be a list");
    return pipeline.stages
        .map((s) => asObj(s, "stages[]"))
        .filter((s) => s.condition === undefined || evaluateAdoCondition(String(s.condition), all))
        .map((s) => String(s.stage));
}

function stageSteps(pipeline: Obj, stageName: string): unknown[] {
    const stage = (pipeline.stages as unknown[]).map((s) => asObj(s, "stages[]")).find((s) => s.stage === stageName);
    if (stage === undefined) throw new Error(`no stage ${stageName}`);
    if (!Array.isArray(stage.jobs) || stage.jobs.length !== 1) throw new Error(`stage ${stageName}: one job expected`);
    const job = asObj(stage.jobs[0], `${stageName}.jobs[0]`);
    const steps = job.steps ?? asObj(asObj(asObj(job.strategy, "strategy").runOnce, "runOnce").deploy, "deploy").steps;
    if (!Array.isArray(steps)) throw new Error(`stage ${stageName}: no steps`);
    return steps;
}

export function adoSteps(pipeline: Obj, stageName: string, ctx: AdoContext): PlannedStep[] {
    const { all, plain } = adoVariables(pipeline, ctx);
    // The agent exposes non-secret variables as environment variables; secrets only through a step's env mapping.
    const baseEnv: Record<string, string> = { ...ctx.agentEnv };
    for (const [k, v] of Object.entries({ ...ctx.predefined, ...plain })) if (k !== "System.AccessToken") baseEnv[envName(k)] = v;
    const shell = ["bash", "--noprofile", "--norc"];
    return stageSteps(pipeline, stageName).map((raw, index): PlannedStep => {
        const step = asObj(raw, `${stageName}.steps[${index}]`);
        const name = String(step.displayName ?? step.task ?? step.checkout ?? step.script ?? `step ${index}`).split("\n")[0]!;
        const condition = step.condition === undefined ? undefined : String(step.condition).trim();
        if (condition !== undefined && condition !== "always()") throw new Error(`${stageName}: step "${name}": unsupported condition ${condition}`);
        const runWhen = condition === undefined ? "success" : "always";
        const stepEnv = Object.fromEntries(Object.entries(step.env === undefined ? {} : asObj(step.env, "env")).map(([k, v]) => [k, macro(v, all)]));
        const env = { ...baseEnv, ...stepEnv };
        if (step.checkout !== undefined) return { name: `checkout ${String(step.checkout)}`, skipped: "runner setup (checkout)", shell, env, runWhen };
        if (typeof step.script === "string") {
            noMacros(step.script, all, `${stageName}: step "${name}"`);
            if (INSTALL_SCRIPT.test(step.script)) return { name, skipped: "tool install (npm ci): this repository's package is linked instead", shell, env, runWhen };
            if (/get\.pulumi\.com/.test(step.script)) return { name, skipped: "tool install (Pulumi CLI): this repository's .tools/bin/pulumi is on PATH", shell, env, runWhen };
            return { name, script: step.script, shell, env, runWhen };
        }
        const task = String(step.task);
        const inputs = step.inputs === undefined ? {} : asObj(step.inputs, `${name}.inputs`);
        if (task === "NodeTool@0") return { name, skipped: "tool install (NodeTool@0): Node 24 from this repository's node_modules is on PATH", shell, env, runWhen };
        if (task === "PublishPipelineArtifact@1") {
            return { name, skipped: "publish (PublishPipelineArtifact@1): the test checks the files exist", shell, env, runWhen, artifacts: [macro(inputs.targetPath, all)] };
        }
        if (task === "AzureCLI@2") {
            if (inputs.scriptType !== "bash" || inputs.scriptLocation !== "inlineScript") throw new Error(`${name}: only bash inline scripts are run here`);
            noMacros(String(inputs.inlineScript), all, `${stageName}: step "${name}"`);
            const connectionName = macro(inputs.azureSubscription, all);
            const connection = ctx.serviceConnections[connectionName];
            if (connection === undefined) throw new Error(`${name}: the test runner has no service connection ${connectionName}`);
            // The task's own `az login` is not run: the script gets the connection's AZURESUBSCRIPTION_* as it would.
            return { name: `${name} (AzureCLI@2, its az login not run)`, script: String(inputs.inlineScript), shell, env: { ...env, ...connection }, runWhen };
        }
        throw new Error(`${stageName}: step "${name}": task ${task} is not known to the test runner`);
    });
}

// ---------------------------------------------------------------- running

/** Runs the steps in order as a runner would: after a failure only `always()` steps run; the job fails. */
export async function runSteps(steps: readonly PlannedStep[], workDir: string, log: (line: string) => void, logFile: string): Promise<JobResult> {
    const results: StepResult[] = [];
    let failed = false;
    const scriptDir = mkdtempSync(path.join(os.tmpdir(), "pipeline-step-"));
    for (const [index, step] of steps.entries()) {
        if (step.skipped !== undefined) {
            log(`  - ${step.name}: skipped, ${step.skipped}`);
            results.push({ name: step.name, skipped: step.skipped, stdout: "", stderr: "", ...(step.artifacts ? { artifacts: step.artifacts } : {}) });
            continue;
        }
        if (failed && step.runWhen !== "always") {
            log(`  - ${step.name}: not run (an earlier step failed)`);
            results.push({ name: step.name, stdout: "", stderr: "" });
            continue;
        }
        const file = path.join(scriptDir, `step-${index}.sh`);
        writeFileSync(file, step.script!);
        const started = Date.now();
        const { exitCode, stdout, stderr } = await run(step.shell, file, step.env, workDir);
        appendFileSync(logFile, `\n===== ${step.name} (exit ${exitCode})\n$ ${step.script}\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
        const last = stdout.trimEnd().split("\n").pop() ?? "";
        log(`  - ${step.name}: exit ${exitCode} in ${((Date.now() - started) / 1000).toFixed(1)} s${last ? ` | ${last}` : ""}`);
        results.push({ name: step.name, exitCode, stdout, stderr });
        if (exitCode !== 0) failed = true;
    }
    return { succeeded: !failed, steps: results };
}

async function run(shell: readonly string[], file: string, env: Record<string, string>, cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const { status, signal, stdout, stderr } = await runProcess(shell[0]!, [...shell.slice(1), file], { cwd, env });
    return { exitCode: status ?? (signal ? 128 : 1), stdout, stderr };
}
