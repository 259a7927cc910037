import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { parsePolicy } from "../../src/audit/policy/parse-policy.js";
import { parseOk } from "./builders.js";

// Pieces that push a markdown parser into its corners.
const MARKDOWN_PIECES = [
  "|",
  "||",
  " | ",
  "\\|",
  "-",
  "---",
  ":--",
  "--:",
  "\n",
  "\n\n",
  " ",
  "`",
  "``",
  "```",
  "```\n",
  "**",
  "*",
  "_",
  "[",
  "](",
  ")",
  "<br>",
  "<p>",
  "</p>",
  "<env>",
  "# ",
  "### ",
  "> ",
  "1. ",
  "- ",
  "…",
  "✅",
  "⚠️",
  "Key Vault secret",
  "App Setting / env",
  "Identity",
  "Role",
  "Scope",
  "Same as above",
  "OID ending …85df",
  "Rotate keys quarterly",
  "Key Vault (read secrets)",
  "Sender/Receiver",
  "\t",
  "\r\n",
  "---\nlast_verified: 2025-01-01\n---\n",
  "A-KEY",
  "A_KEY",
  "1a2b3c4d-0000-4000-8000-000000000601",
];

const markdown = fc.oneof(
  fc.array(fc.constantFrom(...MARKDOWN_PIECES), { maxLength: 80 }).map((pieces) => pieces.join("")),
  fc.string({ unit: "grapheme", maxLength: 300 }),
);

describe("the parser on arbitrary markdown", () => {
  it("never throws, and always gives a policy or a PolicyError", () => {
    fc.assert(
      fc.property(markdown, (text) => {
        const result = parsePolicy({ docFile: "fuzz.md", docText: text });

        expect("policy" in result || "error" in result).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

interface Row {
  secret: string;
  setting: string;
  purpose: string[];
}

const secretName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,24}$/);
const settingName = fc.stringMatching(/^[A-Z][A-Z0-9]{0,8}(_[A-Z0-9]{1,8}){0,3}$/);
const word = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9,.+/()-]{0,10}$/),
  fc.constantFrom("\\|", "<br>"),
);
const rows = fc.uniqueArray(
  fc.record({
    secret: secretName,
    setting: settingName,
    purpose: fc.array(word, { maxLength: 5 }),
  }),
  { minLength: 1, maxLength: 12, selector: (row) => row.secret.toLowerCase() },
);

const layout = fc.record({
  outerPipes: fc.boolean(),
  boldHeader: fc.boolean(),
  backticks: fc.boolean(),
  settingFirst: fc.boolean(),
  padding: fc.integer({ min: 0, max: 3 }),
  align: fc.constantFrom("---", ":--", "--:", ":-:"),
  secretHeader: fc.constantFrom(
    "Key Vault secret",
    "Secret Name in Key Vault",
    "Key Vault Secret Name",
  ),
  settingHeader: fc.constantFrom(
    "App Setting / env",
    "Environment variable",
    "appsettings.json Path",
  ),
  purposeHeader: fc.constantFrom("Purpose", "Notes", "Description"),
});

type Layout = typeof layout extends fc.Arbitrary<infer T> ? T : never;

function renderTable(table: readonly Row[], style: Layout): string {
  const pad = " ".repeat(style.padding);
  const line = (cells: string[]) => {
    const inner = cells.map((cell) => `${pad}${cell}${pad}`).join("|");

    return style.outerPipes ? `|${inner}|` : inner;
  };
  const order = <T>(secret: T, setting: T, purpose: T) =>
    style.settingFirst ? [setting, secret, purpose] : [secret, setting, purpose];
  const name = (value: string) => (style.backticks ? `\`${value}\`` : value);
  const header = order(style.secretHeader, style.settingHeader, style.purposeHeader).map((cell) =>
    style.boldHeader ? `**${cell}**` : cell,
  );

  return [
    line(header),
    line(header.map(() => style.align)),
    ...table.map((row) => line(order(name(row.secret), name(row.setting), row.purpose.join(" ")))),
  ].join("\n");
}

function expectedPurpose(words: readonly string[]): string {
  return words.join(" ").replaceAll("\\|", "|").replaceAll("<br>", " ").replace(/\s+/g, " ").trim();
}

describe("a generated table", () => {
  it("is read back row for row, at the lines it was written on", () => {
    fc.assert(
      fc.property(rows, layout, (table, style) => {
        const text = `# Secrets\n\n${renderTable(table, style)}\n`;
        const { doc } = parseOk(text);

        expect(
          doc.secrets.map((pair) => [pair.line, pair.secret, pair.setting, pair.purpose]),
        ).toEqual(
          table.map((row, index) => [
            index + 5,
            row.secret,
            row.setting,
            expectedPurpose(row.purpose),
          ]),
        );
        expect(doc.findings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
