"""`ddkit audit page URL_OR_FILE_OR_FOLDER`: audit one page, one local file, or every HTML file in a folder."""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.models import PageResult
from cli.exit_codes import ExitCode
from cli.options import JsonOption
from cli.output import err, out, print_json, progress_enabled

if TYPE_CHECKING:
    from a11y_audit.engine import AuditOptions
    from a11y_audit.page_summary import RunSummary

# The engine (Playwright) and the rule registry are imported inside the command: `ddkit --help` and
# the other commands stay fast.


class Level(enum.StrEnum):
    minor = "minor"
    moderate = "moderate"
    serious = "serious"
    critical = "critical"


class Device(enum.StrEnum):
    desktop = "desktop"
    mobile = "mobile"


class Lang(enum.StrEnum):
    ko = "ko"
    en = "en"


STATUS_STYLE = {
    "fail": "bold red",
    "review": "yellow",
    "manual": "cyan",
    "pass": "green",
    "inapplicable": "dim",
}
STATUS_KO = {
    "fail": "위반",
    "review": "검토 필요",
    "manual": "수동 검사",
    "pass": "통과",
    "inapplicable": "해당 없음",
}
OUTCOME_KO = {"violation": "위반", "incomplete": "검토", "pass": "통과", "inapplicable": "해당 없음"}

_HINTS = {
    "DNS": "Check the host name; on a closed network, check the proxy or DNS settings.",
    "connection refused": "Is the server running and the port right?",
    "timed out": "The server is slow or unreachable: try again or raise --timeout.",
    "HTTP 4": "Check the URL (and whether the page needs a login).",
    "HTTP 5": "The server failed: try again later.",
    "not an HTML page": "ddkit audits HTML pages; documents such as PDF need another checker.",
    "download": "The URL serves a file, not a page; audit the page that links to it.",
    "redirect loop": "Open the URL in a browser: the site redirects in a circle.",
    "too large": "Audit a smaller page, or split it.",
    "invalid URL": "URLs start with http:// or https://.",
}


def register(app: typer.Typer) -> None:
    app.command(name="page")(page)


def page(
    target: Annotated[
        str,
        typer.Argument(
            metavar="URL_OR_FILE_OR_FOLDER",
            help="An http(s) URL, a local HTML file, or a folder (every .html file in it is audited).",
            show_default=False,
        ),
    ],
    json_output: JsonOption = False,
    fail_on: Annotated[
        Level | None,
        typer.Option(
            "--fail-on",
            case_sensitive=False,
            help="Exit with code 1 when a KWCAG violation of this impact or worse is found.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Navigation timeout per page, in seconds.")
    ] = 30,
    device: Annotated[
        Device, typer.Option("--device", case_sensitive=False, help="Desktop (1280×900) or a phone.")
    ] = Device.desktop,
    axe_js: Annotated[
        Path | None,
        typer.Option(
            "--axe-js",
            envvar="DDKIT_AXE_JS",
            help="Use this axe.min.js instead of the bundled axe-core.",
            show_default=False,
        ),
    ] = None,
    user_agent: Annotated[
        str | None,
        typer.Option(
            "--user-agent",
            help="User-Agent header (default: Chromium's, plus 'ddkit/VERSION').",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Lang, typer.Option("--lang", case_sensitive=False, help="Language of the terminal report.")
    ] = Lang.ko,
    show: Annotated[
        int,
        typer.Option(
            "--show", min=0, help="Findings listed per KWCAG item in the terminal report (0 = none)."
        ),
    ] = 5,
) -> None:
    """Audit a page against KWCAG 2.2 and WCAG 2.2 in headless Chromium (axe-core + ddkit's KWCAG checks).

    A local file or folder is served on 127.0.0.1 so relative CSS, images and scripts load; a folder audits every .html file in it in one browser session and also compares page titles.

    Examples:

        ddkit audit page https://www.example.go.kr/

        ddkit audit page ./site/index.html --json > result.json

        ddkit audit page ./site/ --fail-on serious
    """
    from a11y_audit.checks.cross_page import apply_title_uniqueness
    from a11y_audit.engine import DEFAULT_TAGS, AuditOptions
    from a11y_audit.page_summary import summarise, violations_at_or_above
    from a11y_audit.rules.registry import load_registry
    from a11y_audit.serve import serve

    options = AuditOptions(
        tags=DEFAULT_TAGS,
        axe_js=str(axe_js) if axe_js else None,
        timeout_ms=int(timeout * 1000),
        device=device.value,
        user_agent=user_agent,
    )
    urls, folder = _resolve(target)
    if folder is not None:
        with serve(folder) as server:
            served = [server.url_for(p) for p in urls]
            names = dict(zip(served, [_display(p) for p in urls], strict=True))
            results = _run(served, options, names)
    else:
        names = {u: u for u in urls}
        results = _run(urls, options, names)
    registry = load_registry()
    if len(results) > 1:
        apply_title_uniqueness(results, registry)
    summary = summarise(results, registry)
    counted = violations_at_or_above(results, fail_on.value, registry) if fail_on else None

    if json_output:
        print_json(
            "audit.page",
            {
                "target": target,
                "axe_version": results[0].axe_version if results else None,
                "registry_version": registry.version,
                "device": options.device,
                "fail_on": fail_on.value if fail_on else None,
                "violations_at_or_above_fail_on": counted,
                "summary": summary,
                "pages": [{**r.to_dict(), "source": names.get(r.url, r.url)} for r in results],
            },
        )
    else:
        _print_report(results, summary, names, lang.value, show, registry)

    failed = [r for r in results if r.error]
    if failed:
        if len(results) == 1:
            message = f"{names.get(failed[0].url, failed[0].url)}: {failed[0].error}"
        else:
            message = f"{len(failed)} of {len(results)} pages could not be audited (listed above)."
        raise AuditError(message, hint=_hint(failed[0].error or ""))
    if counted:
        if not json_output:
            err.print(f"{counted} KWCAG violation(s) at or above '{fail_on.value}' (--fail-on).")
        raise typer.Exit(ExitCode.FINDINGS)


def _resolve(target: str) -> tuple[list, Path | None]:
    """URLs to audit, or local files with the folder to serve them from."""
    from a11y_audit.engine import validate_url
    from a11y_audit.serve import html_files

    if "://" in target or target.lower().startswith(("http:", "https:")):
        problem = validate_url(target)
        if problem:
            raise AuditUsageError(f"{target!r}: {problem}.", hint=_HINTS["invalid URL"])
        return [target], None
    path = Path(target).expanduser()
    if not path.exists():
        raise AuditError(
            f"{target!r} is neither a URL nor an existing file or folder.",
            hint="Give an http(s) URL, an .html file, or a folder of .html files.",
        )
    if path.is_dir():
        files = html_files(path)
        if not files:
            raise AuditError(
                f"Folder {target!r} contains no .html files.",
                hint="Point at the folder that holds the pages.",
            )
        return [p.resolve() for p in files], path.resolve()
    if path.suffix.lower() not in (".html", ".htm", ".xhtml"):
        raise AuditError(
            f"{target!r} is not an HTML file (.html, .htm or .xhtml).",
            hint="ddkit audits HTML pages; give an .html file or a folder.",
        )
    return [path.resolve()], path.resolve().parent


def _run(urls: list[str], options: AuditOptions, names: dict[str, str]) -> list[PageResult]:
    from a11y_audit.engine import audit_urls

    total = len(urls)
    done = [0]

    def progress(result: PageResult) -> None:
        done[0] += 1
        if progress_enabled():
            state = (
                f"[red]{escape(result.error)}[/]"
                if result.error
                else f"{result.timings_ms.get('total', 0) / 1000:.1f} s"
            )
            err.print(f"[{done[0]}/{total}] {escape(names.get(result.url, result.url))} — {state}")

    if progress_enabled():
        err.print(f"Auditing {total} page(s) in Chromium…")
    return audit_urls(urls, options, progress)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _hint(error: str) -> str:
    for key, hint in _HINTS.items():
        if key in error:
            return hint
    return "See the message above; 'ddkit --debug audit page …' shows more."


def _print_report(results, summary: RunSummary, names, lang: str, show: int, registry) -> None:
    ko = lang == "ko"
    axe_version = next((r.axe_version for r in results if r.axe_version), "?")
    out.print(
        f"[bold]ddkit audit page[/] — {len(results)} page(s), axe-core {axe_version}, KWCAG 2.2 ({len(registry.items)} items)"
    )
    for r in results:
        where = escape(names.get(r.url, r.url))
        if r.error:
            out.print(f"  [red]✗[/] {where} — {escape(r.error)}")
        else:
            title = escape(r.title or "")
            out.print(
                f"  [green]✓[/] {where} — {title!s} — HTTP {r.status} — {r.timings_ms.get('total', 0) / 1000:.1f} s"
            )
    if summary.pages_with_errors == summary.pages:
        return
    table = Table(title="KWCAG 2.2 항목별 결과" if ko else "Results by KWCAG 2.2 item", show_lines=False)
    table.add_column("항목" if ko else "Item", no_wrap=True)
    table.add_column("이름" if ko else "Name", no_wrap=True, overflow="ellipsis", max_width=34)
    table.add_column("자동화" if ko else "Automation", no_wrap=True)
    table.add_column("상태" if ko else "Status", no_wrap=True)
    table.add_column("위반" if ko else "Violations", justify="right")
    table.add_column("검토" if ko else "Review", justify="right")
    table.add_column("통과" if ko else "Passes", justify="right")
    for it in summary.items:
        status = STATUS_KO[it.status] if ko else it.status
        audited = summary.pages - summary.pages_with_errors
        if audited > 1:
            status += f" {it.pages.get(it.status, 0)}/{audited}"
        table.add_row(
            it.id,
            it.name_ko if ko else it.name_en,
            it.automation,
            f"[{STATUS_STYLE[it.status]}]{escape(status)}[/]",
            str(it.violations or ""),
            str(it.incomplete or ""),
            str(it.passes or ""),
        )
    out.print(table)
    if show:
        _print_findings(results, summary, names, ko, show, registry)
    counts = summary.findings
    out.print(
        ("결과: " if ko else "Findings: ")
        + ", ".join(
            f"{counts.get(k, 0)} {OUTCOME_KO[k] if ko else k}" for k in ("violation", "incomplete", "pass")
        )
        + (
            "  (수동 검사·검토 필요 항목은 전문가가 판정해야 합니다.)"
            if ko
            else "  (manual and review items need an expert's verdict.)"
        )
    )


def _print_findings(results, summary: RunSummary, names, ko: bool, show: int, registry) -> None:
    from a11y_audit.page_summary import is_counted_violation

    multi = len(results) > 1
    for it in summary.items:
        if it.status not in ("fail", "review"):
            continue
        rows = []
        for r in results:
            for f in r.findings:
                if it.id in f.kwcag and f.outcome in ("violation", "incomplete"):
                    rows.append((r, f))
        rows.sort(key=lambda rf: 0 if is_counted_violation(rf[1], registry) else 1)
        name = it.name_ko if ko else it.name_en
        out.print(
            f"\n[bold]{it.id} {escape(name)}[/] — [{STATUS_STYLE[it.status]}]{STATUS_KO[it.status] if ko else it.status}[/]"
        )
        for r, f in rows[:show]:
            where = f.selector or ""
            if "line" in f.data:
                where = f"line {f.data['line']}, col {f.data.get('column', '?')}"
            page = f"{escape(names.get(r.url, r.url))} " if multi else ""
            mark = "✗" if is_counted_violation(f, registry) else "?"
            message = f.message_ko if ko else f.message_en
            out.print(f"  {mark} {page}[dim]{escape(where)}[/] {escape(message)}")
        if len(rows) > show:
            out.print(
                f"  … {len(rows) - show} more (--show, --json)"
                if not ko
                else f"  … 외 {len(rows) - show}건 (--show, --json)"
            )
