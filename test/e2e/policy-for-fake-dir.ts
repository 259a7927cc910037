import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseDocument } from "yaml";

import type { FakeAzure } from "../fake-azure/fake-azure.js";

/**
 * A copy of policy/ whose bindings point at a running fake: the same doc,
 * the same bindings, only the endpoints differ.
 */
export async function makePolicyDirForFake(fake: FakeAzure): Promise<{
  dir: string;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "drift-policy-"));
  const bindings = parseDocument(await readFile("policy/bindings.yaml", "utf8"));

  bindings.delete("cloud");
  bindings.set("armEndpoint", fake.armEndpoint);
  bindings.set("armScope", `${fake.armAudience}/.default`);
  bindings.set("disableChallengeResourceVerification", true);
  bindings.set("graphEndpoint", fake.graphEndpoint);
  bindings.set("graphScope", `${fake.graphAudience}/.default`);
  bindings.setIn(["vaults", "main", "vaultUrl"], fake.vaultUrl("kv-ai-trader-prod"));
  bindings.delete("$schema");

  await copyFile("policy/secrets.md", join(dir, "secrets.md"));
  await writeFile(join(dir, "bindings.yaml"), bindings.toString(), "utf8");

  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
