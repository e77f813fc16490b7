export * from "./clusters";
export * from "./platform";
