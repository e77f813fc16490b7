export * from "./applications";
export * from "./clusters";
export * from "./environments";
export * from "./platform";
export * from "./tenants";
