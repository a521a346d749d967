"""GraphMind: turn writing into a meaning graph, and a meaning graph into training data."""

__version__ = "0.1.0"
