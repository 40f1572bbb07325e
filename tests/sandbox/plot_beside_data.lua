-- Plots a CSV of a --data folder (out/../data/d.csv): the .gp file would be
-- written beside it, outside the output folder.
plot.line{ csv = "../data/d.csv", x = "x", y = "y" }
