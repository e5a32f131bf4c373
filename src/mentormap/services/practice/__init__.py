"""The practice around the network: prospects, opportunities, and the mentor's side."""
