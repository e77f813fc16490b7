export * from "./applications";
export * from "./clusters";
export * from "./platform";
export * from "./tenants";
