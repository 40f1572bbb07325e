-- Runs a shell command.
os.execute("touch planted.txt")
