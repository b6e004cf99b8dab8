"""Build the cxmaturity report site and command line on top of ``assessment``."""
