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
  DeviceManagementServiceConfigRead: "DeviceManagementServiceConfig.Read.All",
  DeviceManagementServiceConfigReadWrite: "DeviceManagementServiceConfig.ReadWrite.All",
  DeviceManagementAppsRead: "DeviceManagementApps.Read.All",
  DeviceManagementAppsReadWrite: "DeviceManagementApps.ReadWrite.All",
  CloudPcRead: "CloudPC.Read.All",
  CloudPcReadWrite: "CloudPC.ReadWrite.All",
  GroupRead: "Group.Read.All",
  GroupReadWrite: "Group.ReadWrite.All",
  DirectoryRead: "Directory.Read.All",
  DirectoryReadWrite: "Directory.ReadWrite.All",
} as const;

/**
 * Roles of the default app: one write permission per service the families use (Intune device management, which
 * enrollment configurations also accept; Intune apps; Windows 365), and Group.Read.All because the provider
 * resolves group display names to ids, which real Graph only allows with a group read permission.
 */
export const DEFAULT_APP_ROLES: readonly string[] = [
  Roles.DeviceManagementConfigurationReadWrite,
  Roles.DeviceManagementAppsReadWrite,
  Roles.CloudPcReadWrite,
  Roles.GroupRead,
];

/** Default access-token lifetime; Entra issues app tokens valid for 60 to 90 minutes. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

/** Audience Entra expects in federated (workload identity) assertions unless a credential lists others. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** Issuer of GitHub Actions OIDC tokens; the emulator signs with its own key under this real issuer name. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** Subject of the emulator's default GitHub Actions job: a push to main of the config repository. */
export const DEFAULT_GITHUB_SUBJECT = "repo:contoso/intune-config:ref:refs/heads/main";

/** Azure DevOps organization, project and service connection the emulator pretends to be. */
export const DEFAULT_ADO_ORGANIZATION = "contoso";
/** Azure DevOps issues OIDC tokens as https://vstoken.dev.azure.com/{organization id}. */
export const DEFAULT_ADO_ORGANIZATION_ID = "3f9a7c2e-5d41-4b8e-9c06-71e2d8a4b5f3";
export const DEFAULT_ADO_PROJECT = "intune-config";
export const DEFAULT_ADO_SERVICE_CONNECTION_NAME = "msgraph-emulator";
export const DEFAULT_ADO_SERVICE_CONNECTION_ID = "d7c1e5a9-2f4b-4c83-a6e0-9b3f5d2c8e17";
