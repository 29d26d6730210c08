"""The API's tags as resources on the clients (`client.templates`, ...), each written once for both clients.

Each module is one tag: its requests and the reading of their answers as plain data and functions, and one
generic class whose methods build requests and hand them to a runner. `base` holds what every resource
shares: `Request`, `Page`, and the blocking and awaiting runners over the clients' retry loop.

    for template in client.templates.list(status="APPROVED"):
        print(template.name, template.language)
"""

from d360.resources.templates import AsyncTemplates, LibraryTemplate, Template, Templates

__all__ = ["AsyncTemplates", "LibraryTemplate", "Template", "Templates"]
