import { SECRET_READER_GUIDS } from "./built-in-roles.js";
import { phraseKey } from "./names.js";

/** What one access phrase means: a role, at a scope word, possibly a capability. */
export interface VocabularyGrant {
  roleName: string;
  roleDefinitionGuid: string | undefined;
  /** A scope word (`Key Vault`, `aitraderblobstore`) or an ARM id; absent: the phrase's own. */
  scope?: string;
  /** Set for capabilities that several roles satisfy. */
  satisfiedByGuids?: readonly string[];
  secretPermissions?: readonly string[];
}

/**
 * The words the doc reader turns into roles: whole access phrases, and
 * custom role names. Built-in role names are known without it.
 */
export interface AccessVocabulary {
  /** Keyed by `phraseKey()` of the phrase. */
  phrases: ReadonlyMap<string, readonly VocabularyGrant[]>;
  /** Lower-case custom role name → role definition GUID. */
  customRoles: ReadonlyMap<string, string>;
}

// "Read secrets" is a capability, not a role: Secrets User, Secrets Officer,
// Administrator, or an access policy with secret get all give it.
const READ_SECRETS: VocabularyGrant = {
  roleName: "Key Vault Secrets User",
  roleDefinitionGuid: "4633458b-17de-408a-b874-0445c86b69e6",
  scope: "Key Vault",
  satisfiedByGuids: SECRET_READER_GUIDS,
  secretPermissions: ["get"],
};

const CAPABILITY_PHRASES = [
  "Key Vault (read secrets)",
  "Key Vault (get secrets)",
  "Key Vault (secret get)",
  "Key Vault (secrets get)",
  "Key Vault read secrets",
];

export const DEFAULT_VOCABULARY: AccessVocabulary = {
  phrases: new Map(CAPABILITY_PHRASES.map((phrase) => [phraseKey(phrase), [READ_SECRETS]])),
  customRoles: new Map(),
};

/** The default vocabulary with the bindings' phrases and custom roles laid over it. */
export function extendVocabulary(
  phrases: ReadonlyMap<string, readonly VocabularyGrant[]>,
  customRoles: ReadonlyMap<string, string>,
): AccessVocabulary {
  return {
    phrases: new Map([...DEFAULT_VOCABULARY.phrases, ...phrases]),
    customRoles: new Map([...DEFAULT_VOCABULARY.customRoles, ...customRoles]),
  };
}

export function isCapability(grant: VocabularyGrant): boolean {
  return grant.satisfiedByGuids !== undefined || grant.secretPermissions !== undefined;
}
