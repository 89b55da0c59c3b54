"""Adapters of the kit's ports to the servers behind them."""
