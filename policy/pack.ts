/**
 * The Pulumi policies of this package (CrossGuard, `@pulumi/policy`), each with its default enforcement level and
 * the settings users change in the pack's config. The logic lives in ./rules and ./destructive; here it is only wired
 * to the framework. Policies are built from the registry, so every kind it describes is covered.
 */
import { PolicyPack, type EnforcementLevel, type Policies, type ReportViolation, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_REGISTRY, kindsWithBroadTargets, viewOf, viewsOf, type Registry, type ResourceLike } from "./assignments.js";
import { destructiveChanges, exportStack, previousResourcesOf, stackNameFromEnv, tooManyDestructiveChanges, type PreviousResource } from "./destructive.js";
import {
    broadTargetWithoutFilter,
    duplicateTargets,
    exclusionsOnly,
    groupsIncludedAndExcluded,
    hasRequiredIntent,
    protectedGroupIncluded,
    protectedGroupsFromStackConfig,
    protectedGroupSet,
    type Violation,
} from "./rules.js";

/** Policy names (the keys of the pack's config). */
export const POLICY_NAMES = {
    broadTargetPrefix: "broad-target-without-filter-",
    requiredAppBroadTarget: "required-app-broad-target-without-filter",
    includedAndExcluded: "group-included-and-excluded",
    duplicateTarget: "duplicate-assignment-target",
    exclusionsOnly: "policy-with-only-exclusions",
    deleteLimit: "max-deletes-and-replacements",
    protectedGroups: "protected-group-included",
} as const;

export const DEFAULT_MAX_DELETES_AND_REPLACEMENTS = 10;

export interface AssignmentPolicyOptions {
    /** Descriptions to build the policies from (default: this package's registry). */
    readonly registry?: Registry;
    /**
     * The resources of the stack's last checkpoint (default: `pulumi stack export` of the stack the engine runs, in
     * previews only). Tests and Automation API users can pass their own.
     */
    readonly previousResources?: () => Promise<readonly PreviousResource[] | undefined>;
    /** The environment the engine gives the pack (PULUMI_CONFIG, PULUMI_NODEJS_*); default process.env. */
    readonly env?: NodeJS.ProcessEnv;
}

const report = (reportViolation: ReportViolation, violations: readonly (Violation | undefined)[]) => {
    for (const v of violations) if (v !== undefined) reportViolation(v.message, v.urn === "" ? undefined : v.urn);
};

function broadTargetPolicy(kind: string, registry: Registry): ResourceValidationPolicy {
    return {
        name: `${POLICY_NAMES.broadTargetPrefix}${kind}`,
        description: `${kind}: an all devices / all licensed users target needs an assignment filter.`,
        enforcementLevel: "advisory",
        validateResource: (args, reportViolation) => {
            const view = viewOf(args, registry);
            if (view === undefined || view.kind !== kind || hasRequiredIntent(view)) return;
            report(reportViolation, [broadTargetWithoutFilter(view)]);
        },
    };
}

function stackPolicy(name: string, description: string, level: EnforcementLevel, rule: (views: ReturnType<typeof viewsOf>) => Violation[], registry: Registry): StackValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: level,
        validateStack: (args, reportViolation) => report(reportViolation, rule(viewsOf(args.resources, registry))),
    };
}

/** The policies; compose them into your own PolicyPack or use {@link createAssignmentPolicyPack}. */
export function assignmentPolicies(options: AssignmentPolicyOptions = {}): Policies {
    const registry = options.registry ?? DEFAULT_REGISTRY;
    const env = options.env ?? process.env;
    const previousResources =
        options.previousResources ??
        (async () => {
            const stack = stackNameFromEnv(env);
            return stack === undefined ? undefined : previousResourcesOf(await exportStack(stack, env));
        });
    return [
        ...kindsWithBroadTargets(registry).map((kind) => broadTargetPolicy(kind, registry)),
        {
            name: POLICY_NAMES.requiredAppBroadTarget,
            description: "An assignment with intent 'required' (installed without asking) to all devices / all licensed users needs an assignment filter.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                const view = viewOf(args, registry);
                if (view !== undefined && hasRequiredIntent(view)) report(reportViolation, [broadTargetWithoutFilter(view)]);
            },
        },
        stackPolicy(
            POLICY_NAMES.includedAndExcluded,
            "A group is either included in or excluded from a policy, never both.",
            "mandatory",
            groupsIncludedAndExcluded,
            registry,
        ),
        stackPolicy(
            POLICY_NAMES.duplicateTarget,
            "At most one resource of the stack per target of a policy (two would overwrite each other).",
            "mandatory",
            duplicateTargets,
            registry,
        ),
        stackPolicy(
            POLICY_NAMES.exclusionsOnly,
            "A policy the stack assigns should not have exclusions only (it reaches nobody through this stack).",
            "advisory",
            exclusionsOnly,
            registry,
        ),
        {
            name: POLICY_NAMES.deleteLimit,
            description: "At most maxDeletesAndReplacements assignments deleted or replaced in one update.",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: { maxDeletesAndReplacements: { type: "integer", minimum: 0, default: DEFAULT_MAX_DELETES_AND_REPLACEMENTS } },
            },
            validateStack: async (args, reportViolation) => {
                // The update phase runs stack policies after its writes, on a checkpoint it has already changed: the
                // limit is decided by the preview before it (`pulumi up` previews first; msgraph-assignments up too).
                if (env.PULUMI_NODEJS_DRY_RUN === "false") return args.notApplicable("checked in the preview before the update");
                const { maxDeletesAndReplacements = DEFAULT_MAX_DELETES_AND_REPLACEMENTS } = args.getConfig<{ maxDeletesAndReplacements?: number }>();
                let previous: readonly PreviousResource[] | undefined;
                try {
                    previous = await previousResources();
                } catch (e) {
                    const why = ((e as Error).message ?? String(e)).split("\n")[0];
                    reportViolation(
                        `could not read the stack's last checkpoint to count deletes and replacements (${why}): put the Pulumi CLI ` +
                            `on PATH, or set ${POLICY_NAMES.deleteLimit} to disabled in the pack config.`,
                    );
                    return;
                }
                if (previous === undefined) return args.notApplicable("no stack to compare with");
                const current = args.resources.map((r) => ({ ...(r as ResourceLike), aliases: r.opts.aliases ?? [] }));
                const stackUrn = args.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
                report(reportViolation, tooManyDestructiveChanges(destructiveChanges(previous, current, registry), maxDeletesAndReplacements, stackUrn));
            },
        },
        {
            name: POLICY_NAMES.protectedGroups,
            description: "Protected groups (protectedGroupIds in the pack config or msgraph:protectedGroupIds in the stack config) are never included.",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: { protectedGroupIds: { type: "array", items: { type: "string" }, default: [] } },
            },
            validateResource: (args, reportViolation) => {
                const view = viewOf(args, registry);
                if (view === undefined) return;
                const { protectedGroupIds = [] } = args.getConfig<{ protectedGroupIds?: string[] }>();
                const groups = protectedGroupSet(protectedGroupIds, protectedGroupsFromStackConfig(env.PULUMI_CONFIG));
                report(reportViolation, [protectedGroupIncluded(view, groups)]);
            },
        },
    ];
}

/** Name of the pack this package ships in policy-pack/. */
export const POLICY_PACK_NAME = "msgraph-assignments";

/** Creates (and so starts serving) the pack; call once, at the top level of a policy pack's program. */
export function createAssignmentPolicyPack(name: string = POLICY_PACK_NAME, options: AssignmentPolicyOptions = {}): PolicyPack {
    return new PolicyPack(name, {
        description: "Guardrails for Microsoft Graph (Intune, Windows 365) assignments managed with pulumi-msgraph-assignments.",
        policies: assignmentPolicies(options),
    });
}
