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
    both = "both"


class MobileProfile(enum.StrEnum):
    android = "android"
    iphone = "iphone"


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
        Device,
        typer.Option(
            "--device",
            case_sensitive=False,
            help="desktop (1280×900), mobile (a phone, with the mobile criteria), or both (each page on "
            "the desktop, then on the phone).",
        ),
    ] = Device.desktop,
    mobile_profile: Annotated[
        MobileProfile,
        typer.Option(
            "--mobile-profile",
            case_sensitive=False,
            help="The phone of --device mobile/both: android (Pixel 7) or iphone (iPhone 15); both are "
            "emulated in Chromium.",
        ),
    ] = MobileProfile.android,
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

        ddkit audit page https://www.example.go.kr/ --device both --mobile-profile iphone
    """
    from a11y_audit.checks.cross_page import apply_title_uniqueness
    from a11y_audit.crawl.mobile_host import is_mobile_host
    from a11y_audit.engine import DEFAULT_TAGS, AuditOptions
    from a11y_audit.page_summary import summarise, violations_at_or_above
    from a11y_audit.rules.registry import load_registry
    from a11y_audit.serve import serve

    devices = ("desktop", "mobile") if device == Device.both else (device.value,)
    options = AuditOptions(
        tags=DEFAULT_TAGS,
        axe_js=str(axe_js) if axe_js else None,
        timeout_ms=int(timeout * 1000),
        device=devices[0],
        mobile_profile=mobile_profile.value,
        user_agent=user_agent,
    )
    urls, folder = _resolve(target)
    if folder is not None:
        with serve(folder) as server:
            served = [server.url_for(p) for p in urls]
            names = dict(zip(served, [_display(p) for p in urls], strict=True))
            results = _run(served, options, names, devices)
    else:
        names = {u: u for u in urls}
        results = _run(urls, options, names, devices)
    registry = load_registry()
    by_device = {d: [r for r in results if r.device == d] for d in devices}
    for group in by_device.values():  # titles are compared among the pages of one device
        if len(group) > 1:
            apply_title_uniqueness(group, registry)
    summary = summarise(results, registry)
    counted = violations_at_or_above(results, fail_on.value, registry) if fail_on else None

    if json_output:
        print_json(
            "audit.page",
            {
                "target": target,
                "axe_version": results[0].axe_version if results else None,
                "registry_version": registry.version,
                "device": device.value,
                "mobile_profile": mobile_profile.value,
                "fail_on": fail_on.value if fail_on else None,
                "violations_at_or_above_fail_on": counted,
                "summary": summary,
                **(
                    {"by_device": {d: summarise(g, registry) for d, g in by_device.items()}}
                    if len(devices) > 1
                    else {}
                ),
                "pages": [
                    {
                        **r.to_dict(),
                        "source": names.get(r.url, r.url),
                        "separate_mobile_site": _mobile_site(r, is_mobile_host),
                    }
                    for r in results
                ],
            },
        )
    else:
        for d, group in by_device.items():
            if len(devices) > 1 or d == "mobile":
                _print_device(d, options.mobile_profile, lang.value)
            part = summary if len(devices) == 1 else summarise(group, registry)
            _print_report(group, part, names, lang.value, show, registry)
            for r in group:
                host = _mobile_site(r, is_mobile_host)
                if host:
                    out.print(
                        f"  {'별도 모바일 사이트' if lang == Lang.ko else 'Separate mobile site'}: "
                        f"{escape(names.get(r.url, r.url))} → {escape(r.final_url or '')}"
                    )

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


def _run(
    urls: list[str], options: AuditOptions, names: dict[str, str], devices: tuple[str, ...]
) -> list[PageResult]:
    from a11y_audit.engine import audit_urls

    total = len(urls) * len(devices)
    done = [0]

    def progress(result: PageResult) -> None:
        done[0] += 1
        if progress_enabled():
            state = (
                f"[red]{escape(result.error)}[/]"
                if result.error
                else f"{result.timings_ms.get('total', 0) / 1000:.1f} s"
            )
            on = f" ({result.device})" if len(devices) > 1 else ""
            err.print(f"[{done[0]}/{total}] {escape(names.get(result.url, result.url))}{on} — {state}")

    if progress_enabled():
        err.print(f"Auditing {total} page(s) in Chromium…")
    return audit_urls(urls, options, progress, devices=devices)


def _mobile_site(result: PageResult, is_mobile_host) -> str | None:
    """The host of the separate mobile site a phone was redirected to, if it was."""
    from urllib.parse import urlsplit

    if result.device != "mobile" or not result.final_url or not is_mobile_host(result.final_url, result.url):
        return None
    return urlsplit(result.final_url).netloc


def _print_device(device: str, profile: str, lang: str) -> None:
    from a11y_audit.engine import MOBILE_PROFILES

    ko = lang == "ko"
    if device == "mobile":
        phone = MOBILE_PROFILES[profile]
        label = f"모바일: {phone} 에뮬레이션(Chromium)" if ko else f"Mobile: {phone} emulated in Chromium"
    else:
        label = "데스크톱: 1280×900" if ko else "Desktop: 1280×900"
    out.print(f"\n[bold]── {label} ──[/]")


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
        _print_wcag_only(results, names, ko, show, registry)
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


def _print_wcag_only(results, names, ko: bool, show: int, registry) -> None:
    """Findings of ddkit's checks of WCAG criteria with no KWCAG item (zoom, reflow, orientation)."""
    checks = {c.id: c for c in registry.wcag_only_checks}
    multi = len(results) > 1
    for check_id, check in checks.items():
        rows = [
            (r, f)
            for r in results
            for f in r.findings
            if f.rule_id == check_id and f.outcome in ("violation", "incomplete")
        ]
        if not rows:
            continue
        criteria = ", ".join(check.wcag)
        head = (
            f"WCAG {criteria} (KWCAG 항목 없음, 점수 제외)"
            if ko
            else f"WCAG {criteria} (no KWCAG item, not scored)"
        )
        out.print(f"\n[bold]{head}[/] — {check_id}")
        for r, f in rows[:show]:
            where = f"{escape(names.get(r.url, r.url))}: " if multi else ""
            message = f.message_ko if ko else f.message_en
            outcome = OUTCOME_KO[f.outcome] if ko else f.outcome
            out.print(f"  {outcome} {where}{escape(message)}")
        if len(rows) > show:
            out.print(f"  … {len(rows) - show} more" if not ko else f"  … {len(rows) - show}건 더")
