-- Asks load for binary mode.
load("return 1", "x", "b")
