export * from "./addons";
export * from "./applications";
export * from "./clusters";
export * from "./drift";
export * from "./environments";
export * from "./notifications";
export * from "./platform";
export * from "./tenants";
