from mentormap.cli.app import main

main()
