export * from "./clusters";
export * from "./drift";
export * from "./platform";
export * from "./tenants";
