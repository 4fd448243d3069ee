"""Data Docs for one stage's validation: the site, the results it renders, and pages that are kept.

Imported by the runner in the worker process only (it imports Great Expectations).

GX rebuilds a site's index from its in-memory stores and, by default, removes every page it does not know.
A refresh that reports a table's recorded outcomes (expectations/record.py) validates nothing for it, so
its pages from the validation that passed must stay: `KeepingSiteIndexBuilder` never removes a page, and
`open_site` removes the old pages of the tables validated again before the build.

`ValidationDefinition.run` stores each result in the context as GX returns it, serialised to JSON. The
runner completes the results first (expectations/result_format.py) and may validate a table twice
(expectations/file_warnings.py, Disagrees), so `HeldResults` keeps them instead, the last one per table,
and `HeldResults.build` stores each once, completed, and builds the site from them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder

SITE = "kvalitet"


class KeepingSiteIndexBuilder(DefaultSiteIndexBuilder):
    def build(self, skip_and_clean_missing: bool = True, build_index: bool = True):
        return super().build(skip_and_clean_missing=False, build_index=build_index)


def open_site(context, docs_dir: Path, validated: list[str], replayed: list[str]) -> None:
    """The stage's site in `docs_dir`; with tables not validated again (`replayed`), their pages are kept
    and only the validated tables' old pages are removed."""
    Path(docs_dir).mkdir(parents=True, exist_ok=True)
    index_builder = {"class_name": "DefaultSiteIndexBuilder"}
    if replayed:
        index_builder = {"class_name": "KeepingSiteIndexBuilder", "module_name": "expectations.gx_docs"}
        for table in validated:
            shutil.rmtree(Path(docs_dir, "validations", *table.split(".", 1)), ignore_errors=True)
    context.add_data_docs_site(SITE, {
        "class_name": "SiteBuilder",
        "site_index_builder": index_builder,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
    })


class HeldResults:
    """The validation results of one context, held back from its store until they are complete."""

    def __init__(self, context) -> None:
        self.context = context
        self.store = context.validation_results_store
        self.kept: dict[str, tuple] = {}
        # an attribute of this store object only: ValidationDefinition.run calls it with these keywords
        self.store.store_validation_results = self._keep

    def _keep(self, suite_validation_result, suite_validation_result_identifier,
              expectation_suite_identifier=None, checkpoint_identifier=None) -> bool:
        suite = suite_validation_result_identifier.expectation_suite_identifier.name
        self.kept[suite] = (suite_validation_result, suite_validation_result_identifier,
                            expectation_suite_identifier, checkpoint_identifier)
        return True

    def release(self) -> None:
        """Store the held results (as they are now: completed) and give the store its own method back."""
        del self.store.store_validation_results
        for result, identifier, suite, checkpoint in self.kept.values():
            self.store.store_validation_results(result, identifier, suite, checkpoint)
        self.kept.clear()

    def build(self) -> None:
        """Store the results and build the site from them."""
        self.release()
        self.context.build_data_docs(site_names=[SITE])
