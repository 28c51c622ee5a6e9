"""Values glued into the prose of a chapter."""

from myst_nb import glue as _myst_glue


class PlainText(str):
    """A string that displays as itself, without the quotes of its Python repr."""

    def __repr__(self) -> str:
        return str(self)


def glue(name: str, value, display: bool = False):
    """myst-nb's glue, with strings shown as plain words ({glue:} `name` gives 8 June 2020,
    not '8 June 2020'); numbers and other objects are glued unchanged."""
    if isinstance(value, str):
        value = PlainText(value)
    return _myst_glue(name, value, display=display)
