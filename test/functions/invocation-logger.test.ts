import { InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";

import { createInvocationLogger } from "../../src/functions/invocation-logger.js";

describe("createInvocationLogger", () => {
  it("should hand each level to the context with its fields as one JSON object", () => {
    const entries: [string, string][] = [];
    const context = new InvocationContext({
      logHandler: (level, ...args) => entries.push([level, args.map(String).join(" ")]),
    });
    const logger = createInvocationLogger(context);

    logger.info("snapshot ready", { runId: "r1", sites: 2, skipped: undefined });
    logger.warn("emitter failed", { emitter: "app-insights" });
    logger.error("audit failed");

    expect(entries).toEqual([
      ["information", 'snapshot ready {"runId":"r1","sites":2}'],
      ["warning", 'emitter failed {"emitter":"app-insights"}'],
      ["error", "audit failed"],
    ]);
  });
});
