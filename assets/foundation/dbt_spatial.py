"""dbt-duckdb plugin that loads the spatial extension on every dbt connection.

dbt-duckdb's `extensions:` setting would try to download the extension; here it comes from a package.
"""

from dbt.adapters.duckdb.plugins import BasePlugin

from assets.foundation.database import load_spatial


class Plugin(BasePlugin):
    def configure_connection(self, conn):
        load_spatial(conn)
