"""The one exception type for problems in the project's data and parameters."""

from __future__ import annotations


class DataError(ValueError):
    """A data file, row or parameter is not what the project expects.

    The message always starts with the location (``data/figures.csv:42: column 'unit': …``)
    and says what was expected, so the command line can print it without a traceback.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ):
        self.path = path
        self.line = line
        self.column = column
        where = ""
        if path is not None:
            where = path if line is None else f"{path}:{line}"
            where += ": "
        if column is not None:
            where += f"column '{column}': "
        super().__init__(where + message)
