"""`python -m cli` runs the ddkit command."""

from cli import main

main()
