/**
 * One root cause shows up as many findings: a recreated identity is a new
 * principal without the documented roles (ROLE_MISSING each), its app's
 * references cannot read the vault, App Service reports them denied, and
 * the old principal's grants linger (UNDOCUMENTED_ACCESS). Each is still
 * reported, since each is a fix to make, but points at the finding it
 * follows from, so a reader starts with the cause.
 */
import type { Finding } from "./finding.js";

type Cause = NonNullable<Finding["causedBy"]>;

function causeOf(finding: Finding): Cause {
  return finding.causedBy ?? { id: finding.id, ruleId: finding.ruleId, subject: finding.subject };
}

function indexBy(findings: Finding[], ruleId: string, key: (finding: Finding) => string) {
  return new Map(
    findings.filter((f) => f.ruleId === ruleId).map((f) => [key(f).toLowerCase(), f] as const),
  );
}

const principalOf = (finding: Finding) => finding.evidence["principalId"] ?? "";

/** The identity-level cause of a finding about a principal or its app, if any. */
function identityCause(
  finding: Finding,
  recreated: Map<string, Finding>,
  byIdentity: Map<string, Finding>,
) {
  switch (finding.ruleId) {
    case "ROLE_MISSING":
    case "KV_REFERENCE_IDENTITY_CANNOT_READ":
      return recreated.get(principalOf(finding).toLowerCase());
    case "UNDOCUMENTED_ACCESS":
      return byIdentity.get((finding.evidence["formerIdentity"] ?? "").toLowerCase());
    default:
      return undefined;
  }
}

/** Each finding with `causedBy` set where it follows from another of the run. */
export function linkRootCauses(findings: Finding[]): Finding[] {
  const recreated = indexBy(findings, "IDENTITY_OBJECT_ID_MISMATCH", principalOf);
  const byIdentity = indexBy(
    findings,
    "IDENTITY_OBJECT_ID_MISMATCH",
    (f) => f.evidence["identity"] ?? "",
  );
  const missingIdentity = indexBy(findings, "IDENTITY_MISSING", (f) => f.resourceId);

  const linked = findings.map((finding) => {
    const cause =
      identityCause(finding, recreated, byIdentity) ??
      (finding.ruleId === "KV_REFERENCE_IDENTITY_CANNOT_READ"
        ? missingIdentity.get(finding.resourceId.toLowerCase())
        : undefined);

    return cause ? { ...finding, causedBy: causeOf(cause) } : finding;
  });

  // A reference App Service reports denied follows from its app not being able to read.
  const cannotRead = indexBy(linked, "KV_REFERENCE_IDENTITY_CANNOT_READ", (f) => f.resourceId);

  return linked.map((finding) => {
    const cause =
      finding.ruleId === "KV_REFERENCE_UNRESOLVED" &&
      /AccessToKeyVaultDenied/i.test(finding.observed)
        ? cannotRead.get(finding.resourceId.toLowerCase())
        : undefined;

    return cause ? { ...finding, causedBy: causeOf(cause) } : finding;
  });
}
