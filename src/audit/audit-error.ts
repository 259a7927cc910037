/**
 * An error the user can act on: a stable code, and a message that says
 * what went wrong and what to do next. Never carries a secret value.
 */
export class AuditError extends Error {
  override readonly name = "AuditError";

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
