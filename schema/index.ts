export * from "./clusters";
export * from "./drift";
export * from "./notifications";
export * from "./platform";
export * from "./tenants";
