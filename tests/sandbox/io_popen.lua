-- Runs a shell command through a pipe.
io.popen("touch planted.txt")
