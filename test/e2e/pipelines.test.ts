import assert from "node:assert/strict";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as yaml from "js-yaml";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { newStateDir, pulumiEnvironment, repoRoot, type PulumiEnvironment } from "../../scripts/pulumiEnvironment";
import type { DriftReport } from "../../cli/drift";
import { allAssignments, exampleAssignmentCount, exampleRepo, seedExampleTenant } from "./configRepoSeed";

/** Assignments the example repository declares. */
const N = exampleAssignmentCount();
import {
    adoStagesFor,
    adoSteps,
    evaluateAdoCondition,
    evaluateGitHubIf,
    gitHubJobsFor,
    gitHubSteps,
    runSteps,
    type AdoContext,
    type GitHubContext,
    type JobResult,
    type PlannedStep,
} from "./pipelineRunner";
import { runProcess } from "../support/runProcess";
import { skipWithoutLanguageHost } from "./cliProject";

type Obj = Record<string, unknown>;
const pipelinesDir = path.join(repoRoot, "examples", "pipelines");
const githubFile = path.join(pipelinesDir, "github", "msgraph-assignments.yml");
const adoFile = path.join(pipelinesDir, "azure-devops", "azure-pipelines.yml");
const load = (file: string) => yaml.load(readFileSync(file, "utf8")) as Obj;
const obj = (v: unknown) => v as Obj;

const STACK = "prod";
const PASSPHRASE = "pipeline-test-passphrase";
const ENGINEERS = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const CONTRACTORS = "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a";
const SHIFT_A = "3a2b1c0d-9e8f-4a6b-8c4d-2e1f0a9b8c7d";
const DECLARED = ["baseline-all-devices", "baseline-contractors-excluded", "baseline-engineers", "w365-engineers", "w365-frontline-shift-a"];

/** Every `run:` / `script:` / inline script of a file, to look for the command a job must call. */
function scriptsOf(steps: readonly PlannedStep[]): string {
    return steps.map((s) => s.script ?? "").join("\n");
}

describe("pipelines: examples/pipelines structure", () => {
    const workflow = load(githubFile);
    const pipeline = load(adoFile);

    it("GitHub: PR → preview, push to main → up, schedule → drift; OIDC permission; variables, one secret", () => {
        const on = obj(workflow.on);
        assert.deepEqual(obj(on.pull_request).branches, ["main"]);
        assert.deepEqual(obj(on.push).branches, ["main"]);
        assert.match(String(obj((on.schedule as unknown[])[0]).cron), /^\S+ \S+ \S+ \S+ \S+$/);
        assert.deepEqual(workflow.permissions, { "id-token": "write", contents: "read" });
        const jobsFor = (event_name: string, ref: string) => gitHubJobsFor(workflow, { github: { event_name, ref } });
        assert.deepEqual(jobsFor("pull_request", "refs/pull/7/merge"), ["preview"]);
        assert.deepEqual(jobsFor("push", "refs/heads/main"), ["up"]);
        assert.deepEqual(jobsFor("push", "refs/heads/feature"), []);
        assert.deepEqual(jobsFor("schedule", "refs/heads/main"), ["drift"]);
        const env = obj(workflow.env);
        assert.equal(env.AZURE_TENANT_ID, "${{ vars.AZURE_TENANT_ID }}");
        assert.equal(env.AZURE_CLIENT_ID, "${{ vars.AZURE_CLIENT_ID }}");
        const text = readFileSync(githubFile, "utf8");
        assert.deepEqual([...new Set([...text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]))], ["PULUMI_CONFIG_PASSPHRASE"]);
        // Comments may explain that there is no client secret; the pipeline itself must not have one.
        assert.doesNotMatch(JSON.stringify(workflow), /client[-_ ]?secret|AZURE_CLIENT_CERTIFICATE/i);
    });

    it("GitHub: each job calls its command; up never overlaps; drift uploads its reports even when failing", () => {
        const jobs = obj(workflow.jobs);
        const ctx = { github: { event_name: "x", ref: "x" }, vars: new Proxy({}, { get: () => "v" }), secrets: new Proxy({}, { get: () => "s" }), runnerEnv: {}, workDir: "/w" };
        const scripts = (job: string) => scriptsOf(gitHubSteps(workflow, job, ctx as GitHubContext));
        assert.match(scripts("preview"), /npx --no msgraph-assignments preview --stack "\$STACK" --refresh[\s\S]*?--summary-file "\$RUNNER_TEMP\/msgraph-preview\.md"/);
        assert.match(scripts("preview"), />> "\$GITHUB_STEP_SUMMARY"/);
        assert.match(scripts("preview"), /msgraph-assignments preview [\s\S]*?--policy-pack node_modules\/pulumi-msgraph-assignments\/policy-pack/, "pull requests run the policy pack");
        assert.match(scripts("up"), /npx --no msgraph-assignments up --stack "\$STACK" --refresh/);
        assert.match(scripts("drift"), /npx --no msgraph-assignments drift --stack "\$STACK" --report-dir drift-report/);
        assert.deepEqual(obj(jobs.up).concurrency, { group: "msgraph-assignments-up-prod", "cancel-in-progress": false });
        const upload = (obj(jobs.drift).steps as Obj[]).find((s) => String(s.uses).startsWith("actions/upload-artifact@"));
        assert.ok(upload, "the drift job uploads an artifact");
        assert.equal(upload.if, "always()");
        assert.match(String(obj(upload.with).path), /drift-report\/drift-report\.json/);
        assert.match(String(obj(upload.with).path), /drift-report\/drift-report\.md/);
    });

    it("Azure DevOps: PR → Preview, main → Deploy (sequential lock), schedule → Drift; workload identity, no client secret", () => {
        assert.deepEqual(obj(obj(pipeline.trigger).branches).include, ["main"]);
        assert.deepEqual(obj(obj(pipeline.pr).branches).include, ["main"]);
        const schedule = obj((pipeline.schedules as unknown[])[0]);
        assert.deepEqual(obj(schedule.branches).include, ["main"]);
        const ctx = (reason: string, branch = "refs/heads/main"): AdoContext => ({
            predefined: { "Build.Reason": reason, "Build.SourceBranch": branch, "System.AccessToken": "job-token", "System.DefaultWorkingDirectory": "/w" },
            groups: { "msgraph-assignments": { PULUMI_CONFIG_PASSPHRASE: "p" } },
            agentEnv: {},
            serviceConnections: {},
            workDir: "/w",
        });
        assert.deepEqual(adoStagesFor(pipeline, ctx("PullRequest", "refs/pull/7/merge")), ["Preview"]);
        assert.deepEqual(adoStagesFor(pipeline, ctx("IndividualCI")), ["Deploy"]);
        assert.deepEqual(adoStagesFor(pipeline, ctx("BatchedCI", "refs/heads/feature")), []);
        assert.deepEqual(adoStagesFor(pipeline, ctx("Schedule")), ["Drift"]);
        const deploy = (pipeline.stages as Obj[]).find((s) => s.stage === "Deploy")!;
        assert.equal(deploy.lockBehavior, "sequential");
        assert.equal(obj((deploy.jobs as unknown[])[0]).environment, "msgraph-production");
        const text = JSON.stringify(pipeline);
        assert.doesNotMatch(text, /client[-_ ]?secret|AZURE_CLIENT_CERTIFICATE/i);
        const macros = new Set([...readFileSync(adoFile, "utf8").matchAll(/\$\(([\w.]+)\)/g)].map((m) => m[1]));
        assert.deepEqual([...macros].sort(), ["PULUMI_CONFIG_PASSPHRASE", "System.AccessToken", "System.DefaultWorkingDirectory", "serviceConnection"]);
        for (const stage of ["Preview", "Deploy", "Drift"]) {
            const c = { ...ctx("Schedule"), serviceConnections: { "msgraph-assignments-wif": { AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: "id" } } };
            const work = adoSteps(pipeline, stage, c).filter((s) => s.name.includes("AzureCLI@2"));
            assert.equal(work.length, 1, stage);
            assert.equal(work[0]!.env.SYSTEM_ACCESSTOKEN, "job-token", "System.AccessToken is mapped for the OIDC request");
            assert.equal(work[0]!.env.PULUMI_CONFIG_PASSPHRASE, "p");
            assert.equal(work[0]!.env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID, "id");
            assert.match(work[0]!.script!, new RegExp(`npx --no msgraph-assignments ${{ Preview: "preview", Deploy: "up", Drift: "drift" }[stage]} --stack "\\$STACK"`));
            if (stage === "Preview") assert.match(work[0]!.script!, /--policy-pack node_modules\/pulumi-msgraph-assignments\/policy-pack/, "pull requests run the policy pack");
        }
        const drift = adoSteps(pipeline, "Drift", { ...ctx("Schedule"), serviceConnections: { "msgraph-assignments-wif": {} } });
        const publish = drift.find((s) => s.artifacts !== undefined)!;
        assert.equal(publish.runWhen, "always");
        assert.deepEqual(publish.artifacts, ["/w/drift-report"]);
    });

    it("the test runner's expression subsets read what the files use and reject the rest", () => {
        assert.equal(evaluateGitHubIf("github.event_name == 'push' && github.ref == 'refs/heads/main'", { event_name: "push", ref: "refs/heads/main" }), true);
        assert.equal(evaluateGitHubIf("${{ github.event_name == 'schedule' || github.event_name == 'workflow_dispatch' }}", { event_name: "push" }), false);
        assert.throws(() => evaluateGitHubIf("contains(github.ref, 'main')", { ref: "x" }), /unsupported/);
        assert.equal(evaluateAdoCondition("in(variables['Build.Reason'], 'IndividualCI', 'Manual')", { "Build.Reason": "manual" }), true);
        assert.throws(() => evaluateAdoCondition("startsWith(variables['Build.Reason'], 'x')", { "Build.Reason": "x" }), /unsupported function/);
    });
});

/** A throw-away world: emulator seeded with the example tenant, a file backend, and fresh "checkouts" per job. */
interface PipelineWorld {
    readonly emulator: RunningEmulator;
    readonly environment: PulumiEnvironment;
    readonly stateDir: string;
    readonly seed: ReturnType<typeof seedExampleTenant>;
    /** A fresh clone of the config repository as a runner checks it out, with `npm ci`'s result linked in. */
    checkout(label: string): string;
    /** What every runner process gets: tools on PATH, the emulator in place of Graph and Entra, no ambient credentials. */
    runnerEnv(): Record<string, string>;
    log(line: string): void;
    dispose(): Promise<void>;
}

async function startPipelineWorld(name: string): Promise<PipelineWorld> {
    const stateDir = newStateDir(name);
    const environment = pulumiEnvironment(stateDir);
    const emulator = await startEmulator();
    const seed = seedExampleTenant(emulator);
    let checkouts = 0;
    const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(AZURE_|MSGRAPH_|PULUMI_|ACTIONS_|SYSTEM_|GITHUB_|RUNNER_|AGENT_|BUILD_|NODE_EXTRA_CA_CERTS$)/.test(k)),
    ) as Record<string, string>;
    return {
        emulator,
        environment,
        stateDir,
        seed,
        checkout(label) {
            const dir = path.join(stateDir, `checkout-${++checkouts}-${label}`);
            cpSync(path.join(exampleRepo, "assignments"), path.join(dir, "assignments"), { recursive: true });
            cpSync(path.join(pipelinesDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            cpSync(path.join(pipelinesDir, "package.json"), path.join(dir, "package.json"));
            // What `npm ci` leaves: the package in node_modules and its bin linked into node_modules/.bin.
            mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
            symlinkSync(repoRoot, path.join(dir, "node_modules", "pulumi-msgraph-assignments"), "dir");
            const bin = path.join(dir, "node_modules", ".bin", "msgraph-assignments");
            writeFileSync(bin, `#!/bin/sh\nexec node "${path.join(dir, "node_modules", "pulumi-msgraph-assignments", "dist", "cli", "main.js")}" "$@"\n`);
            chmodSync(bin, 0o755);
            return dir;
        },
        runnerEnv() {
            return {
                ...inherited,
                PATH: environment.envVars.PATH!, // .tools/bin (pulumi, the dynamic-provider plugin) and Node 24
                PULUMI_HOME: environment.envVars.PULUMI_HOME!,
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
                CI: "true",
                // The emulator stands in for Graph and Entra; on a runner these are the public endpoints (defaults).
                MSGRAPH_BASE_URL: emulator.graphBaseUrl,
                AZURE_AUTHORITY_HOST: emulator.authorityHost,
                NODE_EXTRA_CA_CERTS: emulator.caCertPath,
            };
        },
        log(line) {
            process.stdout.write(`      ${line}\n`);
        },
        async dispose() {
            await emulator.stop();
            rmSync(stateDir, { recursive: true, force: true });
        },
    };
}


function stepNamed(job: JobResult, pattern: RegExp) {
    const step = job.steps.find((s) => pattern.test(s.name));
    assert.ok(step, `no step matching ${pattern}: ${job.steps.map((s) => s.name).join(", ")}`);
    return step;
}

function assertDeclaredAssignments(world: PipelineWorld): void {
    const live = allAssignments(world.emulator, world.seed);
    const targets = live.map((a) => `${a.policy} ${String(a.target["@odata.type"]).replace("#microsoft.graph.", "")} ${a.target.groupId ?? ""}`).sort();
    const [baseline, w365, frontline, app, iosProtection, wifi, compliance, remediation, inventory] = world.seed.policies.map((p) => p.id);
    assert.deepEqual(
        targets,
        [
            `${baseline} allDevicesAssignmentTarget `,
            `${baseline} exclusionGroupAssignmentTarget ${CONTRACTORS}`,
            `${baseline} groupAssignmentTarget ${ENGINEERS}`,
            `${frontline} cloudPcManagementGroupAssignmentTarget ${SHIFT_A}`,
            `${w365} cloudPcManagementGroupAssignmentTarget ${ENGINEERS}`,
            `${app} groupAssignmentTarget ${ENGINEERS}`,
            `${app} groupAssignmentTarget ${CONTRACTORS}`,
            `${iosProtection} groupAssignmentTarget ${ENGINEERS}`,
            `${wifi} groupAssignmentTarget ${ENGINEERS}`,
            `${compliance} groupAssignmentTarget ${ENGINEERS}`,
            `${compliance} exclusionGroupAssignmentTarget ${CONTRACTORS}`,
            `${remediation} groupAssignmentTarget ${ENGINEERS}`,
            `${inventory} allDevicesAssignmentTarget `,
            `${inventory} exclusionGroupAssignmentTarget ${CONTRACTORS}`,
        ].sort(),
        JSON.stringify(live, null, 2),
    );
}

/** Every Entra token of the job came from a federated assertion with the job's issuer and subject: no secret exists. */
function assertFederatedOnly(world: PipelineWorld, issuer: string, subject: string): void {
    const tokenRequests = world.emulator.log().filter((e) => e.path.endsWith("/oauth2/v2.0/token"));
    assert.ok(tokenRequests.length >= 1, "the job asked Entra for a token");
    for (const entry of tokenRequests) {
        assert.equal(entry.status, 200, JSON.stringify(entry));
        assert.equal(entry.credential, "federated");
        assert.equal(entry.federatedIssuer, issuer);
        assert.equal(entry.federatedSubject, subject);
    }
}

/** Credentials never reach a log: the steps' output holds neither the CI's request tokens nor the passphrase, nor a JWT. */
function assertNoLeaks(job: JobResult, secrets: Record<string, string>): void {
    for (const step of job.steps) {
        const text = step.stdout + step.stderr;
        for (const [what, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `${what} in the output of ${step.name}`);
        assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, `a JWT in the output of ${step.name}`);
    }
}

/** The out-of-band change of the drift scenario: someone flips the Engineers filter to exclude in the portal. */
function changeOutOfBand(world: PipelineWorld): void {
    const baseline = world.seed.policies[0]!.id;
    const engineers = world.emulator.admin.listAssignments("groupPolicyConfigurations", baseline).find((a) => a.target.groupId === ENGINEERS)!;
    world.emulator.admin.mutateAssignment("groupPolicyConfigurations", baseline, engineers.id, { target: { deviceAndAppManagementAssignmentFilterType: "exclude" } });
}

describe("pipelines: the GitHub Actions workflow's jobs run locally against the emulator", function () {
    this.timeout(900_000);
    const workflow = load(githubFile);
    let world: PipelineWorld;
    let runnerTemp: string;

    let pullRequestToken: string;
    /** Pull requests get GitHub tokens with subject repo:<org>/<repo>:pull_request; pushes and schedules on main the ref's. */
    const pullRequestSubject = () => world.emulator.githubOidc.subject.replace(/:ref:refs\/heads\/main$/, ":pull_request");
    const subjectFor = (event: string) => (event === "pull_request" ? pullRequestSubject() : world.emulator.githubOidc.subject);
    const requestTokenFor = (event: string) => (event === "pull_request" ? pullRequestToken : world.emulator.githubOidc.requestToken);

    before(async function () {
        skipWithoutLanguageHost(this); // the preview job runs the policy pack, a Node.js program of the engine
        world = await startPipelineWorld("pipelines-github");
        runnerTemp = path.join(world.stateDir, "runner-temp");
        mkdirSync(runnerTemp, { recursive: true });
        // The README's second federated credential: the app also trusts the repository's pull_request tokens.
        assert.match(world.emulator.githubOidc.subject, /^repo:[^:]+:ref:refs\/heads\/main$/);
        world.emulator.admin.addFederatedCredential(world.emulator.clientId, { name: "pull-requests", issuer: world.emulator.githubOidc.issuer, subject: pullRequestSubject() });
        pullRequestToken = world.emulator.admin.addGitHubJob(pullRequestSubject());
    });
    after(async () => world?.dispose());

    /** Runs the jobs the event selects (exactly one) in a fresh checkout; returns the job, its checkout and job summary. */
    async function runEvent(event_name: string, ref: string) {
        const github = { event_name, ref };
        const jobs = gitHubJobsFor(workflow, { github });
        assert.equal(jobs.length, 1, `one job for ${event_name} ${ref}: ${jobs.join(", ")}`);
        const workDir = world.checkout(jobs[0]!);
        const summaryFile = path.join(runnerTemp, `step-summary-${jobs[0]}-${Date.now()}.md`);
        writeFileSync(summaryFile, "");
        const ctx: GitHubContext = {
            github,
            vars: { AZURE_TENANT_ID: world.emulator.tenantId, AZURE_CLIENT_ID: world.emulator.clientId, PULUMI_BACKEND_URL: world.environment.backendUrl },
            secrets: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
            runnerEnv: {
                ...world.runnerEnv(),
                GITHUB_ACTIONS: "true",
                GITHUB_EVENT_NAME: event_name,
                GITHUB_REF: ref,
                RUNNER_TEMP: runnerTemp,
                GITHUB_STEP_SUMMARY: summaryFile,
                // What GitHub gives a job with `id-token: write`: the provider fetches the job's ID token itself.
                ACTIONS_ID_TOKEN_REQUEST_URL: world.emulator.githubOidc.requestUrl,
                ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestTokenFor(event_name),
            },
            workDir,
        };
        world.log(`github: ${event_name} ${ref} → job ${jobs[0]} in ${path.relative(repoRoot, workDir)}`);
        world.emulator.admin.clearLog();
        const job = await runSteps(gitHubSteps(workflow, jobs[0]!, ctx), workDir, (l) => world.log(l), path.join(world.stateDir, `github-${jobs[0]}.log`));
        assertFederatedOnly(world, world.emulator.githubOidc.issuer, subjectFor(event_name));
        assertNoLeaks(job, { "the ID token request token": ctx.runnerEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN!, "the passphrase": PASSPHRASE });
        return { job, workDir, summary: readFileSync(summaryFile, "utf8") };
    }

    it("npx msgraph-assignments in a checkout resolves to this repository's bin", async () => {
        const dir = world.checkout("npx");
        const { status, stdout } = await runProcess("npx", ["--no", "--", "msgraph-assignments", "--help"], { cwd: dir, env: world.runnerEnv() });
        assert.equal(status, 0);
        assert.match(stdout, /msgraph-assignments preview --stack <name>/);
    });

    it("pull_request: the preview job exits 0 and its job summary lists the planned creates; Graph is not written", async () => {
        world.emulator.admin.clearLog();
        const { job, summary } = await runEvent("pull_request", "refs/pull/7/merge");
        assert.ok(job.succeeded, JSON.stringify(job.steps.map((s) => ({ name: s.name, exit: s.exitCode, err: s.stderr.slice(-2000) })), null, 2));
        assert.equal(stepNamed(job, /^Preview$/).exitCode, 0);
        assert.match(stepNamed(job, /^Preview$/).stdout, new RegExp(`preview of stack prod: ${N} to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged`));
        for (const name of DECLARED) assert.match(summary, new RegExp(`\\| create \\| \`${name}\` \\|`), summary);
        assert.match(summary, new RegExp(`\\*\\*${N} to create\\*\\*`));
        // The example's all-devices assignment has no filter: the pack's advisory policy says so and the preview passes.
        assert.match(summary, /\| advisory \| `broad-target-without-filter-GroupPolicyConfigurationAssignment` \| `baseline-all-devices` \|/, summary);
        assert.deepEqual(world.emulator.log().filter((e) => e.method !== "GET" && e.path.startsWith("/beta/")), [], "a preview never writes");
        process.stdout.write(`\n--- Preview step output\n${stepNamed(job, /^Preview$/).stdout}\n--- job summary\n${summary}\n`);
    });

    it("push to main: the up job creates exactly the declared assignments", async () => {
        const { job, summary } = await runEvent("push", "refs/heads/main");
        assert.ok(job.succeeded, JSON.stringify(job.steps.map((s) => ({ name: s.name, exit: s.exitCode, err: s.stderr.slice(-2000) })), null, 2));
        assert.match(stepNamed(job, /^Up$/).stdout, new RegExp(`up of stack prod: ${N} created, 0 updated, 0 replaced, 0 deleted, 0 unchanged`));
        assert.match(summary, /Assignment changes applied/);
        assertDeclaredAssignments(world);
    });

    it("pull_request again: the preview shows no changes", async () => {
        const { job, summary } = await runEvent("pull_request", "refs/pull/8/merge");
        assert.ok(job.succeeded);
        assert.match(stepNamed(job, /^Preview$/).stdout, new RegExp(`preview of stack prod: 0 to create, 0 to update, 0 to replace, 0 to delete, ${N} unchanged`));
        assert.match(summary, new RegExp(`No changes: all ${N} assignment\\(s\\) already match`));
    });

    it("schedule: the drift job fails (exit 2) after an out-of-band change and its artifact files exist; after up it passes", async () => {
        changeOutOfBand(world);
        const drifted = await runEvent("schedule", "refs/heads/main");
        assert.equal(drifted.job.succeeded, false, "drift fails the job");
        const check = stepNamed(drifted.job, /^Drift check$/);
        assert.equal(check.exitCode, 2, check.stderr);
        assert.match(check.stdout, /::error title=Assignment drift::/);
        const upload = stepNamed(drifted.job, /Upload the drift report/);
        assert.ok(upload.artifacts && upload.artifacts.length === 2);
        for (const file of upload.artifacts) assert.ok(existsSync(file), `artifact ${file} exists`);
        const report = JSON.parse(readFileSync(upload.artifacts.find((f) => f.endsWith(".json"))!, "utf8")) as DriftReport;
        assert.deepEqual(report.drifted.map((d) => [d.name, d.status]), [["baseline-engineers", "changed"]]);
        assert.match(drifted.summary, /baseline-engineers/, "the job summary step ran after the failure");

        const repaired = await runEvent("push", "refs/heads/main");
        assert.ok(repaired.job.succeeded);
        assert.match(stepNamed(repaired.job, /^Up$/).stdout, new RegExp(`up of stack prod: 0 created, 1 updated, 0 replaced, 0 deleted, ${N - 1} unchanged`));
        const clean = await runEvent("schedule", "refs/heads/main");
        assert.ok(clean.job.succeeded, clean.job.steps.map((s) => s.stderr).join("\n"));
        assert.equal(stepNamed(clean.job, /^Drift check$/).exitCode, 0);
        assertDeclaredAssignments(world);
    });
});

describe("pipelines: the Azure DevOps pipeline's stages run locally against the emulator", function () {
    this.timeout(900_000);
    const pipeline = load(adoFile);
    let world: PipelineWorld;
    let agentTemp: string;

    before(async function () {
        skipWithoutLanguageHost(this); // the Preview stage runs the policy pack, a Node.js program of the engine
        world = await startPipelineWorld("pipelines-ado");
        agentTemp = path.join(world.stateDir, "agent-temp");
        mkdirSync(agentTemp, { recursive: true });
    });
    after(async () => world?.dispose());

    /** Runs the stage the build reason selects (exactly one) in a fresh checkout. */
    async function runReason(reason: string, sourceBranch: string) {
        const probe: AdoContext = { predefined: { "Build.Reason": reason, "Build.SourceBranch": sourceBranch }, groups: { "msgraph-assignments": {} }, agentEnv: {}, serviceConnections: {}, workDir: "" };
        const stages = adoStagesFor(pipeline, probe);
        assert.equal(stages.length, 1, `one stage for ${reason} ${sourceBranch}: ${stages.join(", ")}`);
        const workDir = world.checkout(stages[0]!.toLowerCase());
        const ctx: AdoContext = {
            predefined: {
                "Build.Reason": reason,
                "Build.SourceBranch": sourceBranch,
                "System.AccessToken": world.emulator.azureDevOpsOidc.systemAccessToken,
                "System.DefaultWorkingDirectory": workDir,
                "Agent.TempDirectory": agentTemp,
            },
            groups: { "msgraph-assignments": { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE } },
            // The agent sets SYSTEM_OIDCREQUESTURI for every step; SYSTEM_ACCESSTOKEN only where env: maps it.
            agentEnv: { ...world.runnerEnv(), TF_BUILD: "True", SYSTEM_OIDCREQUESTURI: world.emulator.azureDevOpsOidc.oidcRequestUri },
            serviceConnections: {
                // What AzureCLI@2 exports for a workload-identity service connection.
                "msgraph-assignments-wif": {
                    AZURESUBSCRIPTION_TENANT_ID: world.emulator.tenantId,
                    AZURESUBSCRIPTION_CLIENT_ID: world.emulator.clientId,
                    AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: world.emulator.azureDevOpsOidc.serviceConnectionId,
                },
            },
            workDir,
        };
        // The backend is a pipeline variable; here it points at a local file backend instead of Azure Blob.
        const steps = adoSteps(pipeline, stages[0]!, ctx).map((s) => ({ ...s, env: { ...s.env, PULUMI_BACKEND_URL: world.environment.backendUrl } }));
        world.log(`azure-devops: ${reason} ${sourceBranch} → stage ${stages[0]} in ${path.relative(repoRoot, workDir)}`);
        world.emulator.admin.clearLog();
        const job = await runSteps(steps, workDir, (l) => world.log(l), path.join(world.stateDir, `ado-${stages[0]}.log`));
        assertFederatedOnly(world, world.emulator.azureDevOpsOidc.issuer, world.emulator.azureDevOpsOidc.subject);
        assertNoLeaks(job, { SYSTEM_ACCESSTOKEN: world.emulator.azureDevOpsOidc.systemAccessToken, "the passphrase": PASSPHRASE });
        return { job, workDir, steps };
    }

    const uploadedSummary = (job: JobResult) => {
        const line = job.steps.flatMap((s) => s.stdout.split("\n")).find((l) => l.startsWith("##vso[task.uploadsummary]"));
        assert.ok(line, "the summary is published with ##vso[task.uploadsummary]");
        return readFileSync(line.slice("##vso[task.uploadsummary]".length).trim(), "utf8");
    };

    it("PullRequest: the Preview stage exits 0 and publishes a summary listing the planned creates", async () => {
        const { job } = await runReason("PullRequest", "refs/pull/7/merge");
        assert.ok(job.succeeded, JSON.stringify(job.steps.map((s) => ({ name: s.name, exit: s.exitCode, err: s.stderr.slice(-2000) })), null, 2));
        const summary = uploadedSummary(job);
        for (const name of DECLARED) assert.match(summary, new RegExp(`\\| create \\| \`${name}\` \\|`), summary);
        assert.match(summary, /\| advisory \| `broad-target-without-filter-GroupPolicyConfigurationAssignment` \| `baseline-all-devices` \|/, summary);
    });

    it("IndividualCI on main: the Deploy stage creates exactly the declared assignments; a second preview changes nothing", async () => {
        const { job } = await runReason("IndividualCI", "refs/heads/main");
        assert.ok(job.succeeded, JSON.stringify(job.steps.map((s) => ({ name: s.name, exit: s.exitCode, err: s.stderr.slice(-2000) })), null, 2));
        assert.match(stepNamed(job, /^Up /).stdout, new RegExp(`up of stack prod: ${N} created`));
        assertDeclaredAssignments(world);
        const again = await runReason("PullRequest", "refs/pull/8/merge");
        assert.match(uploadedSummary(again.job), new RegExp(`No changes: all ${N} assignment\\(s\\)`));
    });

    it("Schedule: the Drift stage fails with exit 2 and the published folder holds both reports; after Deploy it passes", async () => {
        changeOutOfBand(world);
        const drifted = await runReason("Schedule", "refs/heads/main");
        assert.equal(drifted.job.succeeded, false);
        const check = stepNamed(drifted.job, /^Drift check/);
        assert.equal(check.exitCode, 2, check.stderr);
        assert.match(check.stdout, /##vso\[task\.logissue type=error\]Assignment drift/);
        const publish = stepNamed(drifted.job, /Upload the drift report/);
        for (const file of ["drift-report.json", "drift-report.md"]) assert.ok(existsSync(path.join(publish.artifacts![0]!, file)), file);
        assert.ok((await runReason("IndividualCI", "refs/heads/main")).job.succeeded);
        const clean = await runReason("Schedule", "refs/heads/main");
        assert.ok(clean.job.succeeded);
        assert.equal(stepNamed(clean.job, /^Drift check/).exitCode, 0);
    });
});

describe("pipelines: msgraph-assignments preview / up failures exit 1 with the engine's errors and no secret", function () {
    this.timeout(600_000);
    let world: PipelineWorld;
    before(async () => {
        world = await startPipelineWorld("pipelines-failures");
    });
    after(async () => world?.dispose());

    /** Runs the CLI in a checkout as a pipeline step would, with the given credentials. */
    async function cli(dir: string, args: string[], auth: Record<string, string>) {
        const env = {
            ...world.runnerEnv(),
            PULUMI_BACKEND_URL: world.environment.backendUrl,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            AZURE_TENANT_ID: world.emulator.tenantId,
            AZURE_CLIENT_ID: world.emulator.clientId,
            ...auth,
        };
        return runProcess("npx", ["--no", "--", "msgraph-assignments", ...args], { cwd: dir, env });
    }

    it("a wrong client secret: exit 1, the Entra error in the summary file, the secret nowhere", async () => {
        const dir = world.checkout("bad-secret");
        const secret = "wrong-secret-value-7f3a9c";
        const summaryFile = path.join(dir, "preview.md");
        const result = await cli(dir, ["preview", "--stack", "failures", "--summary-file", summaryFile], { AZURE_CLIENT_SECRET: secret });
        world.log(`stderr: ${result.stderr.trim()}\nstdout (last line): ${result.stdout.trim().split("\n").pop()}`);
        assert.equal(result.status, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /preview of stack failures failed: /);
        assert.match(result.stderr, /msgraph-assignments preview: .*AADSTS7000215/);
        assert.doesNotMatch(result.stderr, /^msgraph-assignments preview:\s+at /m, "no stack frames");
        const summary = readFileSync(summaryFile, "utf8");
        assert.match(summary, /\*\*The preview failed\.\*\*/);
        assert.match(summary, /AADSTS|invalid_client|secret|401/i, summary);
        for (const text of [result.stdout, result.stderr, summary]) assert.ok(!text.includes(secret), "the secret is never echoed");
        assert.ok(!(result.stdout + result.stderr + summary).includes(PASSPHRASE));
    });

    it("--config credential keys are saved to the stack as secrets and never echoed", async () => {
        const dir = world.checkout("config-flag");
        const secret = "config-flag-secret-2b7e41";
        const result = await cli(dir, ["preview", "--stack", "configflag", "--quiet", "--config", `clientSecret=${secret}`, "--config", "msgraph:writeStrategy=assign"], {});
        assert.equal(result.status, 1, "the wrong secret from --config was used");
        assert.match(result.stderr, /AADSTS7000215/);
        const stackFile = readFileSync(path.join(dir, "Pulumi.configflag.yaml"), "utf8");
        assert.match(stackFile, /msgraph:clientSecret:\s*\n\s*secure: /);
        assert.match(stackFile, /msgraph:writeStrategy: assign/);
        for (const text of [stackFile, result.stdout, result.stderr]) assert.ok(!text.includes(secret));
    });

    it("a policy Graph does not know: up exits 1 naming the resource and Graph's error; the others are created", async () => {
        const dir = world.checkout("missing-policy");
        writeFileSync(
            path.join(dir, "assignments", "zz-missing.yaml"),
            "policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: 11111111-2222-4333-8444-555555555555\n    assignments:\n      - name: missing-policy-engineers\n        target: { type: group, groupId: " + ENGINEERS + " }\n",
        );
        const auth = { ACTIONS_ID_TOKEN_REQUEST_URL: world.emulator.githubOidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.emulator.githubOidc.requestToken };
        const result = await cli(dir, ["up", "--stack", "missing", "--quiet"], auth);
        world.log(`stderr: ${result.stderr.trim()}\nstdout: ${result.stdout.trim()}`);
        assert.equal(result.status, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /^up of stack missing failed: /m);
        assert.match(result.stderr, /msgraph-assignments up: missing-policy-engineers: Graph POST \S+11111111-2222-4333-8444-555555555555\/assignments failed: 404/);
        assert.doesNotMatch(result.stderr, /^msgraph-assignments up:\s+at /m, "no stack frames");
        assert.doesNotMatch(result.stdout, /Updating \(missing\)/, "--quiet keeps the engine's progress out");
        assert.equal(allAssignments(world.emulator, world.seed).length, N, "the valid entries were still created");
        assert.ok(!(result.stdout + result.stderr).includes(world.emulator.githubOidc.requestToken));
    });
});
