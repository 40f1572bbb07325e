-- Reads a CSV matrix outside its folders.
csv.matrix("/etc/passwd")
