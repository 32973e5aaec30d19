"""`python -m ls_lod` = `ls-lod`."""

from ls_lod.cli import main

main()
