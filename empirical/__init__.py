"""empirical: synthetic tasks, small models, training and measurement (torch)."""
