#!/usr/bin/env node
// The CLI is TypeScript run through tsx, as the server is; this file only loads it.
import { register } from "tsx/esm/api";

register();
await import("./fleetplane.ts");
