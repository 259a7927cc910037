import { describe, expect, it } from "vitest";

import { makeDoc, parseError, parseOk, ruleIds, secretRow } from "./builders.js";

const pairsOf = (doc: string) =>
  parseOk(doc).doc.secrets.map((pair) => [pair.line, pair.secret, pair.setting, pair.purpose]);

describe("finding tables by what their headers mean", () => {
  it("reads bold headers, no outer pipes, an index column and alignment colons", () => {
    const doc = [
      "**#** | **Secret** | **Environment variable** | **Notes**",
      ":-: | :-- | --: | ---",
      "1 | `DB-PASS` | `DB_PASS` | database",
      "2 | `API-KEY` | `API_KEY` | vendor",
    ].join("\n");

    expect(pairsOf(doc)).toEqual([
      [3, "DB-PASS", "DB_PASS", "database"],
      [4, "API-KEY", "API_KEY", "vendor"],
    ]);
  });

  it("ignores the cells under a blank header", () => {
    const doc = ["| Secret name | | App setting |", "|--|--|--|", "| `A-B` | 42 | `A_B` |"].join(
      "\n",
    );

    expect(pairsOf(doc)).toEqual([[3, "A-B", "A_B", ""]]);
  });

  it("reads links, emphasis, <br> and <p> as text and keeps other tags and emoji literal", () => {
    const doc = [
      "| Secret | Setting | Purpose |",
      "|---|---|---|",
      "| [`PAY-KEY`](https://example.net) | **PAY_KEY** | Pays<br>the *vendor*<p>for `<env>` ✅ |",
    ].join("\n");

    expect(pairsOf(doc)).toEqual([[3, "PAY-KEY", "PAY_KEY", "Pays the vendor for <env> ✅"]]);
  });

  it("never reads pipes inside a fenced code block as a table", () => {
    const doc = makeDoc({
      after: ["", "```kql", "| Secret | Setting |", "|---|---|", "| X-Y | X_Y |", "```"],
    });

    expect(parseOk(doc).doc.secrets.map((pair) => pair.secret)).toEqual(["API-KEY"]);
  });

  it("reads several secret tables, in order, as one matrix", () => {
    const doc = makeDoc({
      after: [
        "",
        "## Optional",
        "",
        "| Secret | Setting |",
        "|--|--|",
        secretRow("B-KEY", "B_KEY"),
      ],
    });

    expect(parseOk(doc).policy.secrets.map((secret) => secret.name)).toEqual(["API-KEY", "B-KEY"]);
  });

  it("refuses a doc with no table it can read, naming what to add", () => {
    const error = parseError("# Secrets\n\nNothing here yet.\n");

    expect(error.code).toBe("DOC_NO_MATRIX");
    expect(error.message).toBe(
      "secrets.md:1:1: the doc has no table with a secret, setting or identity column; " +
        "add a table headed `| Key Vault secret | App Setting / env | Purpose |`, or `| Identity | Role | Scope |`.",
    );
  });
});

describe("rows that cannot be read with certainty", () => {
  it("reads a short row with its missing cells empty, without a warning", () => {
    const { doc } = parseOk(makeDoc({ secretRows: ["| `ONLY-SECRET` |"] }));

    expect(doc.secrets).toMatchObject([{ secret: "ONLY-SECRET", setting: undefined, purpose: "" }]);
    expect(doc.findings).toEqual([]);
  });

  it("ignores extra cells that are empty", () => {
    const { doc } = parseOk(makeDoc({ secretRows: ["| `A-KEY` | `A_KEY` | Vendor | | |"] }));

    expect(doc.findings).toEqual([]);
  });

  it("warns about a non-empty extra cell and still reads the first cells", () => {
    const { doc } = parseOk(makeDoc({ secretRows: ["| `A-KEY` | `A_KEY` | Vendor | stray |"] }));

    expect(doc.secrets.map((pair) => pair.secret)).toEqual(["A-KEY"]);
    expect(doc.findings).toMatchObject([
      { ruleId: "MATRIX_PARSE_WARNING", docRef: { line: 12, column: 32 } },
    ]);
    expect(doc.findings[0]?.message).toBe(
      'The row at line 12 has 4 cells but the table header has 3; the extra cell "stray" belongs to no column, ' +
        "so the row is read from its first 3 cells only.",
    );
  });

  it("leaves out a row whose code span a pipe cut in two before its key columns", () => {
    const { doc } = parseOk(
      makeDoc({ secretRows: [secretRow("OK-KEY", "OK_KEY"), "| `A-KEY` | `A|B` | Vendor |"] }),
    );

    expect(doc.secrets.map((pair) => pair.secret)).toEqual(["OK-KEY"]);
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]?.message).toBe(
      'The row at line 13 has a code span cut in two by a `|` ("`A" | "B`"); GitHub splits table cells ' +
        "before it reads backticks, so the row is left out of the policy rather than read into the wrong columns.",
    );
    expect(doc.findings[0]?.remediation).toBe("Escape the pipe inside the backticks as `\\|`.");
  });

  it("still reads a row whose cut code span lies after its key columns", () => {
    const { doc } = parseOk(makeDoc({ secretRows: ["| `A-KEY` | `A_KEY` | run `a|b` |"] }));

    expect(doc.secrets.map((pair) => [pair.secret, pair.setting])).toEqual([["A-KEY", "A_KEY"]]);
    expect(ruleIds(doc.findings)).toEqual(["MATRIX_PARSE_WARNING"]);
  });

  it("reads an escaped pipe inside code as part of the value", () => {
    const { doc } = parseOk(makeDoc({ secretRows: ["| `A-KEY` | `A_KEY` | `a\\|b` |"] }));

    expect(doc.secrets[0]?.purpose).toBe("a|b");
    expect(doc.findings).toEqual([]);
  });

  it("reports a row with no key and leaves it out, never shifting cells", () => {
    const { doc } = parseOk(
      makeDoc({ secretRows: ["|  | `ORPHAN_SETTING` | no secret |", secretRow("B-KEY", "B_KEY")] }),
    );

    expect(doc.secrets.map((pair) => pair.secret)).toEqual(["B-KEY"]);
    expect(doc.findings[0]?.message).toBe(
      'The row at line 12 has nothing in its "Key Vault secret" column, so it is left out of the policy.',
    );
    expect(doc.findings[0]?.docRef).toEqual({ file: "secrets.md", line: 12, column: 1 });
  });
});

describe("secret and setting names", () => {
  it("lets one secret feed several settings, from one row or several, without a warning", () => {
    const rows = [
      "| `DB-CONN` | `DATABASE_URL`, `DB_URL` | db |",
      secretRow("DB-CONN", "LEGACY_DB"),
    ];
    const { policy } = parseOk(makeDoc({ secretRows: rows }));

    expect(policy.secrets).toHaveLength(1);
    expect(policy.secrets[0]?.settings.map((setting) => setting.name)).toEqual([
      "DATABASE_URL",
      "DB_URL",
      "LEGACY_DB",
    ]);
    expect(policy.findings).toEqual([]);
  });

  it("flags names that differ only in case on the later row, as one vault secret", () => {
    const rows = [secretRow("Api-Key", "API_KEY"), secretRow("api-key", "OTHER_KEY")];
    const { policy } = parseOk(makeDoc({ secretRows: rows }));

    expect(policy.secrets.map((secret) => secret.name)).toEqual(["Api-Key"]);
    expect(policy.findings).toMatchObject([
      { ruleId: "MATRIX_DUPLICATE_SECRET_NAME", docRef: { line: 13 } },
    ]);
    expect(policy.findings[0]?.message).toBe(
      'Secret "api-key" at line 13 differs only in case from "Api-Key" at line 12; ' +
        "Key Vault ignores case, so both rows describe one secret.",
    );
  });

  it("reads a repeated row once and says so on the later row", () => {
    const rows = [secretRow("A-KEY", "A_KEY"), secretRow("A-KEY", "A_KEY", "other words")];
    const { policy } = parseOk(makeDoc({ secretRows: rows }));

    expect(policy.secrets[0]?.settings).toHaveLength(1);
    expect(policy.findings[0]?.message).toBe(
      'The row at line 13 repeats secret "A-KEY" and setting "A_KEY" from line 12; it is read once.',
    );
  });

  it("treats : and __ as one separator when it looks for repeats", () => {
    const rows = [secretRow("Db-Conn", "Db:Conn"), secretRow("Db-Conn", "Db__Conn")];

    expect(ruleIds(parseOk(makeDoc({ secretRows: rows })).policy.findings)).toEqual([
      "MATRIX_DUPLICATE_ROW",
    ]);
  });

  it("reports a pasted secret value in the doc without repeating it anywhere", () => {
    const pasted = "Zq3vN8xL2pR7tY1uW6sK9mB4cD0fG5hJ+/=";
    const rows = [
      secretRow(pasted, "VENDOR_KEY"),
      `| \`A-KEY\` | \`A_KEY\` | Vendor | AccountKey=${pasted} |`,
    ];
    const { policy } = parseOk(makeDoc({ secretRows: rows }));

    expect(policy.findings).toMatchObject([
      { ruleId: "SECRET_NAME_INVALID", severity: "high", subject: "line 12" },
      { ruleId: "MATRIX_PARSE_WARNING" },
    ]);
    expect(policy.findings[0]?.message).toBe(
      "The secret name at line 12 looks like a pasted secret value (not repeated here), not a Key Vault secret name.",
    );
    expect(policy.findings[1]?.message).toContain(
      "the extra cell a value that looks like a secret (not repeated here) belongs to no column",
    );
    expect(policy.secrets.map((secret) => secret.name)).toEqual(["A-KEY"]);
    expect(JSON.stringify(policy)).not.toContain(pasted.slice(0, 12));
  });

  it("checks secret names against Key Vault's rules", () => {
    const { policy } = parseOk(makeDoc({ secretRows: [secretRow("db_password", "DB_PASSWORD")] }));

    expect(policy.findings).toMatchObject([
      { ruleId: "SECRET_NAME_INVALID", severity: "medium", subject: "db_password" },
    ]);
    expect(policy.findings[0]?.message).toBe(
      'Secret "db_password" at line 12 cannot exist in Key Vault: a secret name is 1-127 letters, digits and dashes.',
    );
    expect(policy.findings[0]?.remediation).toBe(
      'Write the name the vault holds, e.g. "db-password".',
    );
  });

  it("notes a templated secret name rather than calling it invalid", () => {
    const { policy } = parseOk(makeDoc({ secretRows: [secretRow("app-<env>-key", "APP_KEY")] }));

    expect(policy.findings).toMatchObject([{ ruleId: "MATRIX_TEMPLATED_NAME", severity: "info" }]);
  });

  it("notes a setting a Linux app cannot carry when the doc says its apps run on Linux", () => {
    const doc = makeDoc({
      secretRows: [secretRow("Db--Conn", "ConnectionStrings:Db")],
      after: ["", "The apps run on Linux."],
    });
    const { policy } = parseOk(doc);

    expect(policy.findings).toMatchObject([
      { ruleId: "MATRIX_NAME_NOT_LINUX_SAFE", severity: "info" },
    ]);
    expect(policy.findings[0]?.remediation).toBe(
      'Name the setting "ConnectionStrings__Db" on Linux; .NET reads "__" as ":".',
    );
    expect(policy.secrets[0]?.settings[0]?.kind).toBe("connectionString");
  });

  it("reads a dash in the secret column as a setting with no secret", () => {
    const { doc } = parseOk(makeDoc({ secretRows: ["| — | `LOG_LEVEL` | plain setting |"] }));

    expect([doc.secrets, doc.settings.map((setting) => setting.setting), doc.findings]).toEqual([
      [],
      ["LOG_LEVEL"],
      [],
    ]);
  });

  it("reads an App column as the apps that consume each setting", () => {
    const doc = [
      "| Secret | Setting | App |",
      "|--|--|--|",
      "| `A-KEY` | `A_KEY` | api, ui |",
    ].join("\n");

    expect(parseOk(doc).doc.secrets[0]?.apps).toEqual(["api", "ui"]);
  });

  it("reads a rotation column as that secret's limit", () => {
    const doc = [
      "| Secret | Setting | Rotation |",
      "|--|--|--|",
      "| `A-KEY` | `A_KEY` | every 60 days |",
    ].join("\n");
    const secret = parseOk(doc).policy.secrets[0];

    expect([secret?.maxAgeDays, secret?.rotationClasses]).toEqual([60, ["secret matrix"]]);
  });
});

describe("front matter", () => {
  it("reads last_verified and where it is written", () => {
    const { policy } = parseOk(makeDoc());

    expect([policy.lastVerified, policy.lastVerifiedRef]).toEqual([
      "2025-11-06",
      { file: "secrets.md", line: 3 },
    ]);
  });

  it("reports a last_verified that is not a date", () => {
    const { policy } = parseOk(
      makeDoc({ frontMatter: ["---", "last_verified: last spring", "---"] }),
    );

    expect(policy.lastVerified).toBeUndefined();
    expect(policy.findings).toMatchObject([
      { ruleId: "DOC_LAST_VERIFIED_INVALID", docRef: { line: 2 } },
    ]);
  });

  it("reports front matter that is not YAML and goes on reading the doc", () => {
    const { policy } = parseOk(makeDoc({ frontMatter: ["---", "title: [unclosed", "---"] }));

    expect(ruleIds(policy.findings)).toEqual(["DOC_FRONT_MATTER_INVALID"]);
    expect(policy.secrets).toHaveLength(1);
  });

  it("keeps line numbers true below the front matter", () => {
    expect(parseOk(makeDoc()).doc.secrets[0]?.line).toBe(12);
  });
});

describe(".NET configuration keys beside their Key Vault secret", () => {
  it("should mark them, say so once, and keep other settings as they are", () => {
    const rows = [
      secretRow("Storage--ConnectionString", "Storage:ConnectionString"),
      secretRow("Search--ApiKey", "Search:ApiKey"),
      secretRow("API-KEY", "API_KEY"),
    ];
    const { policy } = parseOk(makeDoc({ secretRows: rows }));

    expect(policy.secrets.map((s) => s.settings[0]?.configProviderKey ?? false)).toEqual([
      true,
      true,
      false,
    ]);
    expect(policy.findings).toMatchObject([
      { ruleId: "SETTING_CONFIG_PROVIDER_KEY", severity: "info", docRef: { line: 12 } },
    ]);
    expect(policy.findings[0]?.message).toContain(
      "2 setting(s) (Storage:ConnectionString, Search:ApiKey) are .NET configuration keys",
    );
  });
});
