/** Library entry of the command line (`pulumi-msgraph-assignments/cli`): config repository, preview/up, drift detection, export. */
export { configRepoProgram, loadConfigRepo, loadConfigRepoOrThrow, resolveGroupNames, toInputs, KINDS, TARGET_TYPES } from "./configRepo";
export type { ConfigEntry, ConfigError, ConfigRepo, Kind, TargetSpec, TargetType } from "./configRepo";
export { detectDrift, renderMarkdown, renderTable, writeDriftReports } from "./drift";
export type { DriftOptions, DriftReport, DriftResult, DriftedAssignment, PropertyChange } from "./drift";
export { exportAssignments, type ExportOptions, type ExportResult, type PolicyRef } from "./export";
export { graphClientFor, type GraphConfig } from "./graphSettings";
export { deploy, secretValuesFrom, type DeployOptions, type DeployResult, type Operation } from "./deploy";
export { redactSecrets, MIN_SECRET_LENGTH, REDACTED } from "../provider/graph/redact";
export { ChangeCollector, renderChangeMarkdown, summaryLine, type ChangeKind, type ChangeSummary, type ResourceChange } from "./changeSummary";
export { openProgramStack, selectStack, type StackLocation } from "./workspace";
