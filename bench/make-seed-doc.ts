/**
 * A team doc in the seed's layout (policy/secrets.md) with a secret matrix
 * of any length, its identity table, and bindings shaped like
 * policy/bindings.yaml, for timing `parsePolicy` as the matrix grows.
 */
import { stringify } from "yaml";

import type { PolicyInput } from "../src/audit/policy/parse-policy.js";

const FRONT_MATTER = [
  "---",
  'title: "Secrets & Key Vault"',
  "doc_type: reference",
  "last_verified: 2026-11-06",
  "toc: true",
  "---",
];

const IDENTITY_TABLE = [
  "## CI / Managed identity mapping",
  "",
  "| Identity | Scope | Key Vault / resource access | Notes |",
  "|----------|-------|-----------------------------|-------|",
  "| `bench-api-mi` (OID ending `…85df`) | API App Service | Key Vault (read secrets), " +
    "Event Hubs Data Sender/Receiver, Storage Blob Data Contributor (`benchblobs`) | Runtime. |",
  "| `bench-ui-mi` (OID ending `…4bb7`) | UI App Service | Same as above | UI. |",
  "| `gh-bench-ci` (GitHub Actions) | CI pipelines | Key Vault get/list + Storage " +
    "(artifact uploads) via federated credential | Keep scope minimal. |",
];

const GUIDELINES = [
  "## Usage guidelines",
  "",
  "1. Reference secrets in App Service using `@Microsoft.KeyVault(SecretUri=https://...)`.",
  "2. Rotate broker + vendor keys quarterly; document rotation in the project notes.",
];

function secretName(index: number): string {
  return `SVC-${String(index).padStart(5, "0")}-API-KEY`;
}

function matrixRow(index: number): string {
  const secret = secretName(index);

  return `| \`${secret}\` | \`${secret.replaceAll("-", "_")}\` | Vendor key ${index} |`;
}

/** The doc's text with `rowCount` secret-matrix rows. */
export function makeSeedDoc(rowCount: number): string {
  return [
    ...FRONT_MATTER,
    "",
    "# Secrets & Key Vault",
    "",
    "## Secret matrix",
    "",
    "| Key Vault secret | App Setting / env | Purpose |",
    "|------------------|-------------------|---------|",
    ...Array.from({ length: rowCount }, (_, index) => matrixRow(index)),
    "",
    ...IDENTITY_TABLE,
    "",
    ...GUIDELINES,
    "",
  ].join("\n");
}

/** Bindings like the seed's, naming the first six secrets as the rotating class. */
export function makeSeedBindings(rowCount: number): string {
  return stringify({
    subscriptionId: "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d",
    resourceGroup: "rg-bench",
    docMaxAgeDays: 180,
    expiryWarningDays: [30, 7, 1],
    vaults: { main: { name: "kv-bench" } },
    apps: {
      api: { name: "app-bench-api", os: "linux" },
      ui: { name: "app-bench-ui", os: "linux" },
    },
    identities: {
      "bench-api-mi": { app: "api" },
      "bench-ui-mi": { app: "ui" },
      "gh-bench-ci": { objectId: "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0" },
    },
    resources: {
      benchblobs: { type: "Microsoft.Storage/storageAccounts", name: "benchblobs" },
      "Event Hubs": { type: "Microsoft.EventHub/namespaces", name: "evh-bench" },
    },
    access: {
      "Key Vault get/list": [
        { role: "Key Vault Secrets User", scope: "Key Vault", secretPermissions: ["get", "list"] },
      ],
      "Storage (artifact uploads)": [
        { role: "Storage Blob Data Contributor", scope: "benchblobs" },
      ],
    },
    rotationClasses: {
      "broker-vendor": {
        phrase: "broker + vendor keys",
        secrets: Array.from({ length: Math.min(6, rowCount) }, (_, index) => secretName(index)),
      },
    },
    waivers: [],
  });
}

/** `parsePolicy` input for a doc of `rowCount` matrix rows and its bindings. */
export function makeSeedInput(rowCount: number): PolicyInput {
  return {
    docFile: "secrets.md",
    docText: makeSeedDoc(rowCount),
    bindingsFile: "bindings.yaml",
    bindingsText: makeSeedBindings(rowCount),
  };
}
