-- Loads C code straight from a shared library.
package.loadlib("/lib/x86_64-linux-gnu/libc.so.6", "system")
