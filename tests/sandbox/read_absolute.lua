-- Reads /etc/passwd by its absolute path.
io.open("/etc/passwd")
