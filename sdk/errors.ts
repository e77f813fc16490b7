/** One field-level complaint of a validation problem. */
export interface FieldError {
  location: string;
  message: string;
}

/**
 * An RFC 9457 problem the API answered with. `code` is the stable machine-readable reason
 * (`not_found`, `already_exists`, `validation_failed`, …); `requestId` is what to quote when
 * asking the operators what happened.
 */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId: string;
  readonly title: string;
  readonly type: string;

  constructor(problem: {
    status: number;
    code?: string;
    detail?: string;
    errors?: FieldError[];
    requestId?: string;
    title?: string;
    type?: string;
  }) {
    const detail = problem.detail ?? problem.title ?? `HTTP ${problem.status}`;
    super(`${problem.status} ${problem.code ?? "error"}: ${detail}`);
    this.status = problem.status;
    this.code = problem.code ?? "error";
    this.detail = detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId ?? "";
    this.title = problem.title ?? "";
    this.type = problem.type ?? "about:blank";
  }

  /** Reads a failed response: a problem+json body when there is one, the status line otherwise. */
  static async fromResponse(response: Response, body?: unknown): Promise<ProblemError> {
    let parsed = body;
    if (parsed === undefined) {
      const text = await response.text().catch(() => "");
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = { detail: text.slice(0, 500) || response.statusText };
      }
    }
    const p = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
    return new ProblemError({
      status: response.status,
      code: typeof p.code === "string" ? p.code : undefined,
      detail: typeof p.detail === "string" ? p.detail : response.statusText || undefined,
      errors: Array.isArray(p.errors) ? (p.errors as FieldError[]) : undefined,
      requestId: typeof p.requestId === "string" ? p.requestId : (response.headers.get("x-request-id") ?? undefined),
      title: typeof p.title === "string" ? p.title : undefined,
      type: typeof p.type === "string" ? p.type : undefined,
    });
  }
}

/** `waitFor` gave up: the condition did not hold in time, or `failWhen` matched. */
export class WaitError<T = unknown> extends Error {
  override readonly name = "WaitError";
  constructor(
    message: string,
    /** The last value the fetcher returned (`undefined` when the resource was gone). */
    readonly last: T | undefined,
    readonly reason: "timeout" | "failed",
  ) {
    super(message);
  }
}
