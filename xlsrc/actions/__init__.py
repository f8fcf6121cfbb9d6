"""What a person can do: one module per action, shared by the CLI and the Excel adapter."""
