"""`ddkit demo`: the whole product on the bundled sample.

The first step is in place: serve the bundled sample government website (``a11y_audit.samples``) on
127.0.0.1 and say what is planted in it. The audit, survey and training steps are added here as those
commands land.
"""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from a11y_audit.samples import FIXED_INDEX, load_barriers, load_twins, serve_sample_site, site_pages
from cli.options import JsonOption
from cli.output import err, out, print_json


def sample_site_facts() -> dict:
    """What the sample site holds (pages, planted barriers, fixed twins)."""
    barriers = load_barriers()
    automated = [b for b in barriers if b.machine_detectable]
    return {
        "pages": len(site_pages()),
        "barriers": len(barriers),
        "machine_detectable": len(automated),
        "kwcag_items": sorted({b.item for b in automated}),
        "fixed_twins": len(load_twins()),
    }


def demo(
    port: Annotated[
        int,
        typer.Option(
            "--port", min=0, max=65535, help="Port for the sample site on 127.0.0.1 (0: any free port)."
        ),
    ] = 0,
    serve: Annotated[
        bool, typer.Option("--serve", help="Keep serving the sample site until Ctrl-C, to browse it.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Run ddkit on the bundled sample and write the reports into ./ddkit-demo/.

    Example:

        ddkit demo

        ddkit demo --serve --port 8000
    """
    facts = sample_site_facts()  # read before the server starts, so Ctrl-C finds us serving
    with serve_sample_site(port) as site:
        summary = {"site_url": site.url("index.html"), "fixed_index_url": site.url(FIXED_INDEX), **facts}
        if json_output:
            print_json("demo.sample_site", summary)
        else:
            out.print(f"Sample site (디지털포용부, a fictional ministry): {summary['site_url']}")
            out.print(
                f"  {summary['pages']} pages, {summary['barriers']} planted barriers "
                f"({summary['machine_detectable']} machine-detectable on {len(summary['kwcag_items'])} KWCAG items), "
                f"{summary['fixed_twins']} fixed twins listed at {summary['fixed_index_url']}"
            )
        if serve:
            err.print("Serving the sample site; press Ctrl-C to stop.")
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                err.print("Stopped.")
