"""``python -m nornir_catlic.cli`` runs ``catlic``."""

from nornir_catlic.cli import main

main()
