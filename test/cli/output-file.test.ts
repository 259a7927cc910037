import { resolve } from "node:path";

import { describe, expect, it } from "vitest";

import { checkOutputPath } from "../../src/cli/output-file.js";

const INPUTS = ["policy", "examples/demo-estate.json"];

function refusal(out: string): string {
  try {
    checkOutputPath(out, INPUTS);
  } catch (error) {
    return (error as Error).message;
  }

  return "(accepted)";
}

describe("an --out path", () => {
  it("should name the policy file it would overwrite, not the policy directory", () => {
    expect(refusal("policy/secrets.md")).toBe(
      `--out policy/secrets.md would overwrite ${resolve("policy/secrets.md")} ` +
        "in the policy directory this run reads; choose another file",
    );
    expect(refusal("policy/bindings.yaml")).toContain(
      `would overwrite ${resolve("policy/bindings.yaml")} in the policy directory`,
    );
  });

  it("should name the file it would add where the next run looks for the policy", () => {
    expect(refusal("policy/report.md")).toBe(
      `--out policy/report.md would add ${resolve("policy/report.md")} to the policy ` +
        "directory this run reads, where the next run may take it for the doc or the " +
        "bindings; choose another file",
    );
  });

  it("should name the snapshot it would overwrite", () => {
    expect(refusal("./examples/demo-estate.json")).toBe(
      `--out ./examples/demo-estate.json would overwrite ${resolve("examples/demo-estate.json")}, ` +
        "which this run reads; choose another file",
    );
  });

  it("should accept a file the policy loader never reads", () => {
    expect(refusal("policy/report.sarif")).toBe("(accepted)");
    expect(refusal("report.md")).toBe("(accepted)");
  });
});
