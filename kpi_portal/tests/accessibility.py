"""``assert_accessible(page)``: axe-core's WCAG 2.x A/AA checks on the page a browser test has open.

axe-core is vendored next to this module (``vendor/axe-core-<version>/``), outside ``static/`` so
that users are never served it. Only serious and critical findings fail the test; the message
lists each one with the elements it was found on, so that the failure says what to fix.
"""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now (injected by evaluation, so no CSP can block it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        RULE_TAGS,
    )
    return results["violations"]


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation of the open page, listing them."""
    found = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    if not found:
        return
    lines = [f"{len(found)} serious/critical accessibility violation(s) on {page.url}:"]
    for violation in found:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            where = ", ".join(map(str, node["target"]))
            lines.append(f"    {where}: {node['failureSummary'].splitlines()[-1].strip()}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    raise AssertionError("\n".join(lines))
