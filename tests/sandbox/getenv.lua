-- Reads $HOME.
print(os.getenv("HOME"))
