"""Every error GraphMind raises on purpose. Each message is one line that names the
problem and says what to do."""


class GraphMindError(Exception):
    """Base class: a problem the user can act on (the CLI prints it as one line)."""


class InputError(GraphMindError):
    """A path or file that cannot be read as notes."""


class SchemaError(GraphMindError):
    """A type, label or relationship that is not in schemas/graph.json."""


class StoreError(GraphMindError):
    """The graph database could not be reached or refused the work."""


class QueryError(GraphMindError):
    """A named query that does not exist, or bad parameters for one."""


class DocumentFailed(GraphMindError):
    """One document could not be extracted (the model failed every paragraph of it, or the
    analysis broke on it); it is reported and left out, and the run goes on."""
