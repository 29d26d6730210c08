"""The API's tags as resources on the clients (`client.templates`, ...), each written once for both clients.

Each module is one tag: its requests and the reading of their answers as plain data and functions, and one
generic class whose methods build requests and hand them to a runner. `base` holds what every resource
shares: `Request`, `Page`, and the blocking and awaiting runners over the clients' retry loop.

    for template in client.templates.list(status="APPROVED"):
        print(template.name, template.language)

The names below are imported when first used: `import d360` loads this package for the clients' template
cache (`template_cache`), and a sender needs none of the rest.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from d360.resources.templates import AsyncTemplates, LibraryTemplate, Template, Templates

__all__ = ["AsyncTemplates", "LibraryTemplate", "Template", "Templates"]


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module 'd360.resources' has no attribute {name!r}")
    from d360.resources import templates

    value = getattr(templates, name)
    globals()[name] = value
    return value
