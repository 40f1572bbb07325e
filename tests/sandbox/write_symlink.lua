-- Writes through a symbolic link in its output folder that points outside.
csv.writer("outlink/planted.csv", {"a"})
