import type { Ctx } from "./context";
import { ForbiddenError } from "./errors";

/** Platform-level writes (classes, clusters, tokens) belong to admin tokens only. */
export function requireAdmin(ctx: Ctx, action: string): void {
  if (ctx.principal.role !== "admin") {
    throw new ForbiddenError(`${action} needs an admin token; this token is scoped to one tenant`);
  }
}
