"""Loading: import an extension in a child process and walk it into the model."""
