"""A fake topic package (config, run, report) for testing the experiment machinery."""
