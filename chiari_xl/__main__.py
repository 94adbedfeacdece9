"""`python -m chiari_xl`: the same as the `chiari-xl` command."""

from chiari_xl.cli import main

main()
