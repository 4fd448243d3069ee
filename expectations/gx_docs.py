"""Data Docs that keep the pages of tables not validated again (imported by GX in the worker only).

GX rebuilds a site's index from its in-memory stores and, by default, removes every page it does not know.
A refresh that reports a table's recorded outcomes (expectations/record.py) validates nothing for it, so
its pages from the validation that passed must stay: this index builder never removes a page, and the
runner removes the old pages of the tables it validates again before the build.
"""

from __future__ import annotations

from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder


class KeepingSiteIndexBuilder(DefaultSiteIndexBuilder):
    def build(self, skip_and_clean_missing: bool = True, build_index: bool = True):
        return super().build(skip_and_clean_missing=False, build_index=build_index)
