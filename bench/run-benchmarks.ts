/**
 * The benchmark itself, started by `run.ts` with the fake's CA already
 * trusted. Prints one plain-text report; every ratio in it is measured in
 * this run, and nothing here asserts a time.
 *
 *   npm run bench                    # all three sections
 *   npm run bench -- rules collect   # only some
 */
// First: refuse any connection beyond loopback before anything else loads.
import "../test/fake-azure/loopback-guard.js";

import { arch, availableParallelism, cpus, loadavg, platform } from "node:os";

import { TLS_DIR_ENV } from "../test/fake-azure/test-tls.js";
import { benchCollect } from "./bench-collect.js";
import { benchParse } from "./bench-parse.js";
import { benchRules } from "./bench-rules.js";

const SECTIONS: Record<string, () => string[] | Promise<string[]>> = {
  parse: benchParse,
  rules: benchRules,
  collect: benchCollect,
};

function printHeader(): void {
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  const load = loadavg()[0] ?? 0;

  console.log(
    `drift-auditor bench: Node ${process.version}, ${availableParallelism()} CPUs ` +
      `(${model}), ${platform()} ${arch()}, load average ${load.toFixed(2)} at start`,
  );
  console.log("Every ratio below is measured in this one run; no test asserts a time.\n");
}

/** The sections named on the command line, all when none; undefined after a usage error. */
function pickSections(names: string[]): string[] | undefined {
  const known = Object.keys(SECTIONS);
  const unknown = names.filter((name) => !known.includes(name));

  if (unknown.length > 0) {
    console.error(`Unknown bench section ${unknown.join(", ")}; choose from ${known.join(", ")}.`);

    return undefined;
  }

  return names.length > 0 ? names : known;
}

async function main(): Promise<number> {
  if (!process.env[TLS_DIR_ENV] || !process.env.NODE_EXTRA_CA_CERTS) {
    console.error(
      "The fake Azure's CA is not set up. Run `npm run bench`: its launcher (bench/run.ts) " +
        "creates the CA and starts this file with NODE_EXTRA_CA_CERTS set.",
    );

    return 2;
  }

  const sections = pickSections(process.argv.slice(2));
  if (!sections) {
    return 2;
  }

  printHeader();
  for (const name of sections) {
    const lines = await SECTIONS[name]?.();

    console.log((lines ?? []).join("\n") + "\n");
  }

  return 0;
}

process.exitCode = await main();
