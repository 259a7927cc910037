/**
 * HTML built only through the `html` tag: every interpolated string is
 * escaped, so text from the doc or from Azure can never become markup.
 * Only a `Markup` value, itself made by the tag, passes through as is.
 */
export class Markup {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

type Interpolation = string | number | Markup | readonly Markup[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  const text = strings.reduce(
    (out, literal, index) => out + literal + (index < values.length ? render(values[index]) : ""),
    "",
  );

  return new Markup(text);
}

function render(value: Interpolation | undefined): string {
  if (value instanceof Markup) {
    return value.text;
  }

  if (Array.isArray(value)) {
    return value.map((item: Markup) => item.text).join("");
  }

  return escapeHtml(String(value ?? ""));
}
