"""What every test runs with."""

import os

# The command line's consoles are made once per process (casework/cli/output.py) and keep
# the width they find then. One wide width for every test, whichever test first imports
# them and whatever terminal runs the suite: tests read a table's row or an error's line
# whole, and a run spread over workers imports the consoles in another order than one
# process does.
os.environ["COLUMNS"] = "300"
