/**
 * The policy layer: reads the team's secrets doc and the bindings file into
 * the policy the rules judge. Pure; `src/audit/load-policy.ts` does the I/O.
 */
export { parsePolicy } from "./parse-policy.js";
export type { ParseResult, PolicyInput } from "./parse-policy.js";
export { judgePolicyAge } from "./judge-policy-age.js";
export { toValidationReport } from "./validation-report.js";
export type { ValidationReport } from "./validation-report.js";
export { PolicyError, isPolicyError } from "./policy-error.js";
export type { PolicyErrorCode } from "./policy-error.js";
export { readPolicyDoc } from "./read-policy-doc.js";
export type { PolicyDoc } from "./policy-doc.js";
export { BINDINGS_SCHEMA } from "./bindings-schema.js";
export { BUILT_IN_ROLES, findBuiltInRole, findBuiltInRoleByGuid } from "./built-in-roles.js";
export { settingKey, secretKey } from "./names.js";
export { DEFAULT_DOC_MAX_AGE_DAYS, DEFAULT_EXPIRY_WARNING_DAYS } from "./bind-policy.js";
export type * from "./policy-model.js";
