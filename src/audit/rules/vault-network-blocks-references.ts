import type { Finding } from "../findings/finding.js";
import type { SiteSnapshot, VaultSnapshot } from "../snapshot/snapshot.js";
import type { ReferenceUse } from "./reference-uses.js";
import { listReferenceUses } from "./reference-uses.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { siteLabel } from "./setting-missing.js";

/**
 * The vault's firewall denies by default and the app has no VNet
 * integration: allow-listing outbound IPs or the trusted-services bypass
 * does not reliably let App Service resolve references. Only reported while
 * the platform has not confirmed every reference resolves.
 */
export const vaultNetworkBlocksReferences: Rule = {
  id: "KV_NETWORK_MAY_BLOCK_REFERENCES",
  title: "Vault firewall may block Key Vault reference resolution",
  severity: "medium",
  rationale:
    "Reference resolution does not necessarily leave from the app's outbound IPs, so a " +
    "vault that denies by default can refuse it even when those IPs are allowed.",
  remediation: {
    summary:
      "Integrate the app with a VNet that the vault allows (VNet rule or private endpoint), " +
      "and set vnetRouteAllEnabled",
    az: "az webapp vnet-integration add -g <resource-group> -n <app> --vnet <vnet> --subnet <subnet>",
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#access-network-restricted-vaults",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    const bySite = new Map<
      string,
      { site: SiteSnapshot; vault: VaultSnapshot; uses: ReferenceUse[] }
    >();

    for (const use of listReferenceUses(policy, snapshot)) {
      if (use.vault && deniesByDefault(use.vault) && !use.site.virtualNetworkSubnetId) {
        const key = `${use.site.resourceId}|${use.vault.resourceId}`.toLowerCase();
        const entry = bySite.get(key) ?? { site: use.site, vault: use.vault, uses: [] };

        entry.uses.push(use);
        bySite.set(key, entry);
      }
    }

    return [...bySite.values()]
      .filter(({ uses }) => uses.some((use) => use.status?.status?.toLowerCase() !== "resolved"))
      .map(({ site, vault }) => networkFinding(site, vault));
  },
};

function deniesByDefault(vault: VaultSnapshot): boolean {
  return (
    vault.publicNetworkAccess?.toLowerCase() === "disabled" ||
    vault.networkAcls?.defaultAction?.toLowerCase() === "deny"
  );
}

function networkFinding(site: SiteSnapshot, vault: VaultSnapshot): Finding {
  const rules = vault.networkAcls;
  const how =
    vault.publicNetworkAccess?.toLowerCase() === "disabled"
      ? "public network access disabled"
      : `default action Deny, bypass ${rules?.bypass ?? "None"}, ${rules?.ipRules.length ?? 0} IP rule(s)`;

  return makeFinding(vaultNetworkBlocksReferences, {
    severity: vaultNetworkBlocksReferences.severity,
    resourceId: site.resourceId,
    subject: `network: ${vault.name}`,
    message:
      `Vault ${vault.name} restricts network access (${how}) and app ` +
      `${siteLabel(site.name, site.slot)} has no VNet integration, so App Service may be ` +
      "unable to resolve its Key Vault references.",
    expected: "VNet integration into a subnet the vault allows",
    observed: `no VNet integration; vault ${how}`,
    docRef: undefined,
    evidence: {
      app: site.name,
      slot: site.slot ?? "production",
      vault: vault.name,
      outboundIpAddresses: (site.outboundIpAddresses ?? []).join(","),
    },
  });
}
