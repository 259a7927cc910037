import { readdir, readFile, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { basename, extname, join } from "node:path";

import type { PolicyInput } from "./policy/parse-policy.js";
import { parsePolicy } from "./policy/parse-policy.js";
import { PolicyError } from "./policy/policy-error.js";
import type { PolicyErrorCode } from "./policy/policy-error.js";
import type { Policy } from "./policy/policy-model.js";
import { listKnownRuleIds } from "./rules/rule-registry.js";

const DOC_NAME = "secrets.md";
const BINDINGS_NAMES = ["bindings.yaml", "bindings.yml", "bindings.json"];
const MARKDOWN = new Set([".md", ".markdown"]);

/**
 * Loads the policy from a directory (its `secrets.md`, or its one markdown
 * file, plus `bindings.yaml|yml|json` beside it) or from a single markdown
 * file read alone with default bindings. Throws PolicyError, naming the
 * file and what to do, when the policy cannot be used.
 */
export async function loadPolicy(path: string): Promise<Policy> {
  const input = await readPolicyInput(path);
  const result = parsePolicy({ ...input, knownRuleIds: listKnownRuleIds() });

  if ("error" in result) {
    throw result.error;
  }

  return result.policy;
}

/** Finds and reads the doc and bindings a policy path stands for. */
export async function readPolicyInput(path: string): Promise<PolicyInput> {
  const stats = await statOrUndefined(path);

  if (!stats) {
    throw fileError(
      "POLICY_NOT_FOUND",
      path,
      "no such file or directory",
      "pass the policy directory (with secrets.md and bindings.yaml) or a markdown doc",
    );
  }

  if (stats.isDirectory()) {
    return readPolicyDirectory(path);
  }

  if (!MARKDOWN.has(extname(path).toLowerCase())) {
    throw fileError(
      "POLICY_DOC_NOT_FOUND",
      path,
      "not a markdown doc",
      "pass the directory that holds it and the doc, or the .md doc itself",
    );
  }

  return { docFile: path, docText: await readText(path) };
}

async function readPolicyDirectory(directory: string): Promise<PolicyInput> {
  const names = await readdir(directory);
  const docName = pickDoc(directory, names);
  const bindingsNames = BINDINGS_NAMES.filter((name) => names.includes(name));

  if (bindingsNames.length > 1) {
    throw fileError(
      "POLICY_BINDINGS_AMBIGUOUS",
      directory,
      `both ${bindingsNames.join(" and ")}`,
      "keep one bindings file",
    );
  }

  const docFile = join(directory, docName);
  const input: PolicyInput = { docFile, docText: await readText(docFile) };
  const bindingsName = bindingsNames[0];

  if (bindingsName === undefined) {
    return input;
  }

  const bindingsFile = join(directory, bindingsName);

  return { ...input, bindingsFile, bindingsText: await readText(bindingsFile) };
}

function pickDoc(directory: string, names: readonly string[]): string {
  if (names.includes(DOC_NAME)) {
    return DOC_NAME;
  }

  const docs = names.filter(
    (name) =>
      MARKDOWN.has(extname(name).toLowerCase()) && basename(name).toLowerCase() !== "readme.md",
  );

  if (docs.length === 1 && docs[0] !== undefined) {
    return docs[0];
  }

  if (docs.length === 0) {
    throw fileError(
      "POLICY_DOC_NOT_FOUND",
      join(directory, DOC_NAME),
      "no such file, and the directory holds no other markdown doc",
      "write the team's secrets doc there, or pass the doc's path",
    );
  }

  throw fileError(
    "POLICY_DOC_AMBIGUOUS",
    directory,
    `${docs.length} markdown docs (${docs.join(", ")}) and no ${DOC_NAME}`,
    `name the policy doc ${DOC_NAME}, or pass its path`,
  );
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (isNodeError(error) && (error.code === "ENOENT" || error.code === "ENOTDIR")) {
      return undefined;
    }

    throw error;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if (
      isNodeError(error) &&
      (error.code === "ENOENT" || error.code === "EACCES" || error.code === "EISDIR")
    ) {
      throw fileError(
        "POLICY_UNREADABLE",
        file,
        `cannot be read (${error.code})`,
        "check that the file exists and is readable",
      );
    }

    throw error;
  }
}

function fileError(code: PolicyErrorCode, file: string, problem: string, fix: string): PolicyError {
  return new PolicyError({ code, file, line: 0, column: 0, value: file, problem, fix });
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
