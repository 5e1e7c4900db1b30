/** Entry point for `pulumi up`: the stack's outputs are the Graph ids of the assignments. */
import { declareAssignments, readSettings } from "./program";

const outputs = declareAssignments(readSettings());

export const baselinePilotAssignmentId = outputs.baselinePilotAssignmentId;
export const baselineExcludedAssignmentId = outputs.baselineExcludedAssignmentId;
export const cloudPcAssignmentId = outputs.cloudPcAssignmentId;
