"""gaitdeck's numeric core: ring buffers, the processing engine and its stages. No Qt."""
