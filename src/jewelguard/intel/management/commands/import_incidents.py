"""`jewelguard import_incidents FILE... --profile NAME_OR_PATH`: police open data as incidents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from jewelguard.core.content import ContentError
from jewelguard.intel.imports import ImportRefused, import_file_check, incidents_import
from jewelguard.intel.profiles import profile_load, profile_names

# The rejects shown on the terminal; all of them are in the rejects CSV.
SHOWN_REJECTS = 20


class Command(BaseCommand):
    help = (
        "Import police open-data CSV files as verified incidents, mapped by an import profile "
        "(a shipped one by name, or your own YAML file by path; see docs/import-profiles.md). "
        "Re-importing a file adds and changes nothing; rejected rows go to the rejects CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--profile",
            required=True,
            metavar="NAME_OR_PATH",
            help="shipped profiles: " + ", ".join(profile_names()),
        )
        parser.add_argument(
            "--rejects",
            type=Path,
            default=Path("import-rejects.csv"),
            help=("where to write the rejected rows, if any (default: import-rejects.csv)"),
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            profile = profile_load(name_or_path=options["profile"])
        except ContentError as error:
            raise CommandError(f"profile {error}") from None
        paths: list[Path] = options["files"]
        try:
            total = sum(import_file_check(path=path, profile=profile).rows for path in paths)
            with tqdm(
                total=total,
                unit=" rows",
                disable=options["no_progress"] or None,
                file=self.stderr,
                dynamic_ncols=True,
            ) as bar:

                def progress(rows: int, rejects: int) -> None:
                    bar.update(rows)
                    bar.set_postfix(rejects=rejects, refresh=False)

                summary = incidents_import(
                    paths=paths,
                    profile=profile,
                    rejects_path=options["rejects"],
                    progress=progress,
                )
        except ImportRefused as error:
            raise CommandError(f"{error.message}. Nothing was imported.") from None
        for reject in summary.rejects[:SHOWN_REJECTS]:
            self.stderr.write(f"rejected {reject.file}: line {reject.line}: {reject.reason}")
        if len(summary.rejects) > SHOWN_REJECTS:
            self.stderr.write(f"... and {len(summary.rejects) - SHOWN_REJECTS} more")
        self.stdout.write(
            f"{summary.rows} rows read: {summary.added} incidents added, {summary.changed} "
            f"changed, {summary.unchanged} unchanged, {summary.skipped} skipped by the profile, "
            f"{len(summary.rejects)} rejected"
            + (f" (written to {options['rejects']})" if summary.rejects else "")
            + "."
        )
