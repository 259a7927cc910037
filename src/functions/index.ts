/**
 * The Functions entry point (package.json `main`): registers the timer
 * `nightlyAudit` and the HTTP `audit`. Handlers live in their own modules
 * so tests can call them without registering anything.
 */
import { registerAuditHttp } from "./audit-http.js";
import { registerNightlyAudit } from "./nightly-audit.js";

registerNightlyAudit();
registerAuditHttp();
