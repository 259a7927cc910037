import { describe, expect, it } from "vitest";

import type { AuditRun } from "../../src/audit/audit-run.js";
import type { Finding } from "../../src/audit/findings/finding.js";
import { escapeHtml } from "../../src/audit/report/html-markup.js";
import { renderHtmlReport } from "../../src/audit/report/html-report.js";
import { API_APP_ID } from "../builders.js";
import { makeCleanRun, makeDriftRun, makeIncompleteRun } from "./make-audit-run.js";

const SCRIPT = "<script>alert(1)</script>";
const ATTRIBUTE = '" onload="alert(2)';

/** A finding carrying markup wherever doc or Azure text lands. */
function makeHostileRun(): AuditRun {
  const run = makeDriftRun();
  const hostile = (finding: Finding): Finding => ({
    ...finding,
    subject: `${finding.subject}${ATTRIBUTE}`,
    message: `${finding.message} ${SCRIPT}`,
    resourceId: `${finding.resourceId}/${SCRIPT}`,
    expected: `<img src=x onerror=alert(3)>`,
    observed: `${ATTRIBUTE}<b>`,
    remediation: `Fix it ${SCRIPT} (az webapp show -n "${ATTRIBUTE}" ${SCRIPT})`,
    docRef: { file: `policy/${SCRIPT}.md`, line: 3 },
    ...(finding.waiver
      ? { waiver: { owner: SCRIPT, reason: ATTRIBUTE, expires: `2027-01-31${SCRIPT}` } }
      : {}),
  });

  return { ...run, source: `snap${SCRIPT}.json`, findings: run.findings.map(hostile) };
}

describe("the HTML report", () => {
  it("should escape every string that came from the doc or from Azure", () => {
    const page = renderHtmlReport(makeHostileRun());

    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<b>/);
    expect(page).not.toContain('"onload=');
    expect(page).not.toContain('" onload="');
    expect(page).not.toMatch(/<[^>]*\son\w+=/i);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&quot; onload=&quot;alert(2)");
    expect(page).toContain("Waived by <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>");
  });

  it("should escape the five characters that can end text or an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("should state a clean run plainly", () => {
    const page = renderHtmlReport(makeCleanRun());

    expect(page).toContain('<section class="status status-clean" role="status">');
    expect(page).toContain("<strong>CLEAN</strong>");
    expect(page).toContain("Clean: the estate matches the document.");
    expect(page).toContain("<p>No open findings.</p>");
  });

  it("should never let an incomplete run look clean, and say what was not read", () => {
    const run = makeIncompleteRun();
    const page = renderHtmlReport(run);

    expect(page).toContain('<section class="status status-incomplete" role="status">');
    expect(page).toContain("<strong>INCOMPLETE: NOT CLEAN</strong>");
    expect(page).toContain(
      "Incomplete: part of the estate could not be read, so this run is not clean.",
    );
    expect(page).toContain(`<code>NOT_EVALUATED</code> ${escapeHtml(run.findings[0]!.message)}`);
    expect(page).not.toContain('class="status status-clean"');
    expect(page).not.toContain(">CLEAN<");
  });

  it("should count by severity, then show open findings by severity and waived ones apart", () => {
    const page = renderHtmlReport(makeDriftRun());

    expect(page).toMatch(/<th scope="row">high<\/th>\s*<td>1<\/td>/);
    expect(page).toMatch(/<th scope="row">low<\/th>\s*<td>0<\/td>/);
    expect(page).toMatch(/<th scope="row">waived<\/th>\s*<td>1<\/td>/);
    expect(page).toContain("<h2>High findings (1)</h2>");
    expect(page).not.toContain("<h2>Low findings");
    expect(page).toContain("<h2>Waived findings (1)</h2>");
    expect(page).toMatch(
      /Waived by <strong>platform-team<\/strong> until\s+<strong>2027-01-31<\/strong>:\s+Kept until the old broker is switched off/,
    );
    expect(page.indexOf("High findings")).toBeLessThan(page.indexOf("Waived findings"));
  });

  it("should show rule, resource, doc line, expected, observed and the az command to run", () => {
    const page = renderHtmlReport(makeDriftRun());

    expect(page).toContain("<code>SETTING_MISSING</code> ALPACA_API_KEY");
    expect(page).toContain(`<dd><code>${API_APP_ID}</code></dd>`);
    expect(page).toContain("<dd>policy/secrets.md:19</dd>");
    expect(page).toContain("<dd>app setting ALPACA_API_KEY referencing ALPACA-KEY-ID</dd>");
    expect(page).toContain("<dd>no app setting of that name</dd>");
    expect(page).toContain(
      "<dd>Add the setting as a Key Vault reference:<code>az webapp config appsettings set " +
        "-g rg-ai-trader-prod -n ai-trader-api --settings &quot;ALPACA_API_KEY=@Microsoft." +
        "KeyVault(VaultName=kv-ai-trader-prod;SecretName=ALPACA-KEY-ID)&quot;</code></dd>",
    );
    expect(page).toContain("<dd>not in the document</dd>");
  });

  it("should be one self-contained file: no scripts, no fetched resources, only docs links", () => {
    const page = renderHtmlReport(makeDriftRun());
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);

    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;" />`,
    );
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.every((href) => href?.startsWith("https://learn.microsoft.com/"))).toBe(true);
  });
});

describe("a finding that follows from another", () => {
  it("should link to its cause, escaped like everything else", () => {
    const run = makeDriftRun();
    const [cause, effect] = run.findings;
    const linked: AuditRun = {
      ...run,
      findings: [
        cause!,
        {
          ...effect!,
          causedBy: { id: cause!.id, ruleId: cause!.ruleId, subject: `${SCRIPT} identity` },
        },
      ],
    };

    const page = renderHtmlReport(linked);

    expect(page).toContain(`Follows from <a href="#finding-${cause!.id}">`);
    expect(page).toContain(escapeHtml(`${SCRIPT} identity`));
    expect(page).not.toContain(SCRIPT);
  });
});
