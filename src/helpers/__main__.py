"""Command line: ``python -m helpers validate|render|export|codebook|readme|check-article``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_validate(args: argparse.Namespace) -> int:
    """Print OK with counts, or one line per problem; exit 1 on problems.

    >>> import argparse
    >>> cmd_validate(argparse.Namespace(data_dir=None))  # doctest: +ELLIPSIS
    OK: 12 tables, ... rows
    0
    """
    from helpers import paths
    from helpers.load import validate_once
    from helpers.validate import summary

    data_dir = Path(args.data_dir) if args.data_dir else None
    problems = validate_once(Path(data_dir or paths.DATA_DIR))
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    tables, rows = summary(data_dir)
    print(f"OK: {tables} tables, {rows} rows")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    """Execute every notebook in order, in place, and write the key figures.

    >>> import argparse
    >>> cmd_render(argparse.Namespace(notebooks=["missing.ipynb"], no_figures=True, jobs=1))
    2
    """
    from helpers.render import render_all

    books = [Path(p) for p in args.notebooks] or None
    missing = [str(p) for p in books or [] if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    return render_all(books, figures=not args.no_figures, jobs=args.jobs)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the GeoJSON, ACLED-shaped, UCDP-style and Excel exports.

    >>> import argparse, tempfile
    >>> cmd_export(argparse.Namespace(out_dir=tempfile.mkdtemp()))  # doctest: +SKIP
    geojson: ...
    0
    """
    from helpers.export import export_all

    for name, path in export_all(Path(args.out_dir) if args.out_dir else None).items():
        print(f"{name}: {path}")
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    """Write data/CODEBOOK.md from datapackage.json.

    >>> import argparse
    >>> cmd_codebook(argparse.Namespace())
    wrote data/CODEBOOK.md
    0
    """
    from helpers import paths
    from helpers.schema import codebook_markdown

    target = paths.DATA_DIR / "CODEBOOK.md"
    target.write_text(codebook_markdown() + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(paths.ROOT)}")
    return 0


def cmd_readme(args: argparse.Namespace) -> int:
    """Rewrite the README's marked numbers from the data (render does this too).

    >>> import argparse
    >>> cmd_readme(argparse.Namespace())  # doctest: +SKIP
    README.md is current
    0
    """
    from helpers import load
    from helpers.findings import update_readme

    print("updated README.md" if update_readme(load()) else "README.md is current")
    return 0


def cmd_check_article(args: argparse.Namespace) -> int:
    """Check a plain-text report against the data (see helpers.check).

    >>> import argparse
    >>> cmd_check_article(argparse.Namespace(path="/no/such/file.txt", published=None, source_id=None, json=False))
    2
    """
    from helpers.check import main as check_main

    argv = [args.path]
    argv += ["--published", args.published] if args.published else []
    argv += ["--source-id", args.source_id] if args.source_id else []
    argv += ["--json"] if args.json else []
    return check_main(argv)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command.

    >>> main(["validate"])  # doctest: +ELLIPSIS
    OK: 12 tables, ... rows
    0
    """
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_val = sub.add_parser("validate", help="validate the data package")
    p_val.add_argument("data_dir", nargs="?", help="folder holding datapackage.json (default: data/)")
    p_val.set_defaults(func=cmd_validate)
    p_ren = sub.add_parser("render", help="execute every notebook in order and write figures/")
    p_ren.add_argument("notebooks", nargs="*", help="notebooks to render (default: all, in name order)")
    p_ren.add_argument("--no-figures", action="store_true", help="do not write figures/")
    p_ren.add_argument("--jobs", type=int, default=2, help="notebooks rendered at once (default 2)")
    p_ren.set_defaults(func=cmd_render)
    p_exp = sub.add_parser("export", help="write exports for other tools (default: data/exports/)")
    p_exp.add_argument("out_dir", nargs="?", help="folder to write to (default: data/exports/)")
    p_exp.set_defaults(func=cmd_export)
    p_cb = sub.add_parser("codebook", help="write data/CODEBOOK.md from datapackage.json")
    p_cb.set_defaults(func=cmd_codebook)
    p_rm = sub.add_parser("readme", help="rewrite the README's computed numbers from the data")
    p_rm.set_defaults(func=cmd_readme)
    p_chk = sub.add_parser("check-article", help="check a plain-text report against the data")
    p_chk.add_argument("path", help="the report (UTF-8 text); '-' reads standard input")
    p_chk.add_argument("--published", help="publication date YYYY-MM-DD (resolves weekdays and 'yesterday')")
    p_chk.add_argument("--source-id", help="the report's source_id, if it is one of the sources")
    p_chk.add_argument("--json", action="store_true", help="print the rows as a JSON list of objects")
    p_chk.set_defaults(func=cmd_check_article)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
