import type { ClassifiedTable } from "./column-meaning.js";
import { isTemplatedName, isValidSecretName, secretKey, settingKey } from "./names.js";
import type { DocSecretPair, DocSetting, DocVault } from "./policy-doc.js";
import { makeFinding } from "./make-finding.js";
import { looksSecret } from "./show-value.js";
import type { PolicyFinding } from "./policy-model.js";
import { parsePeriodCell } from "./rotation-period.js";
import type { ReadableRow } from "./read-rows.js";
import { emptyKeyFinding, namesInCell, parseRequired, readRows } from "./read-rows.js";

const NO_SECRET = /^(?:-|–|—|n\/a|none|\(none\))$/i;

/** What the secret and setting tables of one doc add up to, as they are read. */
export interface SecretTablesState {
  file: string;
  findings: PolicyFinding[];
  secrets: DocSecretPair[];
  settings: DocSetting[];
  vaults: DocVault[];
  seenPairs: Map<string, number>;
  spellings: Map<string, { name: string; line: number }>;
  seenSettings: Map<string, { line: number; rest: string }>;
}

export function newSecretTablesState(file: string, findings: PolicyFinding[]): SecretTablesState {
  return {
    file,
    findings,
    secrets: [],
    settings: [],
    vaults: [],
    seenPairs: new Map(),
    spellings: new Map(),
    seenSettings: new Map(),
  };
}

/** Reads a table with a secret column: one pair per secret and setting on each row. */
export function readSecretTable(classified: ClassifiedTable, state: SecretTablesState): void {
  const rows = readRows(
    classified,
    ["secret", "setting", "vault", "app"],
    state.file,
    state.findings,
  );
  const header = headerText(classified, "secret");

  for (const readable of rows) {
    const secrets = namesInCell(readable.cell("secret"));

    if (NO_SECRET.test(readable.text("secret"))) {
      // "—" in the secret column: a plain setting listed among the secrets.
      namesInCell(readable.cell("setting")).forEach((setting) =>
        addSetting(readable, setting, state),
      );
      continue;
    }

    if (secrets.length === 0) {
      state.findings.push(emptyKeyFinding(readable.row, header, state.file));
      continue;
    }

    const settings = namesInCell(readable.cell("setting"));

    for (const secret of secrets) {
      // A pasted value is reported once, never carried into other findings.
      if (!checkSecretName(secret, readable, state)) {
        continue;
      }

      for (const setting of settings.length ? settings : [undefined]) {
        addPair(toPair(secret, setting, readable), state);
      }
    }
  }
}

function toPair(secret: string, setting: string | undefined, readable: ReadableRow): DocSecretPair {
  const cell = readable.cell("secret");
  const rotation = readable.cell("rotation");
  const maxAgeDays = rotation ? parsePeriodCell(rotation.text) : undefined;

  return {
    secret,
    setting,
    vault: readable.text("vault") || undefined,
    purpose: readable.text("description"),
    apps: appNames(readable),
    required: parseRequired(readable.text("required")),
    type: readable.text("type") || undefined,
    ...(maxAgeDays === undefined ? {} : { maxAgeDays }),
    line: readable.row.line,
    column: cell?.column ?? readable.row.column,
    settingColumn: readable.cell("setting")?.column ?? readable.row.column,
  };
}

function appNames(readable: ReadableRow): string[] {
  const cell = readable.cell("app");

  if (!cell || cell.codes.length) {
    return namesInCell(cell);
  }

  return cell.text
    .split(/[,;/]|\band\b/)
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

function addPair(pair: DocSecretPair, state: SecretTablesState): void {
  const key = [
    pair.vault ?? "",
    secretKey(pair.secret),
    pair.setting ? settingKey(pair.setting) : "",
  ];
  const earlier = state.seenPairs.get(key.join("|"));

  if (earlier !== undefined) {
    state.findings.push(duplicatePairFinding(pair, earlier, state.file));
    return;
  }

  state.seenPairs.set(key.join("|"), pair.line);
  checkSpelling(pair, state);
  state.secrets.push(pair);

  if (
    pair.vault &&
    !state.vaults.some((vault) => secretKey(vault.name) === secretKey(pair.vault ?? ""))
  ) {
    state.vaults.push({ name: pair.vault, line: pair.line });
  }
}

function duplicatePairFinding(pair: DocSecretPair, earlier: number, file: string): PolicyFinding {
  const setting = pair.setting ? ` and setting "${pair.setting}"` : "";

  return makeFinding({
    ruleId: "MATRIX_DUPLICATE_ROW",
    severity: "low",
    file,
    line: pair.line,
    column: pair.column,
    subject: pair.secret,
    message: `The row at line ${pair.line} repeats secret "${pair.secret}"${setting} from line ${earlier}; it is read once.`,
    remediation:
      "Delete one of the two rows; if their other cells differ, keep the one that is right.",
  });
}

function checkSpelling(pair: DocSecretPair, state: SecretTablesState): void {
  const first = state.spellings.get(secretKey(pair.secret));

  if (!first) {
    state.spellings.set(secretKey(pair.secret), { name: pair.secret, line: pair.line });
    return;
  }

  if (first.name === pair.secret) {
    return;
  }

  state.findings.push(
    makeFinding({
      ruleId: "MATRIX_DUPLICATE_SECRET_NAME",
      severity: "medium",
      file: state.file,
      line: pair.line,
      column: pair.column,
      subject: pair.secret,
      message: `Secret "${pair.secret}" at line ${pair.line} differs only in case from "${first.name}" at line ${first.line}; Key Vault ignores case, so both rows describe one secret.`,
      remediation: "Spell the secret the same way on every row, as the vault shows it.",
    }),
  );
}

/** Reports a name Key Vault cannot hold; false when the name is a pasted value to drop. */
function checkSecretName(name: string, readable: ReadableRow, state: SecretTablesState): boolean {
  const column = readable.cell("secret")?.column;
  const base = { file: state.file, line: readable.row.line, column, subject: name };

  if (isTemplatedName(name)) {
    state.findings.push(
      makeFinding({
        ...base,
        ruleId: "MATRIX_TEMPLATED_NAME",
        severity: "info",
        message: `Secret "${name}" at line ${readable.row.line} is a pattern with a placeholder, not one secret name.`,
        remediation: "Keep one doc per environment, or bind the placeholder in the bindings file.",
      }),
    );
    return true;
  }

  if (!isValidSecretName(name) && looksSecret(name)) {
    state.findings.push(
      makeFinding({
        ...base,
        subject: `line ${readable.row.line}`,
        ruleId: "SECRET_NAME_INVALID",
        severity: "high",
        message: `The secret name at line ${readable.row.line} looks like a pasted secret value (not repeated here), not a Key Vault secret name.`,
        remediation:
          "Write the name the vault holds instead; if a real value was pasted into the doc, " +
          "rotate it, since the doc's history keeps it.",
      }),
    );
    return false;
  }

  if (!isValidSecretName(name)) {
    const fixed = name.replace(/[^0-9A-Za-z-]+/g, "-").slice(0, 127);

    state.findings.push(
      makeFinding({
        ...base,
        ruleId: "SECRET_NAME_INVALID",
        severity: "medium",
        message: `Secret "${name}" at line ${readable.row.line} cannot exist in Key Vault: a secret name is 1-127 letters, digits and dashes.`,
        remediation: `Write the name the vault holds, e.g. "${fixed}".`,
      }),
    );
  }

  return true;
}

/** Reads a table of settings with no secret column (plain config, env variables). */
export function readSettingTable(classified: ClassifiedTable, state: SecretTablesState): void {
  const rows = readRows(classified, ["setting", "app"], state.file, state.findings);
  const header = headerText(classified, "setting");

  for (const readable of rows) {
    const names = namesInCell(readable.cell("setting"));

    if (names.length === 0) {
      state.findings.push(emptyKeyFinding(readable.row, header, state.file));
      continue;
    }

    for (const setting of names) {
      addSetting(readable, setting, state);
    }
  }
}

function addSetting(readable: ReadableRow, setting: string, state: SecretTablesState): void {
  const { row } = readable;
  const rest = row.cells
    .filter((cell) => cell !== readable.cell("setting"))
    .map((cell) => cell.text)
    .join("|");
  const earlier = state.seenSettings.get(settingKey(setting));
  const column = readable.cell("setting")?.column ?? row.column;

  if (earlier) {
    const conflict = earlier.rest === rest ? "" : ", and its other cells say something different";

    state.findings.push(
      makeFinding({
        ruleId: "MATRIX_DUPLICATE_ROW",
        severity: "low",
        file: state.file,
        line: row.line,
        column,
        subject: setting,
        message: `The row at line ${row.line} repeats setting "${setting}" from line ${earlier.line}${conflict}; it is read once.`,
        remediation: "Delete one of the two rows; keep the one whose details are right.",
      }),
    );
    return;
  }

  state.seenSettings.set(settingKey(setting), { line: row.line, rest });
  state.settings.push({
    setting,
    purpose: readable.text("description"),
    source: readable.text("source"),
    apps: appNames(readable),
    line: row.line,
    column,
  });
}

function headerText(classified: ClassifiedTable, meaning: "secret" | "setting"): string {
  const index = classified.columns[meaning];

  return index === undefined ? meaning : (classified.table.header.cells[index]?.text ?? meaning);
}
