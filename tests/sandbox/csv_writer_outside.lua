-- Writes a CSV beside its output folder (a relative path is taken in the
-- output folder, so this is out/../planted.csv).
csv.writer("../planted.csv", {"a"})
