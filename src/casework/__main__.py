from casework.cli import app

app(prog_name="casework")
