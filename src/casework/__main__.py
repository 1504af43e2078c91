from casework.entry import main

main()
