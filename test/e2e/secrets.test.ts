import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_APP_ROLES, DEFAULT_TENANT_ID, generateClientCertificate, trustEmulatorCa, type ClientCertificate } from "../../emulator";
import { renderChangeMarkdown } from "../../cli/changeSummary";
import { deploy, secretValuesFrom } from "../../cli/deploy";
import { GroupPolicyConfigurationAssignment, ProvisioningPolicyAssignment, targets } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";

/** Anything shaped like a JWT: an access token, or a certificate client assertion. */
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;
const GROUP = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const VERBOSE = { logVerbosity: 9, debug: true, logToStdErr: true } as const;

/** Every file under `dir` (state, backups, history, stack config, Pulumi's own logs), as text. */
function filesUnder(dir: string): { file: string; text: string }[] {
    const out: { file: string; text: string }[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name === "plugins" || entry.name === "node_modules") continue; // installed binaries, not written by a run
            out.push(...filesUnder(full));
        } else if (entry.isFile() && statSync(full).size < 50_000_000) {
            out.push({ file: full, text: readFileSync(full, "utf8") });
        }
    }
    return out;
}

/** The base64 lines of a PEM private key (each alone would leak a part of the key). */
function pemBodyLines(pem: string): string[] {
    return pem.split("\n").map((l) => l.trim()).filter((l) => l.length >= 32 && !l.startsWith("-----"));
}

/** Pulumi's secret envelope: `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext}`. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * The Automation API exports with `--show-secrets`, decrypting Pulumi secrets. Returns the export with every secret
 * envelope replaced by a marker (so what remains is what a reader sees in the clear) and the envelopes' plaintexts.
 */
function splitSecrets(exported: unknown): { clear: string; envelopes: string[] } {
    const envelopes: string[] = [];
    const clear = JSON.stringify(exported, (_key, value: unknown) => {
        if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG) {
            envelopes.push(JSON.stringify(value));
            return "[secret]";
        }
        return value;
    });
    return { clear, envelopes };
}

interface Leak {
    readonly where: string;
    readonly what: string;
}

function findLeaks(where: string, text: string, secrets: Record<string, string | string[]>): Leak[] {
    const leaks: Leak[] = [];
    for (const [what, values] of Object.entries(secrets)) {
        for (const value of [values].flat()) {
            if (text.includes(value)) leaks.push({ where, what });
        }
    }
    const jwt = JWT.exec(text);
    if (jwt) leaks.push({ where, what: `a JWT (${jwt[0].slice(0, 12)}…) near: ${text.slice(Math.max(0, jwt.index - 80), jwt.index)}` });
    return leaks;
}

describe("no secret, key or token in state, output or errors", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let certificate: ClientCertificate;
    let certClientId: string;
    let stateDir: string;
    let gpcPolicy: string;
    let w365Policy: string;
    let previousLogLevel: string | undefined;
    const transcripts: { where: string; text: string }[] = [];

    before(async () => {
        certificate = generateClientCertificate("secrets-test");
        certClientId = randomUUID();
        world = await startE2eWorld("secrets", {
            faults: { rateLimit: false },
            apps: [{ tenantId: DEFAULT_TENANT_ID, clientId: certClientId, certificatePem: certificate.certificatePem, roles: DEFAULT_APP_ROLES }],
        });
        stateDir = path.dirname(fileURLToPath(world.environment.backendUrl));
        gpcPolicy = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Secrets" }).id;
        w365Policy = world.emulator.admin.seedPolicy("provisioningPolicies", { displayName: "Secrets" }).id;
        previousLogLevel = process.env.MSGRAPH_LOG_LEVEL;
        process.env.MSGRAPH_LOG_LEVEL = "debug"; // inherited by the CLI and the dynamic-provider plugin it starts
    });
    after(async () => {
        if (previousLogLevel === undefined) delete process.env.MSGRAPH_LOG_LEVEL;
        else process.env.MSGRAPH_LOG_LEVEL = previousLogLevel;
        await world?.dispose();
    });

    function secrets(): Record<string, string | string[]> {
        return {
            "the client secret": world.emulator.clientSecret,
            "the private key": pemBodyLines(certificate.privateKeyPem),
        };
    }

    function program(name: string) {
        return async () => {
            const gpc = new GroupPolicyConfigurationAssignment(`${name}-gpc`, { policyId: gpcPolicy, target: targets.group(GROUP) });
            new ProvisioningPolicyAssignment(`${name}-w365`, { policyId: w365Policy, groupId: GROUP });
            return { id: gpc.assignmentId };
        };
    }

    /** up, refresh, destroy with Pulumi's most verbose logging and MSGRAPH_LOG_LEVEL=debug; returns everything printed. */
    async function lifecycle(label: string, stack: Stack, expectInEnvelope?: string): Promise<void> {
        let output = "";
        const onOutput = (s: string) => (output += s);
        const events: unknown[] = [];
        const onEvent = (e: unknown) => events.push(e);
        const up = await stack.up({ ...VERBOSE, onOutput, onEvent });
        assert.equal(up.summary.resourceChanges?.create, 3);
        assert.ok(/Graph POST .* -> 201/.test(up.stderr), "the provider's debug log reaches the CLI output");
        const { clear, envelopes } = splitSecrets(await stack.exportStack());
        assert.ok(clear.includes("assignmentId"), "the export holds the resources");
        // The credential reaches state only as the Pulumi secret that the stack config made it (the default
        // pulumi-nodejs provider keeps its config as inputs); everything outside secret envelopes is checked.
        if (expectInEnvelope !== undefined) {
            assert.ok(envelopes.some((e) => e.includes(expectInEnvelope)), "the credential is held as a Pulumi secret");
        }
        transcripts.push({ where: `${label}: exported state after up (outside secret envelopes)`, text: clear });
        const plainExport = execFileSync(world.environment.cli.path, ["stack", "export", "--stack", stack.name], {
            cwd: path.join(stateDir, "work"),
            env: { ...process.env, ...world.environment.envVars },
        }).toString();
        assert.ok(plainExport.includes("assignmentId"));
        transcripts.push({ where: `${label}: pulumi stack export`, text: plainExport });
        const refresh = await stack.refresh({ ...VERBOSE, onOutput, onEvent });
        const destroy = await stack.destroy({ ...VERBOSE, onOutput, onEvent });
        assert.equal(destroy.summary.resourceChanges?.delete, 3);
        for (const [step, result] of [["up", up], ["refresh", refresh], ["destroy", destroy]] as const) {
            transcripts.push({ where: `${label}: ${step} stdout`, text: result.stdout });
            transcripts.push({ where: `${label}: ${step} stderr`, text: result.stderr });
        }
        transcripts.push({ where: `${label}: streamed output`, text: output });
        transcripts.push({ where: `${label}: engine events`, text: JSON.stringify(events) });
        assert.ok(transcripts.reduce((n, t) => n + t.text.length, 0) > 100_000, "verbose logging produced a real transcript");
    }

    it("client secret: up, refresh, destroy leak nothing", async () => {
        const stack = await world.stack(program("secret"), { stackName: "client-secret" });
        await lifecycle("client secret", stack, world.emulator.clientSecret);
    });

    it("certificate as a secret PEM: up, refresh, destroy leak nothing", async () => {
        const stack = await world.stack(program("pem"), { stackName: "certificate-pem" });
        await stack.removeConfig("msgraph:clientSecret");
        await stack.setAllConfig({
            "msgraph:clientId": { value: certClientId },
            "msgraph:clientCertificatePem": { value: certificate.combinedPem, secret: true },
        });
        world.emulator.admin.clearLog();
        await lifecycle("certificate PEM", stack, pemBodyLines(certificate.privateKeyPem)[0]);
        const token = world.emulator.log().find((e) => e.path.endsWith("/oauth2/v2.0/token"));
        assert.equal((token?.body as Record<string, unknown>)?.client_id, certClientId, "the certificate app signed in");
    });

    it("certificate from a file: up, refresh, destroy leak nothing", async () => {
        const file = path.join(stateDir, "client-cert.pem");
        writeFileSync(file, certificate.combinedPem, { mode: 0o600 });
        const stack = await world.stack(program("file"), { stackName: "certificate-file" });
        await stack.removeConfig("msgraph:clientSecret");
        await stack.setAllConfig({ "msgraph:clientId": { value: certClientId }, "msgraph:clientCertificatePath": { value: file } });
        await lifecycle("certificate file", stack);
    });

    it("a wrong secret fails with invalid_client / AADSTS and without the secret", async () => {
        const wrong = `wrong~${randomUUID()}`;
        const stack = await world.stack(program("wrong"), { stackName: "wrong-secret" });
        await stack.setConfig("msgraph:clientSecret", { value: wrong, secret: true });
        let output = "";
        let message = "";
        await assert.rejects(stack.up({ ...VERBOSE, onOutput: (s) => (output += s) }), (error: Error) => {
            message = error.message;
            return true;
        });
        const line = message.split("\n").find((l) => /error: .*(invalid_client|AADSTS)/.test(l) && !l.startsWith("{"));
        assert.ok(line !== undefined, `the error names invalid_client or AADSTS:\n${message.slice(-3000)}`);
        console.log(`      ${line.trim().slice(0, 300)}`);
        assert.match(message, /AADSTS7000215|invalid_client/);
        assert.ok(!message.includes(wrong) && !output.includes(wrong), "the wrong secret is not shown");
        transcripts.push({ where: "wrong secret: error", text: message }, { where: "wrong secret: output", text: output });
        assert.deepEqual(findLeaks("wrong secret", message + output, { "the wrong secret": wrong, ...secrets() }), []);
        assert.equal(world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy).length, 0);
    });

    it("through the CLI's deploy, a 4-character wrong secret is in no output, error line or summary", async () => {
        const wrong = "w7Qz"; // the shortest value the redaction treats as a secret
        const stack = await world.stack(program("short"), { stackName: "short-secret" });
        await stack.setConfig("msgraph:clientSecret", { value: wrong, secret: true });
        let output = "";
        const result = await deploy({
            stack, operation: "up", secrets: secretValuesFrom({ ...process.env, ...world.environment.envVars }, [wrong]),
            onOutput: (s) => (output += s),
        });
        assert.equal(result.exitCode, 1);
        assert.match(JSON.stringify(result.summary.errors), /AADSTS7000215|invalid_client/);
        const text = `${output}\n${JSON.stringify(result.summary)}\n${renderChangeMarkdown(result.summary)}`;
        transcripts.push({ where: "short secret via the CLI", text });
        assert.deepEqual(findLeaks("short secret via the CLI", text, { "the wrong secret": wrong, ...secrets() }), []);
    });

    it("the leak detector recognizes a token the emulator issues", async () => {
        trustEmulatorCa(world.emulator.caCertPem);
        const response = await fetch(`${world.emulator.authorityHost}/${world.emulator.tenantId}/oauth2/v2.0/token`, {
            method: "POST",
            body: new URLSearchParams({
                grant_type: "client_credentials", client_id: world.emulator.clientId,
                client_secret: world.emulator.clientSecret, scope: "https://graph.microsoft.com/.default",
            }),
        });
        const { access_token: token } = (await response.json()) as { access_token: string };
        assert.equal(findLeaks("probe", `Authorization: Bearer ${token}`, {}).length, 1);
        assert.equal(findLeaks("probe", JSON.stringify({ token: token.split(".").slice(0, 2).join(".") + ".x" }), {}).length, 1);
    });

    it("nothing in any transcript, exported state or file under the state folder", () => {
        const leaks: Leak[] = [];
        for (const t of transcripts) leaks.push(...findLeaks(t.where, t.text, secrets()));
        const files = filesUnder(stateDir).filter((f) => f.file !== path.join(stateDir, "client-cert.pem"));
        assert.ok(files.some((f) => f.file.includes(`${path.sep}backend${path.sep}`) && f.file.endsWith(".json")), "state files exist");
        for (const f of files) leaks.push(...findLeaks(path.relative(stateDir, f.file), f.text, secrets()));
        console.log(`      checked ${transcripts.length} transcripts (${transcripts.reduce((n, t) => n + t.text.length, 0)} chars) and ${files.length} files`);
        assert.deepEqual(leaks, []);
    });
});
