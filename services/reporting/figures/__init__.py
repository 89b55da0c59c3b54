"""Figures computed from the read model for a partnership and an as-of moment, one module per domain.

Each query filters on the partnership; only $match/$group/$sum/$count/$sort (the subset MongoDB and
FerretDB share); joins and status rules are done in Python, from pure functions of the facts.
"""
