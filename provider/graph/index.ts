/** The provider's Microsoft Graph HTTP and auth layer. */
export * from "./clouds";
export * from "./errors";
export * from "./redact";
export * from "./retry";
export * from "./client";
export * from "./authSettings";
export * from "./credentials";
export * from "./tokenCache";
export * from "./sharedClients";
export * from "./batch";
