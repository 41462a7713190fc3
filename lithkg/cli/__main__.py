"""``python -m lithkg.cli``: the lithkg command."""
from . import main

main()
