"""The catalog store and the build directory it lives in."""
