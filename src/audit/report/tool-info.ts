/**
 * How reports name the auditor. The report layer reads no files, so the
 * version is a constant; a test keeps it equal to package.json's.
 */
export const TOOL_NAME = "drift-auditor";
export const TOOL_VERSION = "0.1.0";
