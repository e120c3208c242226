from frogml.root.cli import main

main()
