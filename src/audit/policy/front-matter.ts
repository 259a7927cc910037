import { LineCounter, parseDocument } from "yaml";

import { isCalendarDate } from "./names.js";
import { makeFinding } from "./make-finding.js";
import type { PolicyFinding } from "./policy-model.js";

export interface FrontMatter {
  title?: string;
  /** ISO date (YYYY-MM-DD). */
  lastVerified?: string;
  lastVerifiedLine?: number;
}

export interface SplitDoc {
  /** The doc with its front matter lines blanked, so markdown positions stay true. */
  body: string;
  frontMatter: FrontMatter;
  findings: PolicyFinding[];
}

const FENCE = /^---[ \t]*\r?$/;
const CLOSE = /^(---|\.\.\.)[ \t]*\r?$/;
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Separates YAML front matter from the markdown. remark without the
 * front matter plugin reads it as a thematic break and a setext heading;
 * front matter is defined by its fence lines, so this is read by line.
 */
export function splitFrontMatter(file: string, text: string): SplitDoc {
  const lines = text.split("\n");

  if (!FENCE.test(lines[0] ?? "")) {
    return { body: text, frontMatter: {}, findings: [] };
  }

  const end = lines.findIndex((line, index) => index > 0 && CLOSE.test(line));

  if (end < 0) {
    return { body: text, frontMatter: {}, findings: [] };
  }

  const yamlText = lines.slice(1, end).join("\n");
  const body = lines.map((line, index) => (index <= end ? "" : line)).join("\n");

  return { body, ...readFrontMatter(file, yamlText) };
}

function readFrontMatter(file: string, yamlText: string): Omit<SplitDoc, "body"> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter });
  const error = doc.errors[0];

  if (error) {
    const line = (error.linePos?.[0].line ?? 1) + 1;

    return {
      frontMatter: {},
      findings: [
        makeFinding({
          ruleId: "DOC_FRONT_MATTER_INVALID",
          severity: "low",
          file,
          line,
          message: `The front matter of ${file} is not valid YAML (${error.code}), so its last_verified date cannot be read.`,
          remediation: "Fix the YAML between the --- lines, e.g. `last_verified: 2025-11-06`.",
        }),
      ],
    };
  }

  return readFields(file, doc.toJS() as unknown, (path) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;

    return node?.range ? lineCounter.linePos(node.range[0]).line + 1 : 1;
  });
}

function readFields(
  file: string,
  data: unknown,
  lineOf: (path: string[]) => number,
): Omit<SplitDoc, "body"> {
  if (typeof data !== "object" || data === null) {
    return { frontMatter: {}, findings: [] };
  }

  const fields = data as Record<string, unknown>;
  const frontMatter: FrontMatter = {};

  if (typeof fields["title"] === "string") {
    frontMatter.title = fields["title"];
  }

  if (fields["last_verified"] === undefined) {
    return { frontMatter, findings: [] };
  }

  const line = lineOf(["last_verified"]);
  const raw = String(fields["last_verified"]);
  const date = ISO_DATE.exec(raw)?.[1];

  if (date && isCalendarDate(date)) {
    return {
      frontMatter: { ...frontMatter, lastVerified: date, lastVerifiedLine: line },
      findings: [],
    };
  }

  const finding = makeFinding({
    ruleId: "DOC_LAST_VERIFIED_INVALID",
    severity: "low",
    file,
    line,
    message: `The front matter of ${file} says last_verified: "${raw}", which is not a date, so the doc's age cannot be judged.`,
    remediation:
      "Write the date the doc was last checked as YYYY-MM-DD, e.g. `last_verified: 2025-11-06`.",
    subject: "last_verified",
  });

  return { frontMatter, findings: [finding] };
}
