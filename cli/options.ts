/**
 * Command-line options declared as data: one table per subcommand, parsed with `node:util` parseArgs, and the same
 * tables render each subcommand's `--help` and docs/cli.md, so usage text can never disagree with the parser.
 */
import { parseArgs } from "node:util";

/** One option of a subcommand. */
export interface OptionSpec {
    /** The long name, without `--`. */
    readonly name: string;
    readonly type: "string" | "boolean";
    /** A one-letter alias, without `-`. */
    readonly short?: string;
    /** Whether the option may be given more than once (its values are collected in order). */
    readonly multiple?: boolean;
    /** What the option does, one or two sentences. */
    readonly description: string;
    /**
     * What applies when the option is absent, as help shows it. Descriptive, not a value handed to parseArgs: the
     * command resolves it (the current folder, an environment variable, another option).
     */
    readonly default?: string;
    /** How help shows the value of a string option, e.g. `<name>`. */
    readonly valueName?: string;
    /** Whether the subcommand refuses to run without it (shown in the synopsis). */
    readonly required?: boolean;
}

/** One subcommand and its options. */
export interface SubcommandSpec {
    readonly name: string;
    /** One line for the list of subcommands. */
    readonly summary: string;
    /** What it does, its exit codes: a paragraph for its help. */
    readonly description: string;
    /** Synopses after `msgraph-assignments <name>`, when the one generated from the required options says too little. */
    readonly synopses?: readonly string[];
    readonly options: readonly OptionSpec[];
}

/** The values of one parsed command line: strings, lists of strings (multiple) and booleans (true when given). */
export type OptionValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** A command line that cannot be parsed (exit code 1): the message names the option and the subcommand. */
export class UsageError extends Error {
    public override readonly name = "UsageError";

    /** True for a UsageError, also one from another copy of this module. */
    public static isUsageError(value: unknown): value is UsageError {
        return value instanceof Error && value.name === "UsageError";
    }
}

/** The option named `--help`/`-h`, which every subcommand takes. */
export const HELP_OPTION: OptionSpec = { name: "help", type: "boolean", short: "h", description: "Prints this help and exits 0." };

/**
 * Parses the options after a subcommand against its table. Throws {@link UsageError} on an unknown option, a
 * string option without a value (also `--stack --quiet`), a value given to a boolean option, a single option given
 * twice, or a positional argument.
 */
export function parseOptions(program: string, spec: SubcommandSpec, args: readonly string[]): OptionValues {
    const where = `${program} ${spec.name}`;
    const options = Object.fromEntries(
        spec.options.map((o) => [o.name, { type: o.type, ...(o.short !== undefined ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
    );
    const { values, tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
    const seen = new Set<string>();
    for (const token of tokens) {
        if (token.kind === "positional") throw new UsageError(`${where}: unexpected argument "${token.value}"; see ${where} --help`);
        if (token.kind === "option-terminator") throw new UsageError(`${where}: unexpected "--"; see ${where} --help`);
        const option = spec.options.find((o) => o.name === token.name);
        if (option === undefined) throw new UsageError(`${where}: unknown option ${token.rawName}; see ${where} --help`);
        const shown = `--${option.name}`;
        if (option.type === "string") {
            if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
                throw new UsageError(`${where}: ${shown} needs a value (${optionPhrase(option)})`);
            }
        } else if (token.value !== undefined) {
            throw new UsageError(`${where}: ${shown} takes no value`);
        }
        if (!option.multiple && seen.has(option.name)) throw new UsageError(`${where}: ${shown} given more than once`);
        seen.add(option.name);
    }
    return { ...values } as OptionValues; // parseArgs gives a null-prototype object
}

/** `--name <value>` as help shows an option. */
function optionPhrase(option: OptionSpec): string {
    return option.type === "string" ? `--${option.name} ${option.valueName ?? "<value>"}` : `--${option.name}`;
}

/** The synopses of a subcommand: its own, else its required options followed by `[options]`. */
export function synopses(program: string, spec: SubcommandSpec): string[] {
    if (spec.synopses !== undefined) return spec.synopses.map((s) => `${program} ${spec.name} ${s}`);
    const required = spec.options.filter((o) => o.required).map(optionPhrase);
    return [[program, spec.name, ...required, "[options]"].join(" ")];
}

/** Wraps `text` at `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/).filter((w) => w !== "")) {
        if (line !== "" && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        } else {
            line = line === "" ? word : `${line} ${word}`;
        }
    }
    if (line !== "") lines.push(line);
    return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`));
}

/** What help says about an option besides its description: required, repeatable, default. */
export function optionNotes(option: OptionSpec): string[] {
    return [
        ...(option.required ? ["required"] : []),
        ...(option.multiple ? ["repeatable"] : []),
        ...(option.default !== undefined ? [`default: ${option.default}`] : []),
    ];
}

/** The `--help` text of one subcommand, generated from its table. */
export function subcommandUsage(program: string, spec: SubcommandSpec): string {
    const column = 34;
    const lines = [`usage: ${synopses(program, spec).join(`\n       `)}`, "", ...wrap(spec.description, 116, ""), "", "options:"];
    for (const option of spec.options) {
        const flag = `${option.short !== undefined ? `-${option.short}, ` : "    "}${optionPhrase(option)}`;
        const notes = optionNotes(option);
        const text = `${option.description}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
        const head = `  ${flag}`;
        const pad = head.length + 2 <= column ? head.padEnd(column) : `${head}\n${" ".repeat(column)}`;
        lines.push(`${pad}${wrap(text, 118 - column, " ".repeat(column)).join("\n")}`);
    }
    return `${lines.join("\n")}\n`;
}

/** The `--help` text of the program: every subcommand's synopses and summary. */
export function programUsage(program: string, specs: readonly SubcommandSpec[]): string {
    const lines = [`usage: ${program} <subcommand> [options]`, "", `subcommands (${program} <subcommand> --help lists its options):`];
    for (const spec of specs) {
        lines.push("", ...synopses(program, spec).map((s) => `  ${s}`), ...wrap(spec.summary, 110, "      ").map((l, i) => (i === 0 ? `      ${l}` : l)));
    }
    return `${lines.join("\n")}\n`;
}
