from heelpath.cli import main

main()
