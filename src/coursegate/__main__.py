from coursegate.platform.cli import main

main()
