/** The provider's Microsoft Graph HTTP and auth layer. */
export * from "./clouds";
export * from "./errors";
export * from "./redact";
export * from "./retry";
export * from "./client";
export * from "./auth";
export * from "./batch";
