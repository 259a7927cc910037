import type { Finding } from "../findings/finding.js";
import type { Policy } from "../policy/policy-model.js";
import type { AccessPolicy, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { sameId } from "./estate-index.js";
import { resolvePrincipal } from "./principal-index.js";
import { makeFinding } from "./rule.js";

const READ_ONLY = new Set(["get", "list"]);
const DESTRUCTIVE = new Set(["all", "set", "delete", "purge", "restore", "backup", "recover"]);

/** An access policy grants more than get and list: read-only is all an app needs. */
export const accessPolicyExcess: Rule = {
  id: "ACCESS_POLICY_EXCESS",
  title: "Access policy grants more than get and list",
  severity: "medium",
  rationale:
    "Set, delete or purge on a vault lets a compromised app overwrite or destroy the " +
    "secrets every other app depends on.",
  remediation: {
    summary: "Reduce the access policy to get and list on secrets",
    az: "az keyvault set-policy --name <vault> --object-id <principal-id> --secret-permissions get list",
    docs: "https://learn.microsoft.com/azure/key-vault/general/assign-access-policy",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return snapshot.vaults
      .filter((vault) => vault.enableRbacAuthorization === false)
      .flatMap((vault) =>
        (vault.accessPolicies ?? []).flatMap((entry) => {
          const excess = excessPermissions(entry);

          if (excess.length === 0) {
            return [];
          }

          const who = nameOf(policy, snapshot, entry.objectId);

          return [
            makeFinding(accessPolicyExcess, {
              severity: excess.some((p) => DESTRUCTIVE.has(p.split(" ")[1] ?? ""))
                ? "high"
                : "medium",
              resourceId: vault.resourceId,
              subject: `${who}: access policy`,
              message:
                `Vault ${vault.name} gives ${who} an access policy beyond get and list: ` +
                `${excess.join(", ")}.`,
              expected: "secrets: get, list",
              observed: excess.join(", "),
              docRef: undefined,
              evidence: { vault: vault.name, objectId: entry.objectId },
            }),
          ];
        }),
      );
  },
};

function excessPermissions(entry: AccessPolicy): string[] {
  const kinds = { secrets: entry.secrets, keys: entry.keys, certificates: entry.certificates };

  return Object.entries(kinds).flatMap(([kind, permissions]) =>
    permissions
      .map((p) => p.toLowerCase())
      .filter((p) => kind !== "secrets" || !READ_ONLY.has(p))
      .map((p) => `${kind} ${p}`),
  );
}

function nameOf(policy: Policy, snapshot: Snapshot, objectId: string): string {
  const identity = policy.identities.find((candidate) => {
    const principal = resolvePrincipal(policy, snapshot, candidate);

    return principal.status === "resolved" && sameId(principal.principalId, objectId);
  });

  return identity ? `${identity.name} (${objectId})` : `principal ${objectId}`;
}
