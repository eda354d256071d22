from jewelguard.cli import main

main()
