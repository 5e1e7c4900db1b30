/**
 * Identifiers shared by the emulator, the demo and the tests.
 *
 * They are fixed (not random) so that a provider configured once against the emulator keeps working across
 * restarts, and so that documentation can quote them. None of them is a real Entra tenant or application.
 */

/** Tenant id of the emulator's default directory. */
export const DEFAULT_TENANT_ID = "6f1d9c4e-2b7a-4e3f-9a51-0c8d7e6b5a42";

/** Client (application) id of the default registered app. */
export const DEFAULT_CLIENT_ID = "b4e2f7a1-93c6-4d58-8e0f-2a1c6d9b7e35";

/** Client secret of the default registered app; it only opens the local emulator. */
export const DEFAULT_CLIENT_SECRET = "emu~Local.Graph.Emulator.Secret-0000";

/** Audience of Microsoft Graph access tokens, as Entra writes it in `aud` for `.default` scopes. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";

/** Well-known application id of Microsoft Graph; Entra accepts it in place of the resource URL. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Application permissions (app roles) the emulator understands. */
export const Roles = {
  DeviceManagementConfigurationRead: "DeviceManagementConfiguration.Read.All",
  DeviceManagementConfigurationReadWrite: "DeviceManagementConfiguration.ReadWrite.All",
  CloudPcRead: "CloudPC.Read.All",
  CloudPcReadWrite: "CloudPC.ReadWrite.All",
  GroupRead: "Group.Read.All",
  GroupReadWrite: "Group.ReadWrite.All",
  DirectoryRead: "Directory.Read.All",
  DirectoryReadWrite: "Directory.ReadWrite.All",
} as const;

/**
 * Roles of the default app. Group.Read.All is there in addition to the two assignment permissions because the
 * provider resolves group display names to ids, which real Graph only allows with a group read permission.
 */
export const DEFAULT_APP_ROLES: readonly string[] = [
  Roles.DeviceManagementConfigurationReadWrite,
  Roles.CloudPcReadWrite,
  Roles.GroupRead,
];

/** Default access-token lifetime; Entra issues app tokens valid for 60 to 90 minutes. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
