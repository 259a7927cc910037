import type { Nodes, Paragraph, Root, Table, TableRow } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";

import { toInlineText } from "./inline-text.js";
import type { InlineText } from "./inline-text.js";

/** One table cell: its text and where its content starts. */
export interface MdCell extends InlineText {
  line: number;
  column: number;
}

export interface MdRow {
  line: number;
  column: number;
  cells: MdCell[];
}

export interface MdHeading {
  depth: number;
  text: string;
  line: number;
}

export interface MdTable {
  line: number;
  endLine: number;
  header: MdRow;
  rows: MdRow[];
  /** The nearest heading above the table, if any. */
  heading: MdHeading | undefined;
}

/** A paragraph of prose (in lists and quotes too), for rules written as sentences. */
export interface MdParagraph extends InlineText {
  line: number;
  column: number;
  /** Plain text and code spans in order, so a code span's lead-in can be read. */
  segments: { code: boolean; value: string }[];
}

export interface MdBlocks {
  tables: MdTable[];
  paragraphs: MdParagraph[];
  headings: MdHeading[];
}

const parser = unified().use(remarkParse).use(remarkGfm);

/**
 * Parses markdown the way GitHub renders it and returns the tables,
 * headings and prose paragraphs in document order. Code blocks and HTML
 * blocks are never looked into, so pipes inside fences are not tables.
 */
export function readMarkdownBlocks(markdown: string): MdBlocks {
  const blocks: MdBlocks = { tables: [], paragraphs: [], headings: [] };

  walk(parser.parse(markdown), blocks);

  return blocks;
}

function walk(node: Root | Nodes, blocks: MdBlocks): void {
  switch (node.type) {
    case "heading":
      blocks.headings.push({
        depth: node.depth,
        text: toInlineText(node.children).text,
        line: lineOf(node),
      });
      return;
    case "table":
      blocks.tables.push(readTable(node, blocks.headings.at(-1)));
      return;
    case "paragraph":
      blocks.paragraphs.push(readParagraph(node));
      return;
    case "code":
    case "html":
      return;
    default:
      if ("children" in node) {
        for (const child of node.children) {
          walk(child, blocks);
        }
      }
  }
}

function readTable(table: Table, heading: MdHeading | undefined): MdTable {
  const [header, ...rows] = table.children.map(readRow);

  return {
    line: lineOf(table),
    endLine: table.position?.end.line ?? lineOf(table),
    header: header ?? { line: lineOf(table), column: 1, cells: [] },
    rows,
    heading,
  };
}

function readRow(row: TableRow): MdRow {
  return {
    line: lineOf(row),
    column: row.position?.start.column ?? 1,
    cells: row.children.map((cell) => {
      const first = cell.children[0]?.position?.start;
      const start = cell.position?.start;

      return {
        ...toInlineText(cell.children),
        line: first?.line ?? start?.line ?? lineOf(row),
        column: first?.column ?? (start ? start.column + 1 : 1),
      };
    }),
  };
}

function readParagraph(paragraph: Paragraph): MdParagraph {
  const segments = paragraph.children.map((child) =>
    child.type === "inlineCode"
      ? { code: true, value: child.value }
      : { code: false, value: toInlineText([child]).text },
  );

  return {
    ...toInlineText(paragraph.children),
    line: lineOf(paragraph),
    column: paragraph.position?.start.column ?? 1,
    segments,
  };
}

function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 1;
}
