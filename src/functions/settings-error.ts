/**
 * An app setting of the Function app is missing or wrong. The message names
 * the setting and says what to set; it never repeats a value that could be
 * a secret (the App Insights connection string).
 */
export class SettingsError extends Error {
  override readonly name = "SettingsError";

  constructor(
    readonly code: "SETTING_MISSING" | "SETTING_INVALID",
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}
