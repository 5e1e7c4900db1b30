/**
 * One reference page per resource kind, rendered from its description alone (routes, inputs and their JSON Schema,
 * what replaces, Graph's defaults, write strategy, examples), so that a new description brings its page with it.
 */
import * as yaml from "js-yaml";
import { entryFromInputs } from "../../cli/repoKinds";
import { normalizeInputs, ODATA_TYPE, type JSONSchema, type ResourceDescription, type ValueSpec } from "../../provider/model";

/** Placeholder policy ids of the examples, of the kind's id form. */
const EXAMPLE_POLICY_GUID = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";
/** Placeholder id of an existing assignment in the `get` examples. */
const EXAMPLE_ASSIGNMENT_ID = "0e9f8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";

export function examplePolicyId(description: ResourceDescription): string {
    return description.pathKinds.policyId === "intuneId" ? `${EXAMPLE_POLICY_GUID}_ExampleConfiguration` : EXAMPLE_POLICY_GUID;
}

/** The example's body inputs, or a group target for a kind that has no example of its own. */
export function exampleInputs(description: ResourceDescription): Record<string, unknown> {
    if (description.example !== undefined) return { ...description.example.inputs };
    const target = description.properties.target;
    const group = "11111111-1111-4111-8111-111111111111";
    if (target?.type === "complex") {
        const variant = Object.keys(target.variants).find((name) => /group/i.test(name) && !/exclusion/i.test(name))!;
        return { target: { [ODATA_TYPE]: `#microsoft.graph.${variant}`, groupId: group } };
    }
    return { groupId: group };
}

/** A value spec as a short type phrase for the inputs table. */
function typeOf(spec: ValueSpec): string {
    switch (spec.type) {
        case "guid":
            return "GUID";
        case "intuneId":
            return "Intune id";
        case "collectionId":
            return "Configuration Manager collection id";
        case "enum":
            return spec.values.map((v) => `\`${v}\``).join(" \\| ");
        case "array":
            return `list of ${typeOf(spec.items)}`;
        case "complex":
            return `one of ${Object.keys(spec.variants).map((v) => `\`${v}\``).join(", ")}`;
        case "object":
            return `object (${Object.keys(spec.properties).map((k) => `\`${k}\``).join(", ")})`;
        default:
            return spec.type;
    }
}

/** The JSON Schema constraints of one input, as written in the generated schema. */
function constraintsOf(schema: JSONSchema): string {
    const parts: string[] = [];
    if (typeof schema["x-reason"] === "string") parts.push(schema["x-reason"] as string);
    if (typeof schema.pattern === "string" && schema["x-reason"] === undefined) parts.push(`matches \`${schema.pattern as string}\``);
    if (typeof schema.maxLength === "number" && schema["x-reason"] === undefined) parts.push(`at most ${schema.maxLength as number} characters`);
    if (schema["x-id"] !== undefined) parts.push(`an id (${schema["x-id"] as string}), validated and encoded before it goes into a URL`);
    return parts.join("; ") || "see the JSON Schema";
}

/** Whether a change of `key` replaces the assignment, updates it in place, or replaces only for some of its parts. */
function changeOf(description: ResourceDescription, key: string): string {
    if (description.replaceOnChange.includes(key)) return "replace";
    const nested = description.replaceOnChange.filter((p) => p.startsWith(`${key}.`));
    if (nested.length > 0) return `in place; replace when ${nested.map((p) => `\`${p}\``).join(", ")} changes`;
    return "in place";
}

function inputsTable(description: ResourceDescription): string[] {
    const schemaProps = (description.inputSchema.properties ?? {}) as Record<string, JSONSchema>;
    const rows = ["| Input | Type | Required | Constraints | On change | Graph's default | Description |", "|---|---|---|---|---|---|---|"];
    for (const [key, spec] of Object.entries(description.properties)) {
        const required = description.required.includes(key) ? "yes" : "no";
        const dflt = spec.default === undefined ? "" : `\`${JSON.stringify(spec.default)}\``;
        const doc = (spec.doc ?? "").replace(/\|/g, "\\|");
        rows.push(`| \`${key}\` | ${typeOf(spec)} | ${required} | ${constraintsOf(schemaProps[key] ?? {}).replace(/\|/g, "\\|")} | ${changeOf(description, key)} | ${dflt} | ${doc} |`);
    }
    return rows;
}

/** The variants of every polymorphic input, with their own properties and whether they take an assignment filter. */
function complexVariants(description: ResourceDescription): string[] {
    const lines: string[] = [];
    for (const [key, spec] of Object.entries(description.properties)) {
        if (spec.type !== "complex") continue;
        const filters = Object.values(spec.variants).some((v) => v.filter !== undefined);
        lines.push("", `### \`${key}\` variants`, "", `| \`@odata.type\` | Properties |${filters ? " Assignment filter |" : ""}`, `|---|---|${filters ? "---|" : ""}`);
        for (const [name, variant] of Object.entries(spec.variants)) {
            const props = Object.keys(variant.properties).map((k) => `\`${k}\`${variant.required.includes(k) ? " (required)" : ""}`);
            const filter = variant.filter === undefined ? "—" : variant.filter === "allowed" ? "optional" : "none only";
            lines.push(`| \`#microsoft.graph.${name}\` | ${props.join(", ") || "—"} |${filters ? ` ${filter} |` : ""}`);
        }
    }
    return lines;
}

/** The combinations of inputs `check` refuses. */
function ruleLines(description: ResourceDescription): string[] {
    if (description.rules === undefined || description.rules.length === 0) return [];
    return [
        "",
        "### Combinations refused by check",
        "",
        ...description.rules.map(
            (r) =>
                `- ${r.when === undefined ? "Always" : `While \`${r.when.property}\` is ${r.when.values.map((v) => `\`${v}\``).join(" or ")}`}: ` +
                `${r.forbid.map((f) => `\`${f}\``).join(", ")} must be omitted (${r.reason}).`,
        ),
    ];
}

function writeStrategyLines(description: ResourceDescription): string[] {
    const routes = description.itemRoutes;
    const served = (["create", "update", "delete"] as const).filter((r) => routes[r]);
    const lines = [
        `- Default write strategy: \`${description.defaultWriteStrategy}\`.`,
        `- Item routes Graph documents: ${served.length > 0 ? served.join(", ") : "none"}.`,
        description.assignList === undefined
            ? "- No `assign` action: writes go through the item routes only."
            : `- \`assign\` action: reads the policy's list from \`${description.assignList.listPath}\` and posts it back whole (other assignments preserved)${description.assignList.readOnly.length > 0 ? `; read-only, never posted back: ${description.assignList.readOnly.map((p) => `\`${p}\``).join(", ")}` : ""}.`,
        "- Creating an assignment for a target that already holds one adopts it (with a warning when this stack did not create it); `adoptExisting: false` refuses instead.",
        "",
        "See [write strategies and adoption](../reliability.md).",
    ];
    return lines;
}

/** The TypeScript example: the SDK class with the example's inputs. */
export function typescriptExample(description: ResourceDescription): string {
    const args = { policyId: examplePolicyId(description), ...exampleInputs(description) };
    const body = JSON.stringify(args, null, 4).replace(/"([A-Za-z_$][\w$]*)":/g, "$1:");
    return [`import * as msgraph from "pulumi-msgraph-assignments";`, "", `export const assignment = new msgraph.${description.kind}("example", ${body});`, ""].join("\n");
}

/** The TypeScript reference example: the SDK class's static `get` of an existing assignment. */
export function referenceExample(description: ResourceDescription): string {
    const state = description.pathProperties.map((k) => `${k}: ${JSON.stringify(k === "policyId" ? examplePolicyId(description) : "…")}`).join(", ");
    const output = description.bodyProperties[0] ?? "assignmentId";
    return [
        `import * as msgraph from "pulumi-msgraph-assignments";`,
        "",
        `const existing = msgraph.${description.kind}.get("existing", "${EXAMPLE_ASSIGNMENT_ID}", { ${state} });`,
        `export const ${output} = existing.${output};`,
        "",
    ].join("\n");
}

/** How to reference an assignment the stack does not manage (the SDK's static `get`). */
function referenceLines(description: ResourceDescription): string[] {
    const pathProps = description.pathProperties.map((k) => `\`${k}\``).join(", ");
    return [
        `\`${description.kind}.get(name, id, state, opts?)\` references an existing assignment read-only: \`id\` is Graph's assignment id, \`state\` carries ${pathProps} and optionally other inputs.`,
        "Every `up` reads it from its policy's list and fills the outputs as Graph holds them. It sends no write, a missing assignment fails the run, and destroying the stack leaves the assignment in place (Pulumi discards the reference from the state); `drift` skips it.",
        `The id and ${pathProps} are checked as ids before anything is registered: none reaches a URL unchecked.`,
        "",
        "```typescript",
        referenceExample(description).trimEnd(),
        "```",
    ];
}

/** The config-repository example: one file of `assignments/` with the example's entry. */
export function yamlExample(description: ResourceDescription): string {
    const policyId = examplePolicyId(description);
    const entry = entryFromInputs(description, normalizeInputs(description, { ...exampleInputs(description), policyId }));
    if (entry === undefined) throw new Error(`${description.kind}: the example's target has no config-repo form`);
    const doc = { policies: [{ kind: description.kind, policyId, assignments: [{ name: "example", target: entry.target, ...entry.properties }] }] };
    return yaml.dump(doc, { lineWidth: 120 });
}

export function renderResourcePage(description: ResourceDescription): string {
    const { paths } = description;
    const outputs = [
        ...Object.keys(description.properties).map((k) => `- \`${k}\`: as Graph holds it (canonical form; Graph's defaults left out)`),
        "- `assignmentId`: Graph's id of the assignment (server-managed)",
    ];
    const serverManaged = description.serverManaged.filter((p) => p !== "id");
    return [
        `<!-- generated by \`npm run docs\` from the resource description; do not edit -->`,
        `# ${description.kind}`,
        "",
        description.summary ?? `Assignments of Graph's \`${description.odataType.replace(/^#/, "")}\`.`,
        "",
        `Pulumi type token: \`pulumi-nodejs:dynamic/msgraph:${description.kind}\` · SDK class \`${description.kind}\` · Graph type \`${description.odataType.replace(/^#/, "")}\` (beta).`,
        "",
        "## Graph routes",
        "",
        `- Policy: \`${paths.parent}\``,
        `- Assignments: \`${paths.collection}\``,
        `- One assignment: \`${paths.item}\``,
        ...(paths.assign === undefined ? [] : [`- Assign action: \`${paths.assign}\``]),
        "",
        "## Inputs",
        "",
        ...inputsTable(description),
        ...complexVariants(description),
        ...ruleLines(description),
        "",
        `Unknown inputs are refused. The full JSON Schema (draft-07) is \`descriptions.${description.kind}.inputSchema\` from \`pulumi-msgraph-assignments/provider\`.`,
        "",
        "## Outputs",
        "",
        ...outputs,
        ...(serverManaged.length > 0 ? ["", `Graph-owned, never compared or sent: ${serverManaged.map((p) => `\`${p}\``).join(", ")}.`] : []),
        "",
        "## Write strategies and adoption",
        "",
        ...writeStrategyLines(description),
        "",
        "## Example: TypeScript",
        "",
        "```typescript",
        typescriptExample(description).trimEnd(),
        "```",
        "",
        "## Example: config repository (`assignments/example.yaml`)",
        "",
        "```yaml",
        yamlExample(description).trimEnd(),
        "```",
        "",
        "## Referencing an existing assignment",
        "",
        ...referenceLines(description),
        "",
    ].join("\n");
}
