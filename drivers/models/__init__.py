"""Pod models: each a profile (data), a pure decoder and pure command builders."""
