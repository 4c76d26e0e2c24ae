"""Running Staffroom as a service: logging, metrics, the health server and the process loop."""
