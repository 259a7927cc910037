import type { PhrasingContent } from "mdast";

/** Text of inline markdown as a reader sees it, plus the code spans it holds. */
export interface InlineText {
  text: string;
  /** Values of the inline code spans, in order. */
  codes: string[];
  /** A backtick left in plain text: a code span the parser could not close. */
  strayBacktick: boolean;
}

// Line-break tags are layout, not content; every other tag (`<env>`) is literal text.
const LAYOUT_TAG = /^<\/?(?:p|br)\s*\/?>$/i;

/**
 * Renders phrasing content to plain text: code spans keep their content,
 * emphasis and links keep their words, `<br>` and `<p>` become spaces,
 * whitespace collapses. Placeholders such as `<env>` survive, because the
 * parser reports them as inline HTML, not as text.
 */
export function toInlineText(nodes: readonly PhrasingContent[]): InlineText {
  const out: InlineText = { text: "", codes: [], strayBacktick: false };

  for (const node of nodes) {
    appendNode(node, out);
  }

  out.text = out.text.replace(/\s+/g, " ").trim();

  return out;
}

function appendNode(node: PhrasingContent, out: InlineText): void {
  switch (node.type) {
    case "text":
      out.text += node.value;
      out.strayBacktick ||= node.value.includes("`");
      return;
    case "inlineCode":
      out.text += node.value;
      out.codes.push(node.value);
      return;
    case "html":
      out.text += LAYOUT_TAG.test(node.value.trim()) ? " " : node.value;
      return;
    case "break":
      out.text += " ";
      return;
    case "image":
    case "imageReference":
      out.text += node.alt ?? "";
      return;
    case "footnoteReference":
      out.text += `[^${node.identifier}]`;
      return;
    default:
      appendChildren(node, out);
  }
}

function appendChildren(node: PhrasingContent, out: InlineText): void {
  if ("children" in node) {
    for (const child of node.children) {
      appendNode(child, out);
    }
  }
}
