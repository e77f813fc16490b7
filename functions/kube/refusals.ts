import { StalledError, TransientError } from "../../core/errors";

/** An API server's refusal, by HTTP status: the same reasons whichever transport carried it. */
export function classifyStatus(status: number, message: string, server: string): TransientError | StalledError {
  const detail = message ? `: ${message}` : "";
  if (status === 401) {
    return new StalledError(
      "Unauthorized",
      `The API server at ${server} rejected the token (401)${detail}. Update connection.token.`,
    );
  }
  if (status === 403) {
    return new StalledError(
      "Forbidden",
      `The token may not do this on ${server} (403)${detail}. Grant it the needed RBAC.`,
    );
  }
  if (status === 429 || status >= 500) {
    return new TransientError("ServerError", `The API server at ${server} answered ${status}${detail}`);
  }
  return new StalledError("RequestRejected", `The API server at ${server} answered ${status}${detail}`);
}
