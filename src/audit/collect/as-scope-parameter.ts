/**
 * A scope as the ARM SDKs' `scope` parameter wants it. They paste it into
 * `/{scope}/providers/...` unencoded, so a leading slash would double.
 */
export function asScopeParameter(scope: string): string {
  return scope.replace(/^\/+/, "");
}
